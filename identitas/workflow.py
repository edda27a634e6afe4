"""Fasilitasi Pembuatan Identitas Kependudukan bagi PPKS Terlantar (Dinsos P3A Purwakarta).

The seed has no SOP sheet: its Standar Pelayanan lists an 8-step mechanism,
which is this workflow; the SOP sheet is drawn from it. Fixed seed typo:
"Rehadayasos" (Rehdayasos).
"""

from django.utils.translation import gettext_lazy as _

from identitas.policy import Requirement, requirement_met, requirement_unmet_filter
from portal.roles import Office, Role
from portal.workflow import Branch, Check, Executor, Identity, Step, Task, Workflow, minutes

REJECTED = "ditolak"

# The checks read the record as its step's form just saved it (identitas.forms): the team's notes are
# `record.notes`, the documents, waits and follow-ups its other parts.


def _written(name):
    return lambda record: bool(getattr(record.notes, name).strip())


def _chosen(name):
    return lambda record: bool(getattr(record.notes, name))


def _recorded(kind):
    return lambda record: bool(getattr(record, kind))


def _attached_as_recorded(kind):
    return lambda record: getattr(record, kind) != Requirement.ATTACHED or requirement_met(record, kind)


def _met(kind):
    return lambda record: requirement_met(record, kind)


# Step 3: how each of the standard's requirements is to be had; one chosen "attached" is attached.
RECORD_CHECKS = (
    Check(_recorded("population_record"), _("Pilih cara memperoleh informasi rekam data kependudukan."),
          field="population_record"),
    Check(_attached_as_recorded("population_record"),
          _("Unggah informasi rekam data kependudukan di bagian Lampiran, atau pilih diminta dari sumbernya."),
          field="population_record"),
    Check(_recorded("dtks_letter"), _("Pilih cara memperoleh surat keterangan DTKS."), field="dtks_letter"),
    Check(_attached_as_recorded("dtks_letter"),
          _("Unggah surat keterangan DTKS di bagian Lampiran, atau pilih diminta dari sumbernya."), field="dtks_letter"),
    Check(_chosen("population_recorded"), _("Pilih status rekam data kependudukan."), field="population_recorded"),
)
# The standard's requirements, each obtained or waived by the Kabid with a written reason, before Disdukcapil
# is approached (an issued document is recorded, identitas.services.document_add) and before the file is
# archived. A Step's `required_documents` leaves no room for a waiver, hence these checks.
REQUIREMENTS_MET = (
    Check(_met("population_record"),
          _("Lampirkan informasi rekam data kependudukan, atau minta Kabid mengesampingkannya dengan alasan.")),
    Check(_met("dtks_letter"), _("Lampirkan surat keterangan DTKS, atau minta Kabid mengesampingkannya dengan alasan.")),
)

