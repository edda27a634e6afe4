"""SOP Pelayanan Penyaluran Alat dan Obat Kontrasepsi (DPPKBPPPA Kabupaten Ciamis).

A distribution starts either from a health facility's request (1a) or from the
storekeeper's routine plan (1b); both go on to the SPMB. Fixed seed typos:
"Penertbitan" (Penerbitan), "Terlayannya" (Terlayaninya).

At run time the steps follow the seed's order: after the delivery (4) the UPTD
P5A of the faskes' kecamatan records its coordination and monitoring (5), the
faskes confirms receipt per line (6), and its monthly report completes services
(7), coordination (8) and reporting (9). The service's 2 days run from the
request to the SBBK; the delivery has its own 3 days.
"""

from django.utils.translation import gettext_lazy as _

from portal.roles import Office, Role
from portal.workflow import Branch, Executor, Step, Workflow, days, minutes

REJECTED = "ditolak"

SECTION_DISTRIBUTION = (
    "I. Penyimpanan dan Penyaluran Alat dan Obat Kontrasepsi Keluarga Berencana di Kabupaten Ciamis"
)
SECTION_USE = "II. Penggunaan Alat dan Obat Kontrasepsi Keluarga Berencana di Fasilitas Kesehatan"

WORKFLOW = Workflow(
    name=_("Pelayanan Penyaluran Alat dan Obat Kontrasepsi"),
    time=days(2),
    observers=(Role.AGENCY_HEAD,),
    start_action=_("Buat permintaan"),
    time_covers=("request", "routine_plan", "spmb", "packing"),
    executors=(
        Executor("uptd", "UPTD P5A", (Role.OFFICER,)),
        # The UPTD P5A may act for a faskes without an account (a midwife's practice): request, confirm, report.
        Executor("faskes", "Fasilitas Kesehatan", (Role.FASKES,), standins=("uptd",)),
        Executor("storekeeper", "Pengelola Barang", (Role.STOREKEEPER,)),
        # The SPMB is the Sekretaris Dinas's, not any Kepala Bidang's of the Dinas.
        Executor("secretary", "Sekretaris", (Role.HEAD,), offices=(Office.AGENCY_SECRETARY,)),
    ),
    start_steps=("request", "routine_plan"),
    final_statuses=("selesai", REJECTED),
    final_labels={"selesai": _("Selesai"), REJECTED: _("Ditolak")},
    steps=(
        Step(
            "request",
            "1a",
            "Membuat Permintaan dan menerima alat dan obat kontrasepsi",
            executor="faskes",
            own_form=True,
            printed_requirements="Surat Permohonan / Rensi Distribusi Rutin",
            time=minutes(30),
            output="Surat Permohonan / Rencana Distribusi Rutin",
            section=SECTION_DISTRIBUTION,
            next="spmb",
            action=_("Kirim permintaan"),
            status_label=_("Permintaan faskes"),
        ),
        Step(
            "routine_plan",
            "1b",
            "Membuat rencana distribusi rutin dan menerima permintaan alat dan obat kontrasepsi",
            executor="storekeeper",
            own_form=True,
            printed_requirements="Surat Permohonan / Rensi Distribusi Rutin",
            time=minutes(30),
            output="Surat Permohonan / Rencana Distribusi Rutin",
            section=SECTION_DISTRIBUTION,
            next="spmb",
            action=_("Ajukan rencana distribusi"),
            status_label=_("Rencana distribusi rutin"),
        ),
        Step(
            "spmb",
            "2",
            "Penerbitan SPMB",
            executor="secretary",
            own_form=True,
            printed_requirements="SPMB",
            output="SPMB yang disetujui",
            branches=(
                Branch("approve", _("Setujui SPMB"), "packing"),
                Branch("reject", _("Tolak"), REJECTED, note_required=True),
            ),
            status_label=_("Menunggu SPMB"),
        ),
        Step(
            "packing",
            "3",
            "Menerima dan mengecek stok alkon dan mempersiapkan Penerbitan surat bukti Barang keluar (SBBK) "
            "serta pengepakan alat dan obat kontrasepsi",
            executor="storekeeper",
            own_form=True,
            printed_requirements="SBBK dan Alokon",
            output="SPMB yang telah disetujui",
            action=_("Terbitkan SBBK dan keluarkan stok"),
            status_label=_("Menunggu SBBK"),
        ),
        Step(
            "delivery",
            "4",
            "Menyalurkan alat obat kontrasepsi keluarga berencana ke fasilitas kesehatan yang terdaftar di "
            "aplikasi New SIGA sesuai dengan kebutuhan dan ketentuan yang berlaku",
            executor="storekeeper",
            own_form=True,
            printed_requirements="SBBK dan Alokon",
            time=days(3),
            output="Tersalurkannya alat dan obat kontrasepsi ke Faskes",
            action=_("Catat penyerahan"),
            status_label=_("Dalam penyaluran"),
        ),
        Step(
            "monitoring",
            "5",
            "berkoordinasi dengan UPTD Pengendalian Penduduk, Pemberdayaan Perempuan dan Perlindungan Anak di "
            "wilayah Kecamatan untuk melakukan pembinaan dan monitoring terkait penggunaan, pencatatan dan "
            "pelaporan penggunaan alat dan obat kontrasepsi keluarga berencana",
            executor="uptd",
            own_form=True,
            printed_requirements="Arsip SBBK",
            output="Terpantaunya dan tercatat penggunaan alat dan obat kontrasepsi di faskes",
            action=_("Simpan hasil monitoring"),
            status_label=_("Menunggu monitoring UPTD"),
        ),
        Step(
            "receipt",
            "6",
            "Menerima dan mencatat alat kontrasepsi yang didistribusikan oleh Dinas Pengendalian Penduduk, "
            "Keluarga Berencana, Pemberdayaan Perempuan dan Perlindungan Anak Kabupaten Ciamis sesuai dengan "
            "ketentuan yang berlaku;",
            executor="faskes",
            own_form=True,
            printed_requirements="SBBK dan Alokon",
            output="Tersedianya alat dan obat kontrasepsi di fasilitas kesehatan",
            section=SECTION_USE,
            action=_("Konfirmasi penerimaan"),
            status_label=_("Menunggu konfirmasi penerimaan"),
        ),
        Step(
            "service",
            "7",
            "Fasilitas Kesehatan memberikan pelayanan KB Kepada semua pasangan usia subur penerima iuran di "
            "fasilitas kesehatan tersebut baik peserta KB baru, ulang ataupun ganti cara",
            executor="faskes",
            own_form=True,
            printed_requirements="Sarana Prasarana dan Alokon",
            output="Terlayaninya calon akseptor KB",
            section=SECTION_USE,
            action=_("Kirim laporan bulanan"),
            status_label=_("Pelayanan KB di faskes"),
        ),
        Step(
            "coordination",
            "8",
            "fasilitas kesehatan selalu berkoordinasi dengan UPTD Pengendalian Penduduk Pemberdayaan Perempuan "
            "dan Perlindungan Anak di wilayah Kecamatan dalam melaksanakan kegiatan pelayanan KB",
            executor="faskes",
            own_form=True,
            output="Terlaporkannya hasil pelayanan KB melalui aplikasi New SIGA",
            section=SECTION_USE,
            action=_("Kirim laporan bulanan"),
            status_label=_("Koordinasi dengan UPTD"),
        ),
        Step(
            "reporting",
            "9",
            "Pencatatan dan Pelaporan",
            executor="faskes",
            own_form=True,
            section=SECTION_USE,
            action=_("Kirim laporan bulanan"),
            status_label=_("Menunggu laporan bulanan"),
        ),
    ),
)
