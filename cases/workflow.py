"""SOP Pelayanan dan Pendampingan P2TP2A (DPPKBPPPA Kabupaten Ciamis).

The steps, executors and outputs are those of the seed's activity table; the
printed SOP sheet is drawn from this declaration.
"""

from django.utils.translation import gettext_lazy as _

from portal.roles import Office, Role
from portal.workflow import DONE, Executor, Identity, Step, Transition, Workflow, months

CLOSED_EARLY = "ditutup"
VOIDED = "dibatalkan"

# Steps from which the head may close a case early or void one entered in error.
OPEN_STEPS = ("report", "intake", "outreach", "assessment", "medical", "psychological", "legal", "reintegration", "closure")


def _skip(step, next_step):
    # By the step's own executor (or a head standing in), as the step itself.
    return Transition(
        name=f"skip_{step}", label=_("Lewati: tidak diperlukan"), source=step, target=next_step, note_required=True,
    )


def _head_ends(step):
    return (
        Transition(
            name=f"close_early.{step}", label=_("Tutup lebih awal"), source=step, target=CLOSED_EARLY,
            executor="chair", note_required=True, in_worklist=False,
            confirm=_("Saya mengerti: kasus ditutup sebelum selesai dan tidak dapat dilanjutkan lagi."),
        ),
        Transition(
            name=f"void.{step}", label=_("Batalkan: salah input"), source=step, target=VOIDED,
            executor="chair", note_required=True, in_worklist=False,
            confirm=_("Saya mengerti: kasus dibatalkan sebagai salah input, tidak dihitung, dan tidak dapat dilanjutkan lagi."),
        ),
    )


WORKFLOW = Workflow(
    name=_("Pelayanan dan Pendampingan P2TP2A"),
    time=months(3),
    observers=(Role.AGENCY_HEAD,),
    start_action=_("Catat laporan baru"),
    final_statuses=(DONE, CLOSED_EARLY, VOIDED),
    final_labels={DONE: _("Selesai"), CLOSED_EARLY: _("Ditutup lebih awal"), VOIDED: _("Dibatalkan (salah input)")},
    documents={
        "cover_letter": _("Surat pengantar RT/RW"),
        "reporter_ktp": _("Fotokopi KTP pelapor"),
        "spt_signed": _("SPT penjangkauan bertanda tangan"),
        "service_record": _("Dokumentasi layanan/rujukan"),
        "closure_signed": _("Laporan penanganan kasus bertanda tangan"),
    },
    # Steps 5-7 happen only where the assessment says they are needed; the others are skipped with a reason.
    extra_transitions=(
        _skip("medical", "psychological"),
        _skip("psychological", "legal"),
        _skip("legal", "reintegration"),
        *(transition for step in OPEN_STEPS for transition in _head_ends(step)),
    ),
    # A team function's step is done by the member holding it, or by a head of the P2TP2A (Case.actor_filter).
    # The Ketua's steps (signing, approving, closing) are the Ketua's or the Sekretaris' of the P2TP2A, as the
    # standard's "Ketua atau Sekretaris"; a Kepala Bidang elsewhere in the Dinas takes none of them.
    executors=(
        Executor("chair", "Ketua", (Role.HEAD,), offices=(Office.CHAIR, Office.SECRETARY)),
        Executor("secretary", "Sekretaris", (Role.HEAD,), offices=(Office.SECRETARY,)),
        Executor("data", "Divisi Data", (Role.OFFICER,), standins=("chair",)),
        Executor("legal", "Divisi Hukum", (Role.OFFICER,), standins=("chair",)),
        Executor("social_worker", "Pekerja sosial", (Role.OFFICER,), standins=("chair",)),
        Executor("companion", "Pendamping", (Role.OFFICER,), standins=("chair",)),
        Executor("psychologist", "Psikolog", (Role.OFFICER,), standins=("chair",)),
    ),
    # The case's team reads its identity as named on it (Case.named_filter); the Kepala Dinas may open one case's
    # identity by writing why.
    identity=Identity(readers=("chair", "secretary"), revealers=(Office.AGENCY_HEAD,)),
    steps=(
        Step(
            "report",
            "1",
            "Pelapor/korban datang sendiri ke Petugas, atau Laporan dari masyarakat, atau laporan dari "
            "pemeriksaan medis dimana korban diperiksa",
            executor="data",
            output="Identitas korban tercatat dalam dokumen",
            action=_("Identitas korban tercatat"),
            status_label=_("Laporan masuk"),
        ),
        Step(
            "intake",
            "2",
            "Laporan diterima dan dicatat oleh Petugas P2TP2A",
            executor="data",
            output="Berkas Pengaduan kasus",
            action=_("Berkas pengaduan lengkap"),
            status_label=_("Pencatatan berkas pengaduan"),
        ),
        Step(
            "outreach",
            "3",
            "Petugas melaksanakan verifikasi / pendampingan ke Lapangan/korban",
            executor="social_worker",
            output="SPT penjangkauan",
            action=_("Catat hasil penjangkauan"),
            status_label=_("Verifikasi dan penjangkauan"),
        ),
        Step(
            "assessment",
            "4",
            "Petugas melaksanakan pencatatan/asesmen bagi korban",
            executor="social_worker",
            output="Terdokumentasinya hasil asesmen",
            action=_("Asesmen selesai, lanjut layanan"),
            status_label=_("Asesmen korban"),
        ),
        Step(
            "medical",
            "5",
            "Memberikan aspek medis yaitu mendampingi RSUD untuk diperiksa",
            executor="companion",
            output="Terfasilitasinya aspek medis korban, Dokumentasi",
            action=_("Layanan medis selesai"),
            status_label=_("Pendampingan medis"),
        ),
        Step(
            "psychological",
            "6",
            "Memberikan fasilitasi aspek psikis yaitu merujuk korban ke Psikolog untuk di periksa secara psikis",
            executor="psychologist",
            output="Terfasilitasinya aspek medis Psikologis, Dokumentasi pemeriksaan",
            action=_("Layanan psikologis selesai"),
            status_label=_("Layanan psikologis"),
        ),
        Step(
            "legal",
            "7",
            "Memberikan bantuan hukum untuk korban dengan menyediakan pengacara sebagai pendamping pada "
            "pemeriksaan dan penyidikan di Unit Polres, serta proses hukum di pengadilan",
            executor="legal",
            output="Terfasilitasinya aspek hukum korban, Dokumentasi pendampingan hukum korban",
            action=_("Bantuan hukum selesai"),
            status_label=_("Bantuan hukum"),
        ),
        Step(
            "reintegration",
            "8",
            # Seed: "Reinregrasi/Rehabilitas", a typo.
            "Reintegrasi/Rehabilitasi",
            executor="social_worker",
            output="Terfasilitasinya aspek rehabilitas korban, Dokumentasi pendampingan",
            action=_("Reintegrasi selesai"),
            status_label=_("Reintegrasi/rehabilitasi"),
        ),
        Step(
            "closure",
            "9",
            "Proses Selesai",
            executor="chair",
            output="Dokumentasi laporan penanganan kasus",
            action=_("Setujui laporan dan tutup kasus"),
            status_label=_("Menunggu penutupan kasus"),
        ),
    ),
)
