"""Fasilitasi Pembuatan Identitas Kependudukan bagi PPKS Terlantar (Dinsos P3A Purwakarta).

The seed has no SOP sheet: its Standar Pelayanan lists an 8-step mechanism,
which is this workflow; the SOP sheet is drawn from it. Fixed seed typo:
"Rehadayasos" (Rehdayasos).
"""

from django.utils.translation import gettext_lazy as _

from portal.roles import Office, Role
from portal.workflow import Branch, Executor, Identity, Step, Workflow, minutes

REJECTED = "ditolak"
# The standard's Persyaratan Pelayanan, as kinds of `documents` and fields of the record (how step 3 recorded
# each). Each must be obtained (its document attached) or waived by the Kabid with a written reason before an
# issued document is recorded and before these steps are done: Disdukcapil is approached with them, and a file
# is not archived without them. A Step's `required_documents` leaves no room for a waiver, so
# identitas.services.missing_for reads these.
REQUIREMENTS = ("population_record", "dtks_letter")
REQUIREMENTS_MET_BEFORE = ("accompaniment", "archive")

WORKFLOW = Workflow(
    name=_("Fasilitasi Pembuatan Identitas Kependudukan bagi PPKS Terlantar"),
    time=minutes(300),
    observers=(Role.AGENCY_HEAD,),
    start_action=_("Catat laporan baru"),
    executors=(
        # The Kabid of the Bidang running the service, not a Kepala Bidang of another Bidang of the Dinas.
        Executor("head", "Kepala Bidang Rehdayasos", (Role.HEAD,), offices=(Office.DIVISION_HEAD,)),
        Executor("team", "Tim Kerja", (Role.OFFICER,)),
    ),
    # Only the Tim Kerja and the Kabid of the unit running the service read the person's identity.
    identity=Identity(readers=("head", "team")),
    final_statuses=("selesai", REJECTED),
    final_labels={"selesai": _("Selesai"), REJECTED: _("Tidak dilanjutkan")},
    # The 300 minutes run from the report's receipt to the report to the Kabid (step 7); archiving is after.
    time_covers=("report", "review", "record", "outreach", "analysis", "accompaniment", "result_report"),
    documents={
        "population_record": _("Informasi rekam data kependudukan"),
        "dtks_letter": _("Surat keterangan terdaftar/tidak terdaftar di DTKS"),
        "photo": _("Foto PPKS (dengan persetujuan)"),
        "issued_document": _("Salinan dokumen kependudukan terbit"),
        "result_report_signed": _("Laporan hasil layanan bertanda tangan"),
    },
    steps=(
        Step(
            "report",
            "1",
            "Menerima Laporan dan pengajuan dari Masyarakat kepada Dinas Sosial P3A Kab.Purwakarta",
            executor="team",
            printed_requirements="Informasi Rekam Data Kependudukan/Identitas Kependudukan; Surat Keterangan "
            "terdaftar/tidak terdaftar di DTKS",
            output="Laporan dan pengajuan diterima",
            action=_("Kirim laporan kepada Kabid"),
            status_label=_("Laporan masuk"),
        ),
        Step(
            "review",
            "2",
            "Kepala Bidang Rehdayasos mengkaji Laporan dan Pengajuan dari Masyarakat",
            executor="head",
            output="Laporan dan pengajuan dikaji",
            branches=(
                Branch("accept", _("Lanjutkan"), "record"),
                # The reason goes back to the reporter, in the reply letter.
                Branch("decline", _("Tidak dilanjutkan"), REJECTED, note_required=True),
            ),
            status_label=_("Menunggu kajian Kabid"),
        ),
        Step(
            "record",
            "3",
            "Tim Kerja mencatat laporan dan mempersiapkan data pendukung beserta syarat yang harus dipenuhi untuk "
            "melanjutkan proses layanan data pendukung dan identitas PPKS Terlantar",
            executor="team",
            output="Data pendukung dan persyaratan tersedia",
            action=_("Data dan persyaratan tercatat"),
            status_label=_("Pencatatan data dan persyaratan"),
        ),
        Step(
            "outreach",
            "4",
            "Melaksanakan penjangkauan dan asesmen awal kepada PPKS Terlantar",
            executor="team",
            output="Hasil penjangkauan dan asesmen awal",
            action=_("Penjangkauan dan asesmen selesai"),
            status_label=_("Penjangkauan dan asesmen awal"),
        ),
        Step(
            "analysis",
            "5",
            "Tim Kerja Melaksanakan analisis kebutuhan hasil asesmen awal permasalahan PPKS Terlantar dan "
            "melaporkan kepada Kabid Rehdayasos",
            executor="team",
            output="Analisis kebutuhan dilaporkan",
            action=_("Laporkan analisis kepada Kabid"),
            status_label=_("Analisis kebutuhan"),
        ),
        Step(
            "accompaniment",
            "6",
            "Tim Kerja membantu/mendampingi PPKS Terlantar untuk melakukan pembuatan identitas kependudukan "
            "kepada Dinas Teknis terkait",
            executor="team",
            output="Identitas kependudukan PPKS Terlantar",
            action=_("Dokumen terbit, lanjut laporan"),
            status_label=_("Pendampingan ke Disdukcapil"),
        ),
        Step(
            "result_report",
            "7",
            "Tim Kerja melaporkan hasil layanan kepada Kabid Rehdayasos",
            executor="team",
            output="Laporan hasil layanan",
            # Its form records the result and, when the 300 minutes were passed, why (the compensation promise).
            own_form=True,
            action=_("Laporkan hasil kepada Kabid"),
            status_label=_("Laporan hasil kepada Kabid"),
        ),
        Step(
            "archive",
            "8",
            "Tim Kerja melakukan pengarsipan dokumen",
            executor="team",
            output="Dokumen terarsip",
            action=_("Arsipkan berkas"),
            status_label=_("Pengarsipan dokumen"),
        ),
    ),
)