WORKFLOW = Workflow(
    name=_("Fasilitasi Pembuatan Identitas Kependudukan bagi PPKS Terlantar"),
    time=minutes(300),
    # The team hears at 240 of its 300 minutes that the facilitation is near its standard.
    reminder_share=0.8,
    observers=(Role.AGENCY_HEAD,),
    start_action=_("Catat laporan baru"),
    executors=(
        # The Kabid of the Bidang running the service, not a Kepala Bidang of another Bidang of the Dinas.
        Executor("head", "Kepala Bidang Rehdayasos", (Role.HEAD,), offices=(Office.DIVISION_HEAD,)),
        Executor("team", "Tim Kerja", (Role.OFFICER,)),
    ),
    # Only the Tim Kerja and the Kabid of the unit running the service read the person's identity.
    identity=Identity(readers=("head", "team"), person="person"),
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
    # The Kabid waives a requirement the team could not obtain: while the accompaniment waits for it, it is in the
    # Kabid's worklist.
    tasks=(
        Task("waive", _("Kesampingkan persyaratan yang tidak dapat dipenuhi"), "head", ("accompaniment",),
             requirement_unmet_filter, anchor="persyaratan"),
    ),
    steps=(
        Step(
            "report",
            "1",
            "Menerima Laporan dan pengajuan dari Masyarakat kepada Dinas Sosial P3A Kab.Purwakarta",
            executor="team",
            printed_requirements="Informasi Rekam Data Kependudukan/Identitas Kependudukan; Surat Keterangan "
            "terdaftar/tidak terdaftar di DTKS",
            output="Laporan dan pengajuan diterima",
            form="identitas.forms.ReportStepForm",
            checks=(Check(_written("report"), _("Tuliskan isi laporan."), field="report"),),
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
            form="identitas.forms.RecordStepForm",
            checks=RECORD_CHECKS,
            action=_("Data dan persyaratan tercatat"),
            status_label=_("Pencatatan data dan persyaratan"),
        ),
        Step(
            "outreach",
            "4",
            "Melaksanakan penjangkauan dan asesmen awal kepada PPKS Terlantar",
            executor="team",
            output="Hasil penjangkauan dan asesmen awal",
            form="identitas.forms.OutreachStepForm",
            checks=(
                Check(_written("found_address"), _("Tuliskan alamat tempat PPKS ditemukan."), field="found_address"),
                Check(lambda record: record.kecamatan_id is not None, _("Pilih kecamatan tempat PPKS ditemukan."),
                      field="kecamatan"),
                Check(_written("condition"), _("Tuliskan kondisi PPKS."), field="condition"),
                Check(_chosen("photo_consent"), _("Pilih persetujuan foto PPKS."), field="photo_consent"),
            ),
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
            form="identitas.forms.AnalysisStepForm",
            checks=(Check(_written("needs_analysis"), _("Tuliskan analisis kebutuhan."), field="needs_analysis"),),
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
            # Its parts have their own forms on the page: the waits for Disdukcapil and the documents issued.
            checks=(
                *REQUIREMENTS_MET,
                Check(lambda record: not record.waits.filter(ended_at=None).exists(),
                      _("Hasil Disdukcapil belum diterima: catat dulu bahwa penantian Disdukcapil selesai.")),
                Check(lambda record: record.documents.exists(), _("Catat dokumen kependudukan yang terbit.")),
            ),
            action=_("Dokumen terbit, lanjut laporan"),
            status_label=_("Pendampingan ke Disdukcapil"),
        ),
        Step(
            "result_report",
            "7",
            "Tim Kerja melaporkan hasil layanan kepada Kabid Rehdayasos",
            executor="team",
            output="Laporan hasil layanan",
            # Its form records the result and measures the agency's time; past the 300 minutes, why (the standard
            # promises compensation).
            form="identitas.forms.ResultStepForm",
            checks=(
                # The form's save measures the agency's time: a transition fired without it (transition_fire) has not.
                Check(lambda record: record.result_reported_at is not None,
                      _("Hasil layanan dilaporkan dengan formulir langkah ini, yang juga mencatat waktu layanan.")),
                Check(_written("result_summary"), _("Tuliskan hasil layanan."), field="summary"),
                Check(lambda record: not record.standard_missed or bool(record.notes.missed_reason.strip()),
                      _("Waktu layanan melewati standar 300 menit: tuliskan alasannya."), field="missed_reason"),
            ),
            action=_("Laporkan hasil kepada Kabid"),
            status_label=_("Laporan hasil kepada Kabid"),
        ),
        Step(
            "archive",
            "8",
            "Tim Kerja melakukan pengarsipan dokumen",
            executor="team",
            output="Dokumen terarsip",
            checks=(
                *REQUIREMENTS_MET,
                Check(lambda record: not record.follow_ups.filter(state="disarankan").exists(),
                      _("Putuskan setiap tindak lanjut yang disarankan: dilaksanakan atau tidak diperlukan.")),
            ),
            action=_("Arsipkan berkas"),
            status_label=_("Pengarsipan dokumen"),
        ),
    ),
)
