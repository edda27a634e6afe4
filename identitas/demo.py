"""The PPKS identity facilitation demo of Dinsos P3A Purwakarta for load_demo, in demo mode only: the two more
Tim Kerja officers that make the standard's three pelaksana, and about thirty facilitations of this quarter and
the last one: waiting in every step, a few overdue, a few declined, and finished ones with their documents,
follow-ups and agency minutes.

Each facilitation is entered as it happened: each act runs at its own moment, taking the record through its
step forms (portal.services.step_take), identitas.services (given the moment as `now`) and
portal.services.transition_fire as the account whose step it is. The engine's writes (the transition log, the
history, the attachments) read the clock itself, so the demo still stands it at each act's moment. So the receipt, the due times, the transition log and history, the waits for Disdukcapil,
the documents' dates and the agency minutes are what the services stored at those moments, under their rules
(a receipt at most 7 days old, a document dated between the receipt and that day). Moments are counted in the
unit's working minutes: the last quarter's facilitations spread over it, this quarter's counted back from now,
so the open ones wait in the same state (on time or overdue) whatever day the demo loads. A second run adds no
records.

Every name, story and number is made up: a NIK or KK number is well formed (portal.nik) with Purwakarta's
regency code 32.14 and belongs to nobody; phone numbers have 0000 in the middle, e-mail addresses are at
example.org.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from identitas import services
from identitas.models import DocumentKind, Facilitation, FollowUp, Notes, Person, PpksCategory, Reporter
from identitas.policy import REQUIREMENTS
from identitas.workflow import REJECTED, WORKFLOW
from portal.clock import add_months
from portal.management.commands.load_demo import DEMO_PASSWORD
from portal.models import Disability, Kecamatan, Membership, Service, Sex
from portal.nik import made_up_nik
from portal.pdf import render_pdf
from portal.roles import Role
from portal.services import attachment_add, step_take, transition_fire
from portal.workflow import DONE, SAVE_ONLY

SERVICE = "identitas-ppks-purwakarta"
PURWAKARTA = "3214"  # province and regency digits of the made-up NIKs
KABID = "kepala.rehdayasos-purwakarta"
# The standard names three pelaksana: load_demo's officer and two more, so the evaluation per officer has three.
NEW_OFFICERS = [
    ("peksos.rehdayasos-purwakarta", "Dewi Anggraeni", "Pekerja Sosial, Tim Kerja Rehdayasos"),
    ("pendamping.rehdayasos-purwakarta", "Yusuf Maulana", "Pendamping Rehabilitasi Sosial, Tim Kerja Rehdayasos"),
]
TEAM = ["petugas.rehdayasos-purwakarta", *(username for username, _name, _title in NEW_OFFICERS)]

# Working minutes of a Monday to Thursday of the unit's hours (08.00-16.00).
DAY = 8 * 60
# The working minutes each act takes the team at pace 1: about 230 from the receipt to the report to the Kabid.
PACE = {
    "report": 10, "accept": 20, "decline": 20, "record_notes": 20, "record": 10, "outreach_notes": 60,
    "outreach": 15, "analysis_notes": 20, "analysis": 5, "to_disdukcapil": 15, "between_waits": 10,
    "document": 8, "accompaniment": 10, "result_report": 20, "archive": 30,
}
RECORDED = 5  # the officer records a report five minutes after it came
ARCHIVE_AFTER = DAY  # the follow-ups are decided and the file archived the next working day
# The day and month in the NIK of a person whose birth date nobody knows.
ASSIGNED_BIRTHDAY = (7, 1)

GIVEN, CANNOT, REFUSED = Notes.PhotoConsent.GIVEN, Notes.PhotoConsent.CANNOT, Notes.PhotoConsent.REFUSED
L, P = Sex.MALE, Sex.FEMALE
NIK, KTP, KK, AKTA, KIA = (kind.value for kind in DocumentKind)
DONE_FOLLOW_UP, NOT_NEEDED = FollowUp.State.DONE, FollowUp.State.NOT_NEEDED
# Why the Kabid goes on without the DTKS letter of a person whose NIK is not known yet: DTKS is looked up by NIK.
NO_NIK_FOR_DTKS = (
    "PPKS belum memiliki NIK, sehingga belum dapat diperiksa di DTKS. Pendaftaran DTKS/DTSEN menjadi tindak lanjut "
    "setelah NIK terbit."
)
# What a follow-up still suggested when the file is archived came to.
FOLLOW_UP_DONE = {
    FollowUp.Kind.DTSEN: "Diusulkan masuk DTSEN melalui operator SIKS-NG desa.",
    FollowUp.Kind.HEALTH_INSURANCE: "Didaftarkan sebagai peserta PBI JK.",
}


@dataclass
class Demo:
    """One facilitation, from the report to where it waits on the demo's day."""

    name: str  # as reported: a name, or what people call the person when `alias`
    sex: str
    age: int  # years at the receipt; estimated unless `birthday` is known
    category: str  # PpksCategory code
    channel: str
    reporter: tuple[str, str, str]  # name, contact, relation to the person
    report: str
    kecamatan: str  # where the person is found, in load_demo's Purwakarta list
    place: str
    condition: str
    stop: str  # the status it waits in on the demo's day, DONE or REJECTED
    officer: int  # its officer's place in TEAM
    since: int | None = None  # working minutes from its last act to now; None: received in the last quarter
    alias: bool = False
    real_name: str = ""  # for an alias: the name the outreach finds
    birthday: tuple[int, int] | None = None  # (month, day) when known
    disability: str = Disability.NONE
    origin: str = ""
    family: str = "Belum ditemukan keluarga yang dapat dihubungi."
    nik_from: str = "documents"  # where the NIK becomes known: "report" (a copy the reporter brings),
    # "record" (Disdukcapil's data, step 3) or "documents" (the first NIK document issued)
    documents: tuple[str, ...] = ()  # what Disdukcapil issues, in order
    waits: tuple[int, ...] = ()  # working minutes of each wait for Disdukcapil's output
    waiting: bool = False  # after `waits`, one more begun and still running
    unwaived: bool = False  # the DTKS letter of a person without a NIK yet, not yet waived: the Kabid's task
    issued: int | None = None  # waiting in step 6: the documents recorded so far (None: all)
    begun: bool = False  # waiting in steps 3-5: the step's notes written, the step not yet completed
    pace: float = 1.0  # how long the team's work takes, against PACE
    photo: str = GIVEN
    point: tuple[str, str] | None = None  # latitude, longitude where found
    decline: str = ""  # the Kabid's reason, for a report not taken on
    missed: str = ""  # why the 300 minutes were passed
    follow_ups: tuple[tuple[str, str, str], ...] = ()  # (kind, state, note) decided before archiving


