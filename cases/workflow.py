"""SOP Pelayanan dan Pendampingan P2TP2A (DPPKBPPPA Kabupaten Ciamis).

The steps, executors and outputs are those of the seed's activity table; the
printed SOP sheet is drawn from this declaration.
"""

from django.utils.translation import gettext_lazy as _

from portal.roles import Role
from portal.workflow import Executor, Step, Workflow, months

WORKFLOW = Workflow(
    name=_("Pelayanan dan Pendampingan P2TP2A"),
    time=months(3),
    observers=(Role.AGENCY_HEAD,),
    start_action=_("Catat laporan baru"),
    executors=(
        Executor("chair", "Ketua", (Role.HEAD,)),
        Executor("secretary", "Sekretaris", (Role.HEAD,)),
        Executor("data", "Divisi Data", (Role.OFFICER,)),
        Executor("legal", "Divisi Hukum", (Role.OFFICER,)),
        Executor("social_worker", "Pekerja sosial", (Role.OFFICER,)),
        Executor("companion", "Pendamping", (Role.OFFICER,)),
        Executor("psychologist", "Psikolog", (Role.OFFICER,)),
    ),
    steps=(
        Step(
            "report",
            "1",
            "Pelapor/korban datang sendiri ke Petugas, atau Laporan dari masyarakat, atau laporan dari "
            "pemeriksaan medis dimana korban diperiksa",
            executor="data",
            output="Identitas korban tercatat dalam dokumen",
        ),
        Step(
            "intake",
            "2",
            "Laporan diterima dan dicatat oleh Petugas P2TP2A",
            executor="data",
            output="Berkas Pengaduan kasus",
        ),
        Step(
            "outreach",
            "3",
            "Petugas melaksanakan verifikasi / pendampingan ke Lapangan/korban",
            executor="social_worker",
            output="SPT penjangkauan",
        ),
        Step(
            "assessment",
            "4",
            "Petugas melaksanakan pencatatan/asesmen bagi korban",
            executor="social_worker",
            output="Terdokumentasinya hasil asesmen",
        ),
        Step(
            "medical",
            "5",
            "Memberikan aspek medis yaitu mendampingi RSUD untuk diperiksa",
            executor="companion",
            output="Terfasilitasinya aspek medis korban, Dokumentasi",
        ),
        Step(
            "psychological",
            "6",
            "Memberikan fasilitasi aspek psikis yaitu merujuk korban ke Psikolog untuk di periksa secara psikis",
            executor="psychologist",
            output="Terfasilitasinya aspek medis Psikologis, Dokumentasi pemeriksaan",
        ),
        Step(
            "legal",
            "7",
            "Memberikan bantuan hukum untuk korban dengan menyediakan pengacara sebagai pendamping pada "
            "pemeriksaan dan penyidikan di Unit Polres, serta proses hukum di pengadilan",
            executor="legal",
            output="Terfasilitasinya aspek hukum korban, Dokumentasi pendampingan hukum korban",
        ),
        Step(
            "reintegration",
            "8",
            # Seed: "Reinregrasi/Rehabilitas", a typo.
            "Reintegrasi/Rehabilitasi",
            executor="social_worker",
            output="Terfasilitasinya aspek rehabilitas korban, Dokumentasi pendampingan",
        ),
        Step(
            "closure",
            "9",
            "Proses Selesai",
            executor="chair",
            output="Dokumentasi laporan penanganan kasus",
        ),
    ),
)
