"""The complaint desks of the two agencies for load_demo (master data, always), and in demo mode complaints in
every stage of both ways of handling: sent from the public form and recorded by officers, answered, one passed to
the official, one late in the head's worklist.

Each act runs at its own moment through the engine (portal.services) and the desk's services, as the account
whose step it is. Names, addresses and numbers are made up; e-mail addresses are at example.org. No complaint
names a victim. A second run adds nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.complaints import services
from portal.complaints.models import Complaint, Desk
from portal.models import Service, Unit
from portal.services import save_with_history, transition_fire

# (desk service slug, procedure, unit of the complaints about no one service)
DESKS = [
    ("pengaduan-dppkbpppa-ciamis", Desk.Procedure.TEAM_REVIEW, "sekretariat-dppkbpppa-ciamis"),
    ("pengaduan-dinsos-p3a-purwakarta", Desk.Procedure.OFFICER_RESPONSE, "rehdayasos-purwakarta"),
]

# (desk, about (service slug or ""), kind, channel, text, name, email, days ago, officer, [(transition, reply)])
# A reply "" fires the transition with no answer (a stage's findings, or passing on to the official).
COMPLAINTS = [
    ("pengaduan-dppkbpppa-ciamis", "p2tp2a-ciamis", "pertanyaan", "portal",
     "Bagaimana cara melaporkan kekerasan yang dialami tetangga saya? Apakah identitas pelapor dirahasiakan?",
     "", "warga.satu@example.org", 0, "petugas.p2tp2a-ciamis", []),
    ("pengaduan-dppkbpppa-ciamis", "alokon-ciamis", "pengaduan", "portal",
     "Puskesmas kami menunggu kiriman implan sejak awal bulan dan belum ada kabar.",
     "Bidan Sari", "bidan.sari@example.org", 6, "gudang.dppkbpppa-ciamis", []),
    ("pengaduan-dppkbpppa-ciamis", "", "saran", "telepon",
     "Mohon jam pelayanan hari Jumat diperpanjang sampai sore.", "Pak Dadang", "", 5, "pengaduan.dppkbpppa-ciamis",
     [("check", "Terima kasih atas sarannya. Usulan Bapak kami sampaikan kepada pimpinan.")]),
    ("pengaduan-dppkbpppa-ciamis", "p2tp2a-ciamis", "pengaduan", "portal",
     "Petugas pendamping tidak datang pada jadwal pendampingan yang dijanjikan.", "", "pelapor.dua@example.org", 8,
     "petugas.p2tp2a-ciamis",
     [("check", "Pengaduan Anda kami terima dan sedang kami periksa bersama tim pendamping."), ("field", "")]),
    ("pengaduan-dppkbpppa-ciamis", "alokon-ciamis", "pengaduan", "surat",
     "Jumlah kondom yang diterima klinik tidak sesuai dengan SBBK.", "Klinik Pratama Harapan", "", 12,
     "gudang.dppkbpppa-ciamis",
     [("check", "Kami sedang mencocokkan SBBK dengan catatan gudang."), ("field", ""), ("internal", "")]),
    ("pengaduan-dppkbpppa-ciamis", "", "pengaduan", "instagram",
     "Nomor telepon kantor yang tertera di laman tidak dapat dihubungi.", "", "", 20, "pengaduan.dppkbpppa-ciamis",
     [("check", "Terima kasih, kami sedang memeriksa saluran telepon kantor."), ("field", ""), ("internal", ""),
      ("agencies", "Saluran telepon sudah diperbaiki bersama Diskominfo dan dapat dihubungi kembali.")]),
    ("pengaduan-dinsos-p3a-purwakarta", "identitas-ppks-purwakarta", "pengaduan", "langsung",
     "Saya melaporkan orang terlantar di terminal dua hari lalu, belum ada petugas yang datang.", "Ibu Euis", "", 1,
     "petugas.rehdayasos-purwakarta", []),
    ("pengaduan-dinsos-p3a-purwakarta", "identitas-ppks-purwakarta", "pengaduan", "portal",
     "KTP yang difasilitasi belum juga terbit setelah satu bulan.", "", "keluarga.tiga@example.org", 4,
     "petugas.rehdayasos-purwakarta", [("respond.escalate", "")]),
    ("pengaduan-dinsos-p3a-purwakarta", "", "pertanyaan", "email",
     "Apakah layanan fasilitasi identitas dipungut biaya?", "", "warga.empat@example.org", 9,
     "petugas.rehdayasos-purwakarta",
     [("respond.settled", "Layanan fasilitasi identitas kependudukan bagi PPKS terlantar tidak dipungut biaya (gratis).")]),
]
OFFICIAL = {"pengaduan-dinsos-p3a-purwakarta": "kepala.rehdayasos-purwakarta"}


def load(stdout):
    for slug, procedure, general_unit in DESKS:
        service = Service.objects.filter(slug=slug).first()
        if service is not None:
            Desk.objects.update_or_create(
                service=service, defaults={"procedure": procedure, "general_unit": Unit.objects.get(code=general_unit)},
            )
    if not settings.DEMO_MODE or Complaint.objects.exists():
        return
    users = {user.username: user for user in get_user_model().objects.all()}
    desks = {desk.service.slug: desk for desk in Desk.objects.select_related("service", "general_unit")}
    now = timezone.now()
    for desk_slug, about, kind, channel, text, name, email, days_ago, officer, acts in COMPLAINTS:
        desk = desks[desk_slug]
        at = now - timedelta(days=days_ago, hours=2)
        complaint = Complaint(
            about=Service.objects.get(slug=about) if about else None, kind=kind, channel=channel, text=text,
            name=name, email=email,
        )
        if channel == Complaint.Channel.PORTAL:
            complaint, _code = services.complaint_submit(
                desk=desk, complaint=complaint, client_address=f"demo-{days_ago}", now=at
            )
        else:
            complaint, _code = services.complaint_record(desk=desk, complaint=complaint, actor=users[officer], now=at)
        for number, (transition, reply) in enumerate(acts, start=1):
            moment = at + timedelta(hours=3 * number)
            actor = users[officer]
            if reply:
                services.reply_send(complaint, text=reply, actor=actor, now=moment)
                save_with_history(complaint, actor=actor, at=moment, update_fields=["first_response_at"])
            note = "Perlu keputusan Kabid atas keterlambatan Disdukcapil." if transition == "respond.escalate" else ""
            complaint = transition_fire(
                complaint, name=transition, actor=actor, expected_status=complaint.status, note=note, now=moment
            )
    stdout.write(f"{Complaint.objects.count()} pengaduan demo dimuat.")