FACILITATIONS = [
    # The last quarter: done or declined.
    Demo("Mbah Ijah", P, 78, "lanjut_usia_telantar", Facilitation.Channel.PHONE,
         ("Ketua RT 03 Kampung Cigelam", "0812-0000-1031", "Tetangga"),
         "Seorang nenek tinggal sendiri di gubuk bekas kandang di belakang pasar, makan dari pemberian warga.",
         "Plered", "Belakang Pasar Plered, gubuk bekas kandang kambing",
         "Lemah, berjalan dengan tongkat; pendengaran berkurang; mau diajak bicara.", DONE, 0,
         alias=True, real_name="Khodijah", origin="Tidak diketahui", documents=(NIK, KTP, KK), waits=(600,),
         pace=0.9, point=("-6.632100", "107.388400"),
         follow_ups=((FollowUp.Kind.SHELTER, DONE_FOLLOW_UP, "Dirujuk ke Rumah Pelayanan Sosial Lanjut Usia."),)),
    Demo("Asep Sunandar", L, 11, "anak_jalanan", Facilitation.Channel.IN_PERSON,
         ("Yayasan Rumah Singgah Harapan", "Jl. Veteran, Purwakarta", "Pendamping rumah singgah"),
         "Anak yang mengamen di perempatan Sadang dibawa pendamping rumah singgah; tidak punya akta kelahiran.",
         "Purwakarta", "Perempatan Sadang", "Sehat, kurus; putus sekolah sejak kelas 3.", DONE, 1,
         birthday=(3, 14), origin="Purwakarta", family="Ibu kandung bekerja di luar kota; nenek tinggal di Ciseureuh.",
         documents=(KK, AKTA, KIA), waits=(900,), pace=1.05),
    Demo("Mang Udin", L, 52, "gelandangan", Facilitation.Channel.INSTAGRAM,
         ("@contoh.wargapeduli", "Instagram @contoh.wargapeduli", "Warga"),
         "Unggahan warga: seorang bapak tidur di emperan toko Jalan Ibrahim Singadilaga sejak berbulan-bulan.",
         "Bungursari", "Terminal Ciganea, pindah dari tempat yang dilaporkan", "Sehat; mengaku dari Garut.", DONE, 2,
         alias=True, real_name="Saepudin", origin="Garut", documents=(NIK, KTP, KK), waits=(480,), pace=1.6,
         missed="PPKS sudah berpindah dari tempat yang dilaporkan; tim baru menemukannya di Terminal Ciganea "
                "sore hari."),
    Demo("Tati Sumiati", P, 45, "disabilitas_telantar", Facilitation.Channel.LETTER,
         ("Kepala Desa Cibogo", "Kantor Desa Cibogo, Kec. Campaka", "Aparat desa"),
         "Surat kepala desa: warga dengan gangguan jiwa dipasung keluarganya yang sudah tidak sanggup merawat.",
         "Campaka", "Kampung Babakan RT 02/RW 01, Desa Cibogo", "Tenang setelah minum obat dari puskesmas.", DONE, 0,
         disability=Disability.MENTAL, origin="Campaka", family="Kakak kandung tinggal serumah.",
         nik_from="record", documents=(KTP, KK), pace=0.8, photo=CANNOT,
         follow_ups=((FollowUp.Kind.SHELTER, DONE_FOLLOW_UP, "Dirujuk ke RSJ untuk rawat jalan rutin."),)),
    Demo("Rohman", L, 38, "pengemis", Facilitation.Channel.EMAIL,
         ("Satpol PP Kabupaten Purwakarta", "satpolpp@example.org", "Petugas ketertiban"),
         "Seorang pengemis terjaring razia di Taman Sri Baduga; mengaku tidak punya KTP.",
         "Purwakarta", "Taman Sri Baduga", "Sehat.", REJECTED, 1,
         decline="Yang bersangkutan warga Kabupaten Subang dengan KTP-el yang masih berlaku; laporan diteruskan "
                 "ke Dinas Sosial Kabupaten Subang."),
    Demo("Nini Onah", P, 83, "lanjut_usia_telantar", Facilitation.Channel.PHONE,
         ("Bidan Desa Wanayasa", "0813-0000-2206", "Bidan desa"),
         "Nenek hidup sendiri, tidak bisa berobat gratis karena tidak punya KTP dan KK.",
         "Wanayasa", "Kampung Cibuntu RT 01/RW 04", "Penglihatan sangat kurang; mampu mengurus diri sendiri.", DONE, 2,
         alias=True, real_name="Onah", disability=Disability.SENSORY, origin="Wanayasa",
         documents=(NIK, KTP, KK), waits=(1200,), pace=1.2),
    Demo("Rizky Maulana", L, 16, "anak_telantar", Facilitation.Channel.IN_PERSON,
         ("Rizky Maulana", "0857-0000-4412", "Diri sendiri"),
         "Remaja datang sendiri: ditinggal orang tuanya, ingin melanjutkan sekolah tetapi tidak punya akta.",
         "Jatiluhur", "Warung kopi dekat Waduk Jatiluhur tempatnya bekerja", "Sehat; bekerja serabutan.", DONE, 0,
         birthday=(8, 2), origin="Jatiluhur", family="Paman di Desa Kembangkuning bersedia menjadi wali.",
         documents=(KK, AKTA, KIA), waits=(700,), pace=1.1),
    Demo("Cecep Supriatna", L, 34, "bekas_warga_binaan", Facilitation.Channel.LETTER,
         ("Balai Pemasyarakatan Bandung", "Surat Bapas, Jl. Ibu Inggit Garnasih, Bandung", "Pembimbing kemasyarakatan"),
         "Klien pemasyarakatan yang baru bebas tidak memiliki dokumen kependudukan untuk kembali ke keluarga.",
         "Babakancikao", "Rumah orang tuanya, Desa Cilangkap", "Sehat; mencari pekerjaan.", DONE, 1,
         origin="Babakancikao", family="Ibu kandung di Desa Cilangkap.", nik_from="report", documents=(KTP, KK),
         waits=(300,), pace=1.9,
         missed="Surat keterangan bebas dari Bapas baru diterima siang hari, setelah tim menunggu di kantor desa."),
    Demo("Euis Kurniasih", P, 27, "pekerja_migran", Facilitation.Channel.EMAIL,
         ("BP3MI Jawa Barat", "layanan.bp3mi@example.org", "Petugas pelindungan"),
         "Pekerja migran yang dipulangkan tanpa dokumen apa pun; dokumennya ditahan bekas agennya.",
         "Maniis", "Rumah kerabat, Desa Citamiang", "Sehat; masih trauma.", DONE, 2,
         origin="Maniis", family="Kakak perempuan di Desa Citamiang.", documents=(NIK, KTP, KK), waits=(480, 360),
         pace=0.95,
         follow_ups=((FollowUp.Kind.SOCIAL_ASSISTANCE, DONE_FOLLOW_UP, "Diusulkan menerima BPNT."),)),
    Demo("Dadang", L, 60, "gelandangan", Facilitation.Channel.WEBSITE,
         ("Rina Susanti", "rina.s@example.org", "Warga"),
         "Bapak tua tidur di halte dekat Stasiun Purwakarta.",
         "Sukatani", "Halte dekat Stasiun Purwakarta", "Sehat.", REJECTED, 0,
         decline="Sudah ditangani: PPKS yang sama dilaporkan dan didampingi pekan sebelumnya."),
    Demo("Siti Maryam", P, 5, "anak_balita_telantar", Facilitation.Channel.PHONE,
         ("Kader Posyandu Mawar", "0812-0000-3120", "Kader posyandu"),
         "Balita diasuh tetangga sejak ibunya pergi; tidak bisa imunisasi gratis tanpa akta dan KK.",
         "Pasawahan", "Rumah tetangga pengasuh, Desa Lebakanyar", "Sehat; gizi kurang.", DONE, 1,
         birthday=(6, 20), origin="Pasawahan", family="Nenek dari pihak ibu di Karawang.",
         documents=(KK, AKTA, KIA), waits=(900,), pace=0.9,
         follow_ups=((FollowUp.Kind.HEALTH_INSURANCE, NOT_NEEDED, "Sudah ditanggung JKN keluarga pengasuhnya."),)),
    Demo("Abah Odin", L, 71, "lanjut_usia_telantar", Facilitation.Channel.INSTAGRAM,
         ("@contoh.karangtaruna", "Instagram @contoh.karangtaruna", "Karang taruna"),
         "Kakek tinggal di saung kebun, sakit-sakitan, tidak punya identitas.",
         "Tegalwaru", "Saung kebun di Kampung Cisaat, Desa Tegalwaru", "Sering sesak napas; berjalan lambat.", DONE, 2,
         alias=True, real_name="Odin Samsudin", origin="Tegalwaru", documents=(NIK, KTP, KK), waits=(600,), pace=1.7,
         missed="Kampung terpencil di Tegalwaru: perjalanan pergi-pulang penjangkauan hampir tiga jam."),
    Demo("Lina Marlina", P, 40, "pemulung", Facilitation.Channel.IN_PERSON,
         ("Ketua RW 07 Kelurahan Nagri Kidul", "0815-0000-7007", "Ketua RW"),
         "Pemulung yang tinggal di lapak TPS tidak bisa mendaftarkan anaknya sekolah karena KK hilang terbakar.",
         "Purwakarta", "Lapak dekat TPS Nagri Kidul", "Sehat.", DONE, 0,
         origin="Bojong", nik_from="record", documents=(KTP, KK), waits=(240,), pace=1.15),
    # This quarter: done or declined weeks ago.
    Demo("Mak Icih", P, 69, "lanjut_usia_telantar", Facilitation.Channel.WEBSITE,
         ("Puskesmas Kiarapedes", "pkm.kiarapedes@example.org", "Petugas puskesmas"),
         "Lansia dirawat di puskesmas tanpa identitas; tidak ada keluarga yang menjenguk.",
         "Kiarapedes", "Puskesmas Kiarapedes", "Pulih dari diare; lemah.", DONE, 0, since=20 * DAY,
         alias=True, real_name="Icih Sukaesih", origin="Kiarapedes", documents=(NIK, KTP, KK), waits=(480,),
         pace=0.85),
    Demo("Bayu Pratama", L, 13, "anak_jalanan", Facilitation.Channel.INSTAGRAM,
         ("@contoh.relawananak", "Instagram @contoh.relawananak", "Relawan"),
         "Anak berjualan tisu di lampu merah Ciganea sampai malam; belum pernah punya akta.",
         "Bungursari", "Lampu merah Ciganea", "Sehat; masih sekolah kelas 6.", DONE, 1, since=14 * DAY,
         birthday=(1, 9), origin="Bungursari", family="Tinggal bersama nenek di Desa Cibening.",
         documents=(KK, AKTA, KIA), waits=(700,), pace=1.2,
         follow_ups=((FollowUp.Kind.HEALTH_INSURANCE, NOT_NEEDED, "Sudah terdaftar PBI JK bersama neneknya."),)),
    Demo("Darsih", P, 56, "pemulung", Facilitation.Channel.PHONE,
         ("Pengurus Masjid Al-Ikhlas", "0812-0000-5514", "Pengurus masjid"),
         "Ibu pemulung tidur di serambi masjid; KTP-nya hilang bersama tasnya.",
         "Cibatu", "Serambi Masjid Al-Ikhlas, Desa Cibatu", "Sehat; kaki bengkak.", DONE, 2, since=8 * DAY,
         origin="Cibatu", nik_from="record", documents=(KTP, KK), waits=(360,), pace=1.5,
         missed="Data di SIAK atas nama lain (salah ketik); tim menelusuri ke kantor desa sebelum pendampingan."),
    Demo("Wawan Setiawan", L, 30, "pengemis", Facilitation.Channel.EMAIL,
         ("Warga Perumahan Griya", "wargagriya@example.org", "Warga"),
         "Pemuda mengemis dari rumah ke rumah di perumahan.",
         "Purwakarta", "Perumahan Griya Asri", "Sehat.", REJECTED, 0, since=5 * DAY,
         decline="Bukan PPKS terlantar: tinggal bersama keluarga dan memiliki KTP-el; keluarga diarahkan ke "
                 "layanan Disdukcapil bila perlu cetak ulang."),
    # This quarter: overdue, past the 300 minutes.
    Demo("Bi Enok", P, 66, "lanjut_usia_telantar", Facilitation.Channel.LETTER,
         ("Kepala Desa Gununghejo", "Kantor Desa Gununghejo, Kec. Darangdan", "Aparat desa"),
         "Surat desa: janda lansia tinggal sendiri di rumah hampir roboh, tidak terdata sebagai penduduk.",
         "Darangdan", "", "", "record", 1, since=4 * DAY, alias=True, begun=True),
    Demo("Si Otong", L, 14, "anak_jalanan", Facilitation.Channel.PHONE,
         ("Penjaga Stasiun Cibatu", "0819-0000-8801", "Warga"),
         "Anak laki-laki tidur di peron stasiun beberapa malam.",
         "Cibatu", "", "", "outreach", 2, since=2 * DAY + 100, alias=True),
    Demo("Jajang Nurjaman", L, 48, "gelandangan", Facilitation.Channel.WEBSITE,
         ("Dedi Kurnia", "dedi.k@example.org", "Warga"),
         "Bapak tunawisma tidur di pos ronda, tidak punya identitas.",
         "Sukasari", "Pos ronda Kampung Cigaru, Desa Sukasari", "Sehat; batuk.", "accompaniment", 0, since=DAY,
         origin="Tidak diketahui", documents=(NIK, KTP, KK), waits=(900,), issued=1, pace=1.7),
    Demo("Yuyun Yuningsih", P, 35, "disabilitas_telantar", Facilitation.Channel.IN_PERSON,
         ("Yayasan Peduli Disabilitas", "Jl. Kapten Halim, Purwakarta", "Pendamping"),
         "Perempuan dengan disabilitas intelektual ditemukan berkeliaran di pasar, tidak tahu alamatnya.",
         "Pondoksalam", "Pasar Pondoksalam", "Tenang; bicara terbatas.", "result_report", 1, since=DAY // 2,
         disability=Disability.INTELLECTUAL, documents=(NIK, KTP, KK), waits=(480,), pace=1.45, photo=CANNOT),
    # This quarter: on time, in every step.
    Demo("Aki Dadeng", L, 80, "lanjut_usia_telantar", Facilitation.Channel.PHONE,
         ("Ketua RT 01 Kampung Sawah", "0812-0000-6101", "Ketua RT"),
         "Kakek linglung ditemukan di pinggir jalan, tidak ingat rumahnya.",
         "Maniis", "", "", "report", 2, since=20, alias=True),
    Demo("Nurhayati", P, 32, "perempuan_rawan", Facilitation.Channel.EMAIL,
         ("Nurhayati", "nurhayati.demo@example.org", "Diri sendiri"),
         "Ibu rumah tangga ditinggal suami, tidak pernah merekam KTP-el; membawa fotokopi KK lama.",
         "Purwakarta", "", "", "report", 0, since=65, birthday=(5, 17), nik_from="report"),
    Demo("Mang Ujang", L, 58, "pengemis", Facilitation.Channel.INSTAGRAM,
         ("@contoh.infopwk", "Instagram @contoh.infopwk", "Warga"),
         "Bapak pengemis di depan pertokoan Plered, menurut warga tidak punya rumah.",
         "Plered", "", "", "review", 1, since=45, alias=True),
    Demo("Aditya Ramadhan", L, 9, "anak_telantar", Facilitation.Channel.LETTER,
         ("Kepala SDN 2 Babakancikao", "Surat sekolah, Desa Cicadas", "Kepala sekolah"),
         "Murid tanpa akta kelahiran tidak bisa didaftarkan Dapodik; diasuh tetangga.",
         "Babakancikao", "", "", "review", 2, since=120, birthday=(4, 2)),
    Demo("Entin", P, 74, "lanjut_usia_telantar", Facilitation.Channel.WEBSITE,
         ("Yuli Astuti", "yuli.a@example.org", "Tetangga"),
         "Nenek sebatang kara tidak bisa mengambil bantuan karena tidak punya KTP.",
         "Sukatani", "", "", "record", 0, since=75),
    Demo("Ceu Iroh", P, 61, "gelandangan", Facilitation.Channel.IN_PERSON,
         ("Petugas Terminal Ciganea", "Pos terminal, Ciganea", "Petugas terminal"),
         "Ibu tunawisma tinggal di terminal berbulan-bulan.",
         "Jatiluhur", "", "", "outreach", 1, since=80, alias=True),
    Demo("Ahmad Fauzi", L, 22, "disabilitas_telantar", Facilitation.Channel.EMAIL,
         ("Puskesmas Bungursari", "pkm.bungursari@example.org", "Petugas puskesmas"),
         "Pemuda pengguna kursi roda tidak pernah didaftarkan keluarganya.",
         "Bungursari", "Rumah bibinya, Desa Cibodas", "Lumpuh kedua kaki sejak kecil; komunikasi baik.",
         "analysis", 2, since=30, disability=Disability.PHYSICAL, origin="Bungursari",
         family="Diasuh bibinya.", documents=(NIK, KTP, KK), begun=True, pace=0.9),
    Demo("Dede Sutisna", L, 44, "bekas_warga_binaan", Facilitation.Channel.LETTER,
         ("Lapas Kelas IIB Purwakarta", "Surat Lapas, Jl. Veteran", "Petugas lapas"),
         "Warga binaan yang bebas bulan ini belum pernah merekam KTP-el.",
         "Cibatu", "Rumah adiknya, Desa Cilandak", "Sehat.", "accompaniment", 0, since=420,
         origin="Cibatu", family="Adik kandung di Desa Cilandak.", documents=(NIK, KTP, KK), waiting=True,
         unwaived=True),
    Demo("Ai Sumiati", P, 26, "korban_trafficking", Facilitation.Channel.EMAIL,
         ("Unit PPA Polres Purwakarta", "ppa.polres@example.org", "Penyidik"),
         "Korban perdagangan orang yang dipulangkan; dokumennya dipegang pelaku.",
         "Sukasari", "Rumah aman", "Sehat; didampingi psikolog.", "accompaniment", 1, since=45,
         origin="Sukasari", nik_from="record", documents=(KTP, KK), issued=1, photo=REFUSED),
    Demo("Fitri Handayani", P, 15, "anak_telantar", Facilitation.Channel.PHONE,
         ("Guru BK SMPN 1 Wanayasa", "0813-0000-9915", "Guru"),
         "Siswi tinggal sendiri sejak neneknya meninggal; tidak punya akta dan tidak ada di KK mana pun.",
         "Wanayasa", "Rumah almarhumah neneknya, Desa Wanayasa", "Sehat; tetap bersekolah.", "result_report", 2,
         since=50, birthday=(11, 30), family="Bibi di Bandung bersedia menjadi wali.", documents=(KK, AKTA, KIA),
         waits=(480,), pace=0.9),
    Demo("Mbah Sanah", P, 85, "lanjut_usia_telantar", Facilitation.Channel.IN_PERSON,
         ("Ibu Eem", "0812-0000-4485", "Tetangga"),
         "Nenek sangat tua tinggal di rumah panggung reyot; belum pernah punya KTP.",
         "Campaka", "Kampung Ciseureuh, Desa Campaka", "Sangat lemah; berbaring hampir sepanjang hari.", "archive", 0,
         since=120, alias=True, real_name="Sanah", documents=(NIK, KTP, KK), waits=(600,), photo=CANNOT,
         follow_ups=((FollowUp.Kind.DTSEN, DONE_FOLLOW_UP, "Diusulkan masuk DTSEN melalui musyawarah desa."),)),
    Demo("Rudi Hartono", L, 40, "pemulung", Facilitation.Channel.WEBSITE,
         ("Komunitas Bank Sampah", "banksampah@example.org", "Pengurus komunitas"),
         "Pemulung yang rumahnya tergusur kehilangan semua dokumen.",
         "Bojong", "Lapak bank sampah, Desa Bojong", "Sehat.", "archive", 1, since=200,
         origin="Bojong", nik_from="record", documents=(KTP, KK), pace=0.95),
]


