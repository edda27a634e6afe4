"""The P2TP2A Ciamis demo for load_demo, in demo mode only: its referral partners, and cases waiting at every
step of the SOP, a few finished, closed early or voided.

Each case is taken through cases.services and portal.services.transition_fire by the demo account whose
function does that step, so the team, consents, referrals, history and transition log are what the pages
would have written, under the same rules. Every name, NIK and story is made up; a NIK is well formed
(portal.nik) and belongs to nobody.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from cases import services
from cases.models import (
    Case,
    Consent,
    LegalMilestone,
    Partner,
    Perpetrator,
    PerpetratorRelation,
    PlaceType,
    Referral,
    Reporter,
    ServiceType,
    Victim,
    ViolenceType,
    years_between,
)
from cases.workflow import CLOSED_EARLY, VOIDED
from portal.models import Kecamatan, Service, Sex
from portal.nik import made_up_nik
from portal.services import step_take, transition_fire
from portal.workflow import DONE, SAVE_ONLY

SERVICE = "p2tp2a-ciamis"
CIAMIS = "3207"  # province and regency digits of the made-up NIKs
CHAIR, SECRETARY = "kepala.p2tp2a-ciamis", "sekretaris.p2tp2a-ciamis"
# The demo account of each team function (cases.models.TeamMember.FUNCTIONS).
OFFICERS = {
    "data": "petugas.p2tp2a-ciamis",
    "social_worker": "peksos.p2tp2a-ciamis",
    "companion": "pendamping.p2tp2a-ciamis",
    "psychologist": "psikolog.p2tp2a-ciamis",
    "legal": "hukum.p2tp2a-ciamis",
}

# The partners an agency keeps in the admin; the psychologist and the legal-aid body are made up. Their
# addresses and phones are left for the agency to fill in.
PARTNERS = [
    ("RSUD Kabupaten Ciamis", Partner.Kind.HOSPITAL),
    ("Puskesmas Ciamis", Partner.Kind.PUSKESMAS),
    ("Biro Psikologi Galuh Harapan", Partner.Kind.PSYCHOLOGIST),
    ("Unit PPA Polres Ciamis", Partner.Kind.POLICE),
    ("Pengadilan Negeri Ciamis", Partner.Kind.COURT),
    ("LBH Galuh Keadilan", Partner.Kind.LEGAL_AID),
]

# The steps in the order a case takes them; steps 5-7 are skipped where the assessment says so.
STEPS = ["report", "intake", "outreach", "assessment", "medical", "psychological", "legal", "reintegration", "closure"]
NEEDS = {"medical": 0, "psychological": 1, "legal": 2}  # the step's place in Demo.needs

# The referrals of each service step: (service type, partner kind or None for the P2TP2A's own service,
# the outcome once completed). A high-risk case's medical referral goes to the hospital instead (visum).
REFERRALS = {
    "medical": [("kesehatan", Partner.Kind.PUSKESMAS, "Korban diperiksa dokter; luka telah ditangani dan dicatat.")],
    "psychological": [
        ("rehabilitasi_sosial", Partner.Kind.PSYCHOLOGIST, "Empat sesi konseling; korban lebih tenang dan mau beraktivitas lagi."),
    ],
    "legal": [
        ("penegakan_hukum", Partner.Kind.POLICE, "Berkas perkara lengkap (P21) dan dilimpahkan ke kejaksaan."),
        ("bantuan_hukum", Partner.Kind.LEGAL_AID, "Advokat mendampingi korban pada pemeriksaan di Unit PPA dan di persidangan."),
    ],
    "reintegration": [
        ("reintegrasi_sosial", None, "Dua kunjungan rumah bersama aparat desa; tidak ada risiko baru."),
    ],
}
# The legal milestones recorded on the police referral while the step runs, and when it is done.
MILESTONES_BEGUN = [(LegalMilestone.Kind.POLICE_REPORT, "Laporan polisi dibuat"), (LegalMilestone.Kind.EXAMINATION, "Korban diperiksa penyidik")]
MILESTONES_DONE = [(LegalMilestone.Kind.P21, "Berkas dinyatakan lengkap oleh kejaksaan")]

NOTES = {
    "missing_documents_reason": "Kasus mendesak: surat pengantar RT/RW dan fotokopi KTP pelapor menyusul.",
    "outreach_result": "Petugas mengunjungi korban bersama aparat desa; laporan terverifikasi dan korban bersedia didampingi.",
    "reintegration_result": "Korban kembali beraktivitas seperti biasa; keluarga dan kader desa ikut memantau.",
    "closure_summary": "Semua layanan sesuai asesmen telah diberikan dan setiap rujukan selesai.",
}
SKIP_NOTE = "Menurut asesmen, layanan pada langkah ini tidak diperlukan."


@dataclass
class Demo:
    victim: str
    sex: str
    born: date
    kecamatan: str
    violence: tuple[str, ...]
    place: str
    perpetrator: tuple[str, str, int | None]  # relation code, sex, age
    channel: str
    reporter: tuple[str, str] | None  # name and relation to the victim; None: an anonymous community report
    chronology: str
    stop: str  # the step the case waits in, or DONE
    needs: tuple[bool, bool, bool] = (True, True, False)  # medical, psychological, legal, as assessed
    risk: str = Case.Risk.MEDIUM
    approved: bool = True  # for a case waiting in the assessment: whether a head has approved it yet
    guardian: str = ""  # who consents for a child
    end: str = ""  # CLOSED_EARLY or VOIDED: a head ends the case in `stop`, with `end_note`
    end_note: str = ""
    overdue_days: int = 0  # reported this many days ago, past the SOP's 3 months


F, M = Sex.FEMALE, Sex.MALE
IN_PERSON, COMMUNITY, MEDICAL = Case.Channel.IN_PERSON, Case.Channel.COMMUNITY, Case.Channel.MEDICAL
HIGH, LOW = Case.Risk.HIGH, Case.Risk.LOW

CASES = [
    Demo("Siti Aminah", F, date(2014, 3, 12), "Cikoneng", ("penelantaran",), "rumah_tangga", ("orang_tua", M, 45),
         COMMUNITY, None, "Tetangga melaporkan anak yang sering ditinggal sendirian berhari-hari tanpa makanan cukup.",
         "report"),
    Demo("Neneng Hasanah", F, date(1992, 7, 5), "Kawali", ("fisik", "psikis"), "rumah_tangga", ("suami_istri", M, 36),
         IN_PERSON, ("Neneng Hasanah", "Korban sendiri"),
         "Korban datang dengan memar di lengan setelah dipukul suami dalam pertengkaran.", "report"),
    Demo("Ai Rohimah", F, date(2009, 11, 20), "Panjalu", ("seksual",), "daring", ("pacar_teman", M, 19),
         MEDICAL, ("Puskesmas Panjalu", "Petugas kesehatan"),
         "Saat diperiksa di puskesmas, petugas menemukan tanda kekerasan seksual dan melapor ke P2TP2A.", "intake",
         risk=HIGH, guardian="Entin Kartini"),
    Demo("Dadan Hidayat", M, date(2015, 2, 14), "Cijeungjing", ("fisik",), "sekolah", ("guru", M, 40),
         IN_PERSON, ("Eti Rohaeti", "Ibu korban"),
         "Korban pulang sekolah dengan luka di punggung; menurut korban ia dipukul gurunya.", "intake",
         guardian="Eti Rohaeti"),
    Demo("Lilis Suryani", F, date(1988, 4, 30), "Rancah", ("psikis", "penelantaran"), "rumah_tangga",
         ("suami_istri", M, 40), COMMUNITY, ("Pemerintah Desa Rancah", "Aparat desa"),
         "Korban ditinggal suami tanpa nafkah selama enam bulan dan sering diancam lewat telepon.", "outreach"),
    Demo("Tati Sumiati", F, date(1957, 8, 17), "Sukadana", ("fisik", "penelantaran"), "rumah_tangga",
         ("keluarga", M, 38), COMMUNITY, ("Kader Posyandu Sukadana", "Kader posyandu"),
         "Lansia yang tinggal bersama anaknya sering dibentak dan pernah didorong hingga jatuh.", "outreach"),
    Demo("Nurul Fitriani", F, date(2007, 1, 9), "Baregbeg", ("seksual",), "tempat_kerja", ("rekan_kerja", M, 30),
         IN_PERSON, ("Nurul Fitriani", "Korban sendiri"),
         "Korban mengalami pelecehan berulang oleh rekan kerja di tempat kerjanya.", "assessment",
         needs=(True, True, True), risk=HIGH),
    Demo("Yuyun Yuningsih", F, date(1996, 10, 2), "Cisaga", ("fisik", "psikis"), "rumah_tangga",
         ("suami_istri", M, 31), IN_PERSON, ("Entin Suhartini", "Ibu korban"),
         "Korban dipukul dan dihina suami di depan anak-anaknya.", "assessment", approved=False),
    Demo("Rizki Ramadhan", M, date(2012, 12, 24), "Banjarsari", ("seksual",), "fasilitas_umum", ("tetangga", M, 52),
         IN_PERSON, ("Maman Suherman", "Ayah korban"),
         "Korban dilecehkan tetangganya di lapangan desa; korban bercerita kepada ayahnya.", "assessment",
         needs=(True, True, True), risk=HIGH, approved=False, guardian="Maman Suherman", overdue_days=100),
    Demo("Wulan Sari", F, date(2011, 5, 15), "Lakbok", ("fisik",), "rumah_tangga", ("orang_tua", F, 38),
         COMMUNITY, ("SDN 2 Lakbok", "Guru kelas"),
         "Guru melihat bekas luka pada tangan korban; korban mengaku sering dipukul di rumah.", "medical",
         risk=HIGH, guardian="Karsim Sutarsa"),
    Demo("Popon Sopiah", F, date(1985, 9, 21), "Cipaku", ("fisik",), "rumah_tangga", ("suami_istri", M, 44),
         IN_PERSON, ("Popon Sopiah", "Korban sendiri"),
         "Korban dipukul suami hingga pelipisnya luka; ia ingin melapor ke polisi.", "medical",
         needs=(True, False, True)),
    Demo("Fajar Nugraha", M, date(2010, 8, 8), "Ciamis", ("psikis",), "daring", ("pacar_teman", M, 23),
         IN_PERSON, ("Iwan Setiawan", "Ayah korban"),
         "Korban diancam akan disebarkan fotonya oleh kenalan dari media sosial dan menjadi murung.", "psychological",
         needs=(False, True, False), guardian="Iwan Setiawan"),
    Demo("Siti Nurjanah", F, date(2004, 3, 3), "Panawangan", ("seksual", "psikis"), "fasilitas_umum",
         ("lainnya", M, None), IN_PERSON, ("Siti Nurjanah", "Korban sendiri"),
         "Korban diserang orang tak dikenal saat pulang kerja malam hari.", "psychological",
         needs=(True, True, True), risk=HIGH),
    Demo("Ani Rohani", F, date(1990, 6, 12), "Sindangkasih", ("fisik", "psikis"), "rumah_tangga",
         ("suami_istri", M, 37), IN_PERSON, ("Ani Rohani", "Korban sendiri"),
         "Korban berulang kali dianiaya suami; kali ini ia memutuskan melapor.", "legal",
         needs=(True, False, True), risk=HIGH),
    Demo("Indah Permata", F, date(2008, 2, 27), "Cihaurbeuti", ("seksual",), "rumah_tangga", ("keluarga", M, 34),
         IN_PERSON, ("Cucu Sumarni", "Ibu korban"),
         "Korban dilecehkan pamannya yang tinggal serumah; ibunya melapor setelah korban bercerita.", "legal",
         needs=(True, True, True), risk=HIGH, guardian="Cucu Sumarni", overdue_days=110),
    Demo("Mega Lestari", F, date(2005, 12, 1), "Sadananya", ("trafficking", "eksploitasi"), "tempat_kerja",
         ("lainnya", F, 40), COMMUNITY, ("Unit PPA Polres Ciamis", "Penyidik"),
         "Korban dijanjikan pekerjaan di kota dan dipekerjakan tanpa upah; polisi memulangkannya.", "reintegration",
         needs=(True, True, True), risk=HIGH),
    Demo("Agus Salim", M, date(2013, 4, 18), "Rajadesa", ("penelantaran",), "rumah_tangga", ("orang_tua", M, 42),
         COMMUNITY, None, "Warga melaporkan anak yang tidak lagi bersekolah dan dibiarkan bekerja di pasar.",
         "reintegration", needs=(True, False, False), guardian="Enok Rukmini", overdue_days=95),
    Demo("Sri Wahyuni", F, date(1983, 11, 11), "Cidolog", ("fisik",), "rumah_tangga", ("suami_istri", M, 45),
         IN_PERSON, ("Sri Wahyuni", "Korban sendiri"), "Korban ditampar suami dalam pertengkaran soal uang.",
         "closure"),
    Demo("Putri Ayu Lestari", F, date(2016, 7, 7), "Sukamantri", ("seksual",), "rumah_tangga", ("tetangga", M, 60),
         IN_PERSON, ("Dede Rohayati", "Ibu korban"),
         "Korban dilecehkan tetangga saat bermain; ibunya melapor keesokan harinya.", "closure",
         needs=(True, True, True), risk=HIGH, guardian="Dede Rohayati"),
    Demo("Yeni Marliani", F, date(1994, 1, 25), "Pamarican", ("fisik", "psikis"), "rumah_tangga",
         ("suami_istri", M, 33), IN_PERSON, ("Yeni Marliani", "Korban sendiri"),
         "Korban dianiaya suami dan dilarang keluar rumah selama berbulan-bulan.", DONE,
         needs=(True, True, True), risk=HIGH),
    Demo("Iah Rukiah", F, date(1979, 5, 5), "Tambaksari", ("psikis",), "rumah_tangga", ("suami_istri", M, 50),
         IN_PERSON, ("Iah Rukiah", "Korban sendiri"), "Korban terus-menerus dihina dan diancam akan diceraikan.", DONE,
         needs=(False, True, False), risk=LOW),
    Demo("Rangga Pratama", M, date(2011, 10, 30), "Cimaragas", ("fisik",), "sekolah", ("pacar_teman", M, 15),
         IN_PERSON, ("Wawan Kurnia", "Ayah korban"), "Korban dikeroyok kakak kelas sepulang sekolah.", DONE,
         needs=(True, False, False), risk=LOW, guardian="Wawan Kurnia"),
    Demo("Ela Nurlela", F, date(1998, 3, 16), "Purwadadi", ("psikis",), "rumah_tangga", ("pacar_teman", M, 27),
         COMMUNITY, None, "Warga melaporkan perempuan yang sering diancam mantan kekasihnya.", "outreach",
         end=CLOSED_EARLY,
         end_note="Korban tidak dapat ditemui: menurut aparat desa ia telah pindah ke luar provinsi."),
    Demo("Heni Herawati", F, date(1987, 9, 9), "Jatinagara", ("psikis",), "tempat_kerja", ("rekan_kerja", F, 35),
         IN_PERSON, ("Heni Herawati", "Korban sendiri"), "Korban dirundung rekan kerja dan dikucilkan di kantornya.",
         "assessment", needs=(False, True, False), risk=LOW, end=CLOSED_EARLY,
         end_note="Korban tidak menghendaki layanan lanjutan; nomor kontak P2TP2A telah diberikan."),
    Demo("Enok Suhaenah", F, date(1975, 2, 2), "Banjaranyar", ("fisik",), "rumah_tangga", ("suami_istri", M, 52),
         IN_PERSON, ("Enok Suhaenah", "Korban sendiri"), "Korban dipukul suami.", "report", end=VOIDED,
         end_note="Salah input: laporan yang sama sudah dicatat petugas lain pada hari yang sama."),
]


def load(stdout):
    if not settings.DEMO_MODE:
        return
    service = Service.objects.select_related("unit").get(slug=SERVICE)
    partners = {
        kind: Partner.objects.get_or_create(unit=service.unit, name=name, defaults={"kind": kind})[0]
        for name, kind in PARTNERS
    }
    if Case.objects.filter(service=service).exists():
        return
    run = DemoRun(service, partners)
    for number, spec in enumerate(CASES, start=1):
        run.case(spec, number)
    stdout.write(f"{len(PARTNERS)} mitra rujukan, {len(CASES)} kasus P2TP2A demo dimuat.")


class DemoRun:
    """Takes each demo case through the steps, as the account that does each one.

    While a case is taken through, `spec` is its Demo and `head` the head who signs for it.
    """

    def __init__(self, service, partners):
        users = get_user_model().objects.in_bulk([CHAIR, SECRETARY, *OFFICERS.values()], field_name="username")
        self.service, self.partners = service, partners
        self.chair, self.secretary = users[CHAIR], users[SECRETARY]
        self.officers = {function: users[username] for function, username in OFFICERS.items()}
        self.kecamatan = {k.name: k for k in Kecamatan.objects.filter(regency__code="ciamis")}
        self.violence_types = ViolenceType.objects.in_bulk(field_name="code")
        self.places = PlaceType.objects.in_bulk(field_name="code")
        self.relations = PerpetratorRelation.objects.in_bulk(field_name="code")
        self.service_types = ServiceType.objects.in_bulk(field_name="code")
        self.today = timezone.localdate()

    def case(self, spec, number):
        # The two heads take turns, as they would share the work.
        self.head = (self.chair, self.secretary)[number % 2]
        self.spec = spec
        case = self.record(spec, number)
        for step in STEPS:
            case = getattr(self, f"begin_{step}")(case)
            if step == spec.stop:
                break
            case = getattr(self, f"finish_{step}")(case)
        if spec.end:
            name = "close_early" if spec.end == CLOSED_EARLY else "void"
            case = self.fire(case, f"{name}.{case.status}", self.head, spec.end_note)
        if spec.overdue_days:
            # The engine stamps every step with the time it is done, so no case can be recorded in the past
            # through it; to show cases that have waited past the SOP's 3 months, their dates are moved back
            # here, without a history row, as nobody moved them.
            created = timezone.now() - timedelta(days=spec.overdue_days)
            due = Case.workflow.time.due(created, self.service.unit.working_calendar())
            Case.objects.filter(pk=case.pk).update(created_at=created, due_at=due)

    def record(self, spec, number):
        """Step 1: the data officer records the report, as the intake form would."""
        kecamatan = self.kecamatan[spec.kecamatan]
        reported = self.today - timedelta(days=spec.overdue_days)
        victim = Victim(
            name=spec.victim, nik=made_up_nik(CIAMIS, sorted(self.kecamatan).index(spec.kecamatan) + 1, spec.born, spec.sex, number),
            sex=spec.sex, birth_date=spec.born,
            kecamatan=kecamatan, address=f"Dusun Sukamaju RT {number % 6 + 1:03d}/RW {number % 4 + 1:03d}",
            marital_status=Victim.MaritalStatus.MARRIED if spec.perpetrator[0] == "suami_istri" else "",
        )
        if spec.reporter is None:
            reporter = Reporter(is_anonymous=True)
        else:
            reporter = Reporter(name=spec.reporter[0], relation=spec.reporter[1])
        relation, sex, age = spec.perpetrator
        return services.case_create(
            service=self.service,
            actor=self.officers["data"],
            case=Case(
                channel=spec.channel, risk=spec.risk, incident_date=reported - timedelta(days=3),
                place_type=self.places[spec.place], kecamatan=kecamatan,
            ),
            victim=victim,
            reporter=reporter,
            perpetrators=[Perpetrator(relation=self.relations[relation], sex=sex, age=age)],
            violence_types=[self.violence_types[code] for code in spec.violence],
            chronology=spec.chronology,
        )

    # Each step: what is done while the case waits in it (begin), and what completes it (finish).

    def begin_report(self, case):
        return case

    def finish_report(self, case):
        return self.fire(case, "report", self.officers["data"])

    def begin_intake(self, case):
        return case

    def finish_intake(self, case):
        data = self.officers["data"]
        self.note(case, data, "missing_documents_reason")
        return self.fire(case, "intake", data)

    def begin_outreach(self, case):
        self.assign(case, "social_worker")
        return services.spt_issue(case, actor=self.head, expected_status=case.status)

    def finish_outreach(self, case):
        worker = self.officers["social_worker"]
        self.consent(case, worker, Consent.SERVICES)
        self.note(case, worker, "outreach_result")
        return self.fire(case, "outreach", worker)

    def begin_assessment(self, case):
        medical, psychological, legal = self.spec.needs
        labels = [label for label, needed in zip(("layanan medis", "psikologis", "bantuan hukum"), self.spec.needs) if needed]
        text = f"Korban membutuhkan: {', '.join(labels) or 'pemantauan saja'}. Tingkat risiko: {Case.Risk(self.spec.risk).label}."
        answers = {True: "ya", False: "tidak"}
        case = self.take(
            case, self.officers["social_worker"], assessment=text, risk=self.spec.risk,
            needs_medical=answers[medical], needs_psychological=answers[psychological], needs_legal=answers[legal],
        )
        if self.spec.stop != "assessment" or self.spec.approved:
            case = services.assessment_approve(case, actor=self.head, expected_status=case.status)
        return case

    def finish_assessment(self, case):
        return self.fire(case, "assessment", self.officers["social_worker"])

    def begin_medical(self, case):
        return self.begin_service_step(case, "medical", "companion")

    def finish_medical(self, case):
        return self.finish_service_step(case, "medical", "companion")

    def begin_psychological(self, case):
        return self.begin_service_step(case, "psychological", "psychologist")

    def finish_psychological(self, case):
        return self.finish_service_step(case, "psychological", "psychologist")

    def begin_legal(self, case):
        return self.begin_service_step(case, "legal", "legal")

    def finish_legal(self, case):
        return self.finish_service_step(case, "legal", "legal")

    def begin_reintegration(self, case):
        return self.begin_service_step(case, "reintegration", "social_worker")

    def finish_reintegration(self, case):
        self.note(case, self.officers["social_worker"], "reintegration_result")
        return self.finish_service_step(case, "reintegration", "social_worker")

    def begin_closure(self, case):
        self.note(case, self.chair, "closure_summary")
        return case

    def finish_closure(self, case):
        return self.fire(case, "closure", self.chair)

    # Steps 5-8: the function's officer joins the team and makes the step's referrals, or skips the step.

    def needed(self, step):
        return step not in NEEDS or self.spec.needs[NEEDS[step]]

    def begin_service_step(self, case, step, function):
        if function != "social_worker":  # already on the team since the outreach
            self.assign(case, function)
        if not self.needed(step):
            return case
        officer = self.officers[function]
        for code, kind, _outcome in REFERRALS[step]:
            if step == "medical" and self.spec.risk == HIGH:
                kind = Partner.Kind.HOSPITAL
            if kind is not None:
                self.consent(case, officer, kind)
            referral = services.referral_create(
                case, actor=officer, expected_status=case.status,
                referral=Referral(
                    step=step, service_type=self.service_types[code], partner=self.partners.get(kind),
                    referred_on=self.today,
                ),
            )
            if kind == Partner.Kind.POLICE:
                self.milestones(case, referral, officer, MILESTONES_BEGUN)
        return case

    def finish_service_step(self, case, step, function):
        officer = self.officers[function]
        if not self.needed(step):
            return self.fire(case, f"skip_{step}", officer, SKIP_NOTE)
        outcomes = {code: outcome for code, _kind, outcome in REFERRALS[step]}
        for referral in case.referrals.filter(step=step).select_related("case", "partner", "service_type"):
            if referral.partner is not None and referral.partner.kind == Partner.Kind.POLICE:
                self.milestones(case, referral, officer, MILESTONES_DONE)
            services.referral_update(
                referral, actor=officer, expected_status=case.status,
                outcome=outcomes[referral.service_type.code], completed_on=self.today,
            )
        return self.fire(case, step, officer)

    # The writes, each through cases.services or the engine.

    def fire(self, case, name, actor, note=""):
        return transition_fire(case, name=name, actor=actor, expected_status=case.status, note=note)

    def take(self, case, actor, name=SAVE_ONLY, **fields):
        """The step's form (cases.forms) as the case page sends it: what it opens with, `fields` over it."""
        form_class = case.workflow.step_form(case.step)
        data = {**form_class(record=case, user=actor).initial, **fields, "transition": name}
        form = form_class({f"langkah-{key}": value for key, value in data.items() if value is not None}, record=case, user=actor)
        if not form.is_valid():
            raise ValueError(form.errors.as_text())
        return step_take(case, form=form, actor=actor)

    def assign(self, case, function):
        services.team_assign(case, actor=self.head, expected_status=case.status, user=self.officers[function], function=function)

    def note(self, case, actor, field):
        services.notes_update(case, actor=actor, expected_status=case.status, field=field, text=NOTES[field])

    def consent(self, case, actor, scope):
        child = years_between(self.spec.born, self.today) < 18
        services.consent_record(
            case, actor=actor, expected_status=case.status, scope=scope, granted=True,
            given_by_guardian=child, guardian_name=self.spec.guardian if child else "",
        )

    def milestones(self, case, referral, actor, milestones):
        for kind, note in milestones:
            services.milestone_add(referral, actor=actor, expected_status=case.status, kind=kind, date=self.today, note=note)
