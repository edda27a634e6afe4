"""Penanganan pengaduan, saran dan masukan: the complaint handling every service standard promises.

Each agency's standard prints its own handling, and both are declared here as one workflow with two ways in
(`start_steps`); an agency's complaint desk (complaints.models.Desk) names the one its standard prints, and its
SOP sheet shows that way only (`Workflow.path_from`):

- DPPKBPPPA Ciamis (P2TP2A and ALOKON standards, "Penanganan, Pengaduan, Saran dan Masukan"): the team follows
  up in four stages, cek data, verifikasi lapangan, koordinasi internal/eksternal and koordinasi instansi
  terkait; "Responsif pengaduan 2 (dua) hari kerja sejak diterimanya pengaduan": the first response is due two
  working days after receipt, in the unit's calendar; the settlement has no time ("sesuai dengan kondisi
  permasalahan yang ada").
- Dinsos P3A Purwakarta (PPKS identity standard, "Pengaduan langsung"): the officer responds until there is a
  solution; one who cannot settle it passes it to the official concerned, who settles it. It names no time.

Every reply a step sends (its form's `reply`) goes to the complainant: on the follow-up page, and by e-mail when
they left an address.
"""

from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from portal.roles import Role
from portal.workflow import DONE, Branch, Check, Executor, Step, Task, Workflow, days

TEAM_REVIEW = "check"  # the first step of Ciamis' way
OFFICER_RESPONSE = "respond"  # the first step of Purwakarta's way
EVIDENCE = "bukti"  # a photo or a document the complainant sends with the complaint


def _replied(record):
    # The step's form sends the reply as it completes the step (forms.ReplyStepForm), just before this check.
    return record.replies.filter(sent_at__gte=record.status_changed_at).exists()


REPLY_WRITTEN = Check(_replied, _("Tuliskan jawaban untuk pengadu."), field="reply")


WORKFLOW = Workflow(
    name=_("Penanganan Pengaduan, Saran dan Masukan"),
    time=days(2),
    # Ciamis' two working days run to the first response: the end of the data check.
    time_covers=(TEAM_REVIEW,),
    start_steps=(TEAM_REVIEW, OFFICER_RESPONSE),
    start_action=_("Catat pengaduan"),
    documents={EVIDENCE: _("Bukti pendukung")},
    executors=(
        # Complaints about ALOKON reach its storekeeper: the Dinas keeps no other officer for it (Complaint.role_filter).
        Executor("officer", "Petugas / Tim penanganan pengaduan", (Role.OFFICER, Role.STOREKEEPER)),
        Executor("official", "Pejabat terkait", (Role.HEAD, Role.AGENCY_HEAD)),
    ),
    tasks=(
        Task("instruct", _("Beri arahan atas pengaduan yang terlambat"), "official",
             (TEAM_REVIEW,), lambda: Q(due_at__lt=Now(), instructed_at__isnull=True), anchor="arahan"),
    ),
    steps=(
        Step(
            TEAM_REVIEW, "a", "Cek data", executor="officer",
            section="Ditindaklanjuti oleh tim (Standar Pelayanan DPPKBPPPA Kabupaten Ciamis)",
            printed_requirements="Pengaduan, saran dan masukan melalui sarana pengaduan",
            time=days(2), output="Tanggapan awal kepada pengadu",
            remarks="Responsif pengaduan 2 (dua) hari kerja sejak diterimanya pengaduan",
            form="portal.complaints.forms.ReplyStepForm", checks=(REPLY_WRITTEN,),
            action=_("Kirim tanggapan awal"), status_label=_("Cek data"),
        ),
        Step(
            "field", "b", "Verifikasi lapangan", executor="officer", output="Hasil verifikasi lapangan",
            form="portal.complaints.forms.FindingStepForm",
            action=_("Verifikasi lapangan selesai"), status_label=_("Verifikasi lapangan"),
        ),
        Step(
            "internal", "c", "Koordinasi internal/eksternal", executor="officer", output="Hasil koordinasi",
            form="portal.complaints.forms.FindingStepForm",
            action=_("Koordinasi internal/eksternal selesai"), status_label=_("Koordinasi internal/eksternal"),
        ),
        Step(
            "agencies", "d", "Koordinasi instansi terkait", executor="officer", next=DONE,
            output="Penyelesaian pengaduan", remarks="Penyelesaian sesuai dengan kondisi permasalahan yang ada",
            form="portal.complaints.forms.ReplyStepForm", checks=(REPLY_WRITTEN,),
            action=_("Kirim penyelesaian kepada pengadu"), status_label=_("Koordinasi instansi terkait"),
        ),
        Step(
            OFFICER_RESPONSE, "1", "Petugas merespon pengaduan pemohon sampai mendapatkan solusi", executor="officer",
            section="Pengaduan langsung (Standar Pelayanan Dinsos P3A Kabupaten Purwakarta)",
            printed_requirements="Pemohon menyampaikan pengaduan langsung kepada petugas",
            output="Solusi, atau pengaduan diteruskan ke pejabat terkait",
            form="portal.complaints.forms.ReplyStepForm",
            branches=(
                Branch("settled", _("Selesai: kirim jawaban kepada pengadu"), DONE, checks=(REPLY_WRITTEN,)),
                # The reason stays inside: what the complainant reads is the official's answer.
                Branch("escalate", _("Teruskan ke pejabat terkait"), "official", note_required=True),
            ),
            # The officer who records a complaint brought in person answers it too.
            approval=False,
            status_label=_("Direspon petugas"),
        ),
        Step(
            "official", "2", "Pejabat yang terkait menyelesaikan permasalahan sampai tuntas dan mendapatkan solusi",
            executor="official", next=DONE, output="Penyelesaian pengaduan",
            form="portal.complaints.forms.ReplyStepForm", checks=(REPLY_WRITTEN,),
            action=_("Kirim penyelesaian kepada pengadu"), status_label=_("Diteruskan ke pejabat terkait"),
        ),
    ),
)