def load(stdout):
    if not settings.DEMO_MODE:
        return
    service = Service.objects.select_related("unit").get(slug=SERVICE)
    team, kabid = accounts(service.unit, stdout)
    if Facilitation.objects.filter(service=service).exists():
        return  # loaded before: a second run adds no records
    with transaction.atomic():  # all or none: a failed load leaves nothing a second run would skip
        DemoRun(service, team, kabid).run()
    records = Facilitation.objects.filter(service=service)
    stdout.write(
        f"{records.count()} fasilitasi identitas PPKS demo dimuat: {records.open().count()} berjalan "
        f"({records.overdue().count()} melewati batas waktu), {records.filter(status=DONE).count()} selesai, "
        f"{records.filter(status=REJECTED).count()} tidak dilanjutkan."
    )


def accounts(unit, stdout):
    """The two more Tim Kerja officers, created when missing; load_demo made the Kabid and the first officer."""
    stdout.write(
        f"\nAkun demo Identitas PPKS (kata sandi semua akun: {DEMO_PASSWORD}); Kabid {KABID}, Tim Kerja {TEAM[0]} dan:"
    )
    officer = Group.objects.get(name=Role.OFFICER)
    password = None
    for username, name, title in NEW_OFFICERS:
        first_name, last_name = name.split(" ", 1)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults=dict(first_name=first_name, last_name=last_name)
        )
        if created:
            # One hash for both: they share the printed password, and hashing costs a second.
            password = password or make_password(DEMO_PASSWORD)
            user.password = password
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, unit=unit, role=officer, defaults={"title": title})
        stdout.write(f"  {username:<32} {Role.OFFICER:<17} {title}")
    users = get_user_model().objects.in_bulk([KABID, *TEAM], field_name="username")
    return [users[username] for username in TEAM], users[KABID]


