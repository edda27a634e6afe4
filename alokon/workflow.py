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

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.roles import Office, Role
from portal.workflow import Branch, Check, Executor, Step, Workflow, days, minutes

REJECTED = "ditolak"
# Movement.Kind.ISSUE, named here as stored: the models import this declaration.
ISSUE = "keluar"


def _report_month(distribution):
    """The month whose report completes the distribution's steps 7-9: the delivery's."""
    return (distribution.delivered_on or timezone.localdate()).replace(day=1)


def _reported(distribution):
    """The faskes has sent its monthly report for the month of the delivery, or a later one."""
    return distribution.facility.reports.filter(month__gte=_report_month(distribution)).exists()


def _monthly_report(distribution):
    return reverse("alokon:report_new", args=[distribution.facility_id, f"{_report_month(distribution):%Y-%m}"])


ASKED = Check(lambda d: d.lines.exists(), _("Isi jumlah paling sedikit satu barang yang diminta."))
REPORTED = Check(_reported, _("Kirim laporan bulanan faskes (Laporan bulanan): langkah 7-9 selesai dengannya."))

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
            done_at=lambda d: reverse("alokon:request", args=[d.service.slug]),
            printed_requirements="Surat Permohonan / Rensi Distribusi Rutin",
            time=minutes(30),
            output="Surat Permohonan / Rencana Distribusi Rutin",
            section=SECTION_DISTRIBUTION,
            next="spmb",
            action=_("Kirim permintaan"),
            status_label=_("Permintaan faskes"),
            checks=(ASKED,),
        ),
        Step(
            "routine_plan",
            "1b",
            "Membuat rencana distribusi rutin dan menerima permintaan alat dan obat kontrasepsi",
            executor="storekeeper",
            done_at=lambda d: reverse("alokon:plan", args=[d.plan_id]),
            printed_requirements="Surat Permohonan / Rensi Distribusi Rutin",
            time=minutes(30),
            output="Surat Permohonan / Rencana Distribusi Rutin",
            section=SECTION_DISTRIBUTION,
            next="spmb",
            action=_("Ajukan rencana distribusi"),
            status_label=_("Rencana distribusi rutin"),
            checks=(ASKED,),
        ),
        Step(
            "spmb",
            "2",
            "Penerbitan SPMB",
            executor="secretary",
            form="alokon.forms.SpmbForm",
            printed_requirements="SPMB",
            output="SPMB yang disetujui",
            branches=(
                Branch("approve", _("Setujui SPMB"), "packing", checks=(
                    Check(lambda d: not d.lines.filter(approved__isnull=True).exists(),
                          _("Isi jumlah yang disetujui untuk setiap barang (0: tidak diberikan sekarang).")),
                    Check(lambda d: d.lines.filter(approved__gt=0).exists(),
                          _("Tidak ada barang yang disetujui: isi jumlahnya, atau tolak SPMB ini dengan alasannya.")),
                    Check(lambda d: d.spmb_sequence is not None, _("SPMB belum bernomor: setujui dari formulirnya.")),
                )),
                Branch("reject", _("Tolak SPMB"), REJECTED, note_required=True),
            ),
            status_label=_("Menunggu SPMB"),
        ),
        Step(
            "packing",
            "3",
            "Menerima dan mengecek stok alkon dan mempersiapkan Penerbitan surat bukti Barang keluar (SBBK) "
            "serta pengepakan alat dan obat kontrasepsi",
            executor="storekeeper",
            form="alokon.forms.SbbkForm",
            hold="alokon.stock.sbbk_held",
            checks=(Check(lambda d: d.sbbk_sequence is not None, _("Terbitkan SBBK: stok belum dikeluarkan.")),),
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
            form="alokon.forms.DeliveryForm",
            checks=(Check(lambda d: d.delivered_on is not None, _("Isi tanggal diterima faskes."), field="delivered_on"),),
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
            form="alokon.forms.MonitoringForm",
            checks=(Check(lambda d: hasattr(d, "monitoring"), _("Catat hasil monitoring UPTD P5A.")),),
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
            form="alokon.forms.ReceiptConfirmForm",
            checks=(Check(lambda d: not d.movements.filter(kind=ISSUE, confirmation__isnull=True).exists(),
                          _("Konfirmasi penerimaan setiap baris SBBK.")),),
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
            done_at=_monthly_report,
            printed_requirements="Sarana Prasarana dan Alokon",
            output="Terlayaninya calon akseptor KB",
            checks=(REPORTED,),
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
            done_at=_monthly_report,
            output="Terlaporkannya hasil pelayanan KB melalui aplikasi New SIGA",
            checks=(REPORTED,),
            section=SECTION_USE,
            action=_("Kirim laporan bulanan"),
            status_label=_("Koordinasi dengan UPTD"),
        ),
        Step(
            "reporting",
            "9",
            "Pencatatan dan Pelaporan",
            executor="faskes",
            done_at=_monthly_report,
            section=SECTION_USE,
            checks=(REPORTED,),
            action=_("Kirim laporan bulanan"),
            status_label=_("Menunggu laporan bulanan"),
        ),
    ),
)