def acts(spec):
    """The facilitation's acts up to where it waits: (working minutes after the receipt, act, its arguments)."""
    plan, minute = [], 0

    def then(minutes, act, *arguments):
        nonlocal minute
        minute += minutes
        plan.append((minute, act, arguments))

    def work(act, *arguments):
        then(round(PACE[act] * spec.pace), act, *arguments)

    then(RECORDED, "create")
    if spec.stop == "report":
        return plan
    work("report")
    if spec.stop == "review":
        return plan
    if spec.stop == REJECTED:
        work("decline")
        return plan
    work("accept")
    for step in ("record", "outreach", "analysis"):
        if spec.stop == step and not spec.begun:
            return plan
        work(f"{step}_notes")
        if spec.stop == step:
            return plan
        work(step)
    minute += round(PACE["to_disdukcapil"] * spec.pace)
    then(0, "requirements")
    for number, minutes in enumerate(spec.waits):
        if number:
            minute += round(PACE["between_waits"] * spec.pace)
        then(0, "wait_start")
        then(minutes, "wait_end")
    if spec.waiting:
        then(round(PACE["between_waits"] * spec.pace) if spec.waits else 0, "wait_start")
        return plan
    for number, kind in enumerate(spec.documents):
        if spec.stop == "accompaniment" and number == spec.issued:
            return plan
        work("document", kind)
    if spec.stop == "accompaniment":
        return plan
    work("accompaniment")
    if spec.stop == "result_report":
        return plan
    work("result_report")
    if spec.stop == "archive" and not spec.follow_ups:
        return plan
    then(ARCHIVE_AFTER, "follow_ups")
    if spec.stop == "archive":
        return plan
    work("archive")
    return plan


class DemoRun:
    """Takes each facilitation through its acts, in the order of receipt so that the numbers follow it."""

    def __init__(self, service, team, kabid):
        self.service, self.team, self.kabid = service, team, kabid
        self.calendar = service.unit.working_calendar()
        self.now = timezone.localtime().replace(second=0, microsecond=0)
        self.categories = PpksCategory.objects.in_bulk(field_name="code")
        self.kecamatan = {k.name: k for k in Kecamatan.objects.filter(regency__code="purwakarta")}
        # A kecamatan's two digits in a made-up number: its place in the list, not its Dukcapil code.
        self.kecamatan_number = {name: number for number, name in enumerate(sorted(self.kecamatan), start=1)}

    def run(self):
        last_quarter = [spec for spec in FACILITATIONS if spec.since is None]
        walks = []
        for number, spec in enumerate(FACILITATIONS, start=1):
            plan = acts(spec)
            if spec.since is None:
                received = self.in_last_quarter(last_quarter.index(spec), len(last_quarter))
            else:
                received = self.before_now(plan[-1][0] + spec.since)
            walks.append((received, number, spec, plan))
        # Every write is given its act's moment (`now=`): the engine's and the app's alike.
        for received, number, spec, plan in sorted(walks, key=lambda walk: walk[:2]):
            walk = Walk(self, spec, number, received)
            for minute, act, arguments in plan:
                moment = self.calendar.add_working_minutes(received, minute)
                if moment > self.now:
                    raise ValueError(f"a demo act at {moment:%Y-%m-%d %H:%M}, after now")
                walk.now = moment
                getattr(walk, f"act_{act}")(*arguments)

    def in_last_quarter(self, index, count):
        """The receipt of the last quarter's `index`-th of `count`: spread over the quarter, on working mornings, the
        last two weeks left out so that no facilitation's acts reach past today."""
        this_quarter = self.now.date().replace(month=(self.now.month - 1) // 3 * 3 + 1, day=1)
        start = add_months(this_quarter, -3)
        span = (this_quarter - start).days - 14
        day = start + timedelta(days=(2 * index + 1) * span // (2 * count))
        return self.calendar.add_working_minutes(self.midnight(day), 25 + 41 * index % 200)

    def before_now(self, minutes):
        """The moment `minutes` working minutes before now: the clock's add_working_minutes, backwards."""
        day = self.midnight(self.now.date())
        while (total := self.calendar.working_minutes_between(day, self.now)) < minutes:
            day = self.midnight(day.date() - timedelta(days=1))
        return self.calendar.add_working_minutes(day, total - minutes)

    @staticmethod
    def midnight(day):
        return datetime.combine(day, time(), tzinfo=timezone.get_current_timezone())


class Walk:
    """One facilitation taken through its acts (`act_<name>`), each by the account whose act it is."""

    def __init__(self, run, spec, number, received):
        self.spec, self.number, self.received = spec, number, received
        self.service, self.category = run.service, run.categories[spec.category]
        self.officer, self.kabid = run.team[spec.officer], run.kabid
        self.kecamatan = run.kecamatan[spec.kecamatan]
        self.region = f"3214{run.kecamatan_number[spec.kecamatan]:02d}"
        self.born = date(received.year - spec.age, *(spec.birthday or ASSIGNED_BIRTHDAY))
        self.nik = made_up_nik(PURWAKARTA, run.kecamatan_number[spec.kecamatan], self.born, spec.sex, number)
        self.record = None
        self.now = received  # the moment of the act being taken

    # Steps 1-2.

    def act_create(self):
        spec = self.spec
        reporter, contact, relation = spec.reporter
        self.record = services.facilitation_create(
            service=self.service, actor=self.officer,
            facilitation=Facilitation(channel=spec.channel, received_at=self.received, category=self.category),
            person=Person(
                name=spec.name, is_alias=spec.alias, nik=self.nik if spec.nik_from == "report" else "", sex=spec.sex,
                birth_date=self.born if spec.birthday else None, estimated_age=None if spec.birthday else spec.age,
                origin=spec.origin, disability=spec.disability,
            ),
            reporter=Reporter(name=reporter, contact=contact, relation=relation),
            report=spec.report, now=self.now,
        )

    def act_report(self):
        self.fire("report", self.officer)

    def act_accept(self):
        self.fire("review.accept", self.kabid)

    def act_decline(self):
        self.fire("review.decline", self.kabid, note=self.spec.decline)

    # Steps 3-5: the step's form saved as a draft, then the step completed.

    def act_record_notes(self):
        spec = self.spec
        name = spec.real_name or spec.name
        if spec.nik_from == "record":
            self.identity(nik=self.nik)
            recorded = Notes.Recorded.YES, f"Terdata di SIAK atas nama {name}, NIK {self.nik}; dokumen fisiknya hilang."
        elif spec.nik_from == "report":
            recorded = Notes.Recorded.YES, f"NIK {self.nik} pada fotokopi KK dari pelapor cocok dengan data SIAK."
        elif spec.alias:
            recorded = Notes.Recorded.UNKNOWN, "Nama asli belum diketahui; data dicari lagi setelah penjangkauan."
        else:
            recorded = Notes.Recorded.NO, f"Tidak ditemukan di SIAK atas nama {name}, umur sekitar {spec.age} tahun."
        requested = Facilitation.Requirement.REQUESTED
        self.draft(
            population_recorded=recorded[0], population_record_data=recorded[1], population_record=requested,
            dtks_letter=requested,
        )

    def act_record(self):
        self.fire("record", self.officer)

    def act_outreach_notes(self):
        spec = self.spec
        if spec.real_name:
            self.identity(name=spec.real_name, is_alias=False)
        fields = {
            "found_address": spec.place, "kecamatan": self.kecamatan.pk, "condition": spec.condition,
            "family_traces": spec.family, "photo_consent": spec.photo,
        }
        if spec.point:
            fields["latitude"], fields["longitude"] = spec.point
        self.draft(**fields)

    def act_outreach(self):
        self.fire("outreach", self.officer)

    def act_analysis_notes(self):
        self.draft(
            needs_analysis=f"Tidak memegang dokumen kependudukan. Perlu didampingi ke Disdukcapil untuk: "
                           f"{self.documents()}. Setelah terbit: usulan DTSEN dan PBI JK."
        )

    def act_analysis(self):
        self.fire("analysis", self.officer)

    # Step 6: the requirements asked of their sources, the waits for Disdukcapil, the documents it issues.

    def act_requirements(self):
        """What step 3 asked of its sources has come and is attached; but the DTKS letter of a person whose NIK is
        not known yet cannot be had, and the Kabid goes on without it (or has yet to: `unwaived`)."""
        for kind in REQUIREMENTS:
            if kind == "dtks_letter" and self.spec.nik_from == "documents":
                if self.spec.unwaived:
                    continue
                self.record = services.requirement_waive(
                    self.record, actor=self.kabid, expected_status=self.record.status, requirement=kind,
                    reason=NO_NIK_FOR_DTKS, now=self.now,
                )
            else:
                attachment_add(
                    self.record, kind=kind, file=ContentFile(requirement_scan(kind), name=f"{kind}.pdf"),
                    actor=self.officer, now=self.now,
                )

    def act_wait_start(self):
        self.record = services.wait_start(
            self.record, actor=self.officer, expected_status=self.record.status, now=self.now
        )

    def act_wait_end(self):
        self.record = services.wait_end(self.record, actor=self.officer, expected_status=self.record.status, now=self.now)

    def act_document(self, kind):
        issued = timezone.localdate(self.now)
        if kind == KK:
            number = f"{self.region}{issued:%d%m%y}{self.number:04d}"
        elif kind == AKTA:
            number = f"3214-LT-{issued:%d%m%Y}-{self.number:04d}"
        else:  # NIK, KTP-el, KIA: the person's NIK
            number = self.nik
        self.record = services.document_add(
            self.record, actor=self.officer, expected_status=self.record.status, kind=kind, number=number,
            issued_on=issued, now=self.now,
        )

    def act_accompaniment(self):
        self.fire("accompaniment", self.officer)

    # Steps 7-8.

    def act_result_report(self):
        self.take(
            "result_report", summary=f"Terbit dan diserahkan: {self.documents()}. Salinannya diarsipkan.",
            missed_reason=self.spec.missed,
        )

    def act_follow_ups(self):
        for kind, state, note in self.spec.follow_ups:
            self.follow_up(kind, state, note)

    def act_archive(self):
        for kind in self.record.follow_ups.filter(state=FollowUp.State.SUGGESTED).values_list("kind", flat=True):
            self.follow_up(kind, DONE_FOLLOW_UP, FOLLOW_UP_DONE[kind])
        self.fire("archive", self.officer)

    # The writes.

    def fire(self, name, actor, note=""):
        self.record = transition_fire(
            self.record, name=name, actor=actor, expected_status=self.record.status, note=note, now=self.now
        )

    def take(self, transition, **fields):
        """The current step's form sent as the officer sends it from the page: opened with what is saved, `fields`
        typed over it, and `transition` pressed (SAVE_ONLY: a draft)."""
        record, form_class = self.record, WORKFLOW.step_form(self.record.step)
        typed = {**form_class(record=record, user=self.officer).initial_from(record), **fields}
        data = {"transition": transition, "expected_status": record.status, **typed}
        form = form_class(
            {f"langkah-{name}": "" if value is None else value for name, value in data.items()},
            record=record, user=self.officer, now=self.now,
        )
        if not form.is_valid():
            raise ValueError(f"demo step form refused: {form.errors.as_text()}")
        self.record = step_take(record, form=form, actor=self.officer)

    def draft(self, **fields):
        self.take(SAVE_ONLY, **fields)

    def identity(self, **changes):
        person = Person.objects.get(pk=self.record.pk)
        for name, value in changes.items():
            setattr(person, name, value)
        self.record = services.identity_update(
            self.record, actor=self.officer, expected_status=self.record.status, person=person,
            reporter=Reporter.objects.get(pk=self.record.pk), now=self.now,
        )

    def follow_up(self, kind, state, note):
        self.record = services.follow_up_update(
            self.record, actor=self.officer, expected_status=self.record.status, kind=kind, state=state,
            done_on=timezone.localdate(self.now) if state == DONE_FOLLOW_UP else None, note=note, now=self.now,
        )

    def documents(self):
        return ", ".join(str(DocumentKind(kind).label) for kind in self.spec.documents)


@cache
def requirement_scan(kind):
    """The file attached for a requirement: a page saying what it stands for, naming no one."""
    return render_pdf("identitas/documents/demo_requirement.html", {"label": WORKFLOW.document_label(kind)})
