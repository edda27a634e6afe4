"""A province's records at realistic shapes, for the benchmarks: P2TP2A cases, ALOKON stock and PPKS identity
facilitations, bulk-inserted through the models.

    DJANGO_DEBUG=1 DATABASE_URL=postgres://root@127.0.0.1:5432/layanan_bench \\
        .venv/bin/python benchmarks/volume.py [--cases 100000] [--movements 1000000] [--facilitations 20000]

Seeds the database of DATABASE_URL (migrated; the demo may be loaded or not; seeding again adds further
regencies) and prints what it made. The benchmarks import `seed` (benchmarks/volume_pages.py, cases_list.py,
alokon_stock.py), and so does tests/test_benchmarks.py, at a few hundred records.

The shape, as an agency's data looks after years on the portal:

- Regencies of their own ("Kabupaten Volume 01", ...; unit codes volume-*), one per 1,000 cases up to 10, each
  with its Dinas, a P2TP2A, a Bidang Rehdayasos, a UPTD P5A, their services, service hours, 20 kecamatan and
  an account per job (PASSWORD). Nothing of the demo is touched: its units, services and numbers stay apart;
  only the demo's contraceptive items are shared, found by code (alokon.demo.ITEMS) or made as the demo makes
  them.
- Cases: most closed over YEARS years (done, some closed early or voided), a few hundred open per P2TP2A
  (OPEN_CASES: the newest, earlier steps for younger ones, and a tenth stuck for months), each with its
  victim (a name from common Sundanese names, for search, and a well-formed made-up NIK), reporter,
  perpetrator, notes and their versions, team (two social workers share a unit's cases), consents, referrals,
  legal milestones and transition log, as the steps taken would have written them. The Ketua's tasks
  (assign a team, issue an SPT, approve an assessment) wait on some open cases.
- Facilitations: the same, 300-minute service: a few dozen open per unit (OPEN_FACILITATIONS; a quarter of them
  waiting weeks for Disdukcapil), the rest finished or declined, with person, reporter, notes, waits, issued
  documents, follow-ups, requirements attached or waived.
- ALOKON: per Dinas a warehouse with one faskes per 2,000 movements (500 for 1,000,000), a ledger of
  LEDGER_YEARS years to yesterday: distributions to the faskes on working days (SPMB, SBBK from the earliest
  expiring lots, delivery), a new lot from the province when an item runs low, returns, damaged and expired
  stock written off, a few write-offs reversed, months closed. Every lot's running balance stays at or above
  zero and StockBalance is the ledger's sum per lot. The faskes report monthly (one in ten has not yet
  reported last month); this month's distributions wait for those reports, a few requests for their SPMB or
  SBBK.

What no measured page reads is left out to keep the full size within minutes: simple-history rows (the
transition log is there), the receipt confirmations and monitoring of finished distributions, the
attachments of cases (their intake notes say why the papers follow). Attachments of facilitations are rows
without files: no page opens them. The rows are made as the models declare them (fields, defaults, foreign
keys) and inserted in bulk, a chunk per transaction, never through the services one step at a time (Rows):
with bulk_create, or on PostgreSQL with COPY. The database checks every constraint and foreign key as for
any insert; the ledger's triggers refuse only updates and deletes.
"""

import argparse
import os
import random
import sys
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from types import SimpleNamespace

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layanan.settings")
    import django

    django.setup()

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.db.models import FileField, Max
from django.utils import timezone

from alokon.demo import ITEMS as DEMO_ITEMS
from alokon.demo import SUPPLIER
from alokon.models import (
    ClosedPeriod,
    Distribution,
    DistributionLine,
    Facility,
    Item,
    Lot,
    Method,
    Monitoring,
    MonthlyReport,
    Movement,
    Receipt,
    ReceiptConfirmation,
    ReportService,
    ReportStock,
    StockBalance,
)
from cases.models import (
    Case,
    CaseNotes,
    Consent,
    LegalMilestone,
    NoteVersion,
    Partner,
    Perpetrator,
    PerpetratorRelation,
    PlaceType,
    Referral,
    ServiceType,
    TeamMember,
    Victim,
    ViolenceType,
    age_band,
    years_between,
)
from cases.models import Reporter as CaseReporter
from cases.workflow import CLOSED_EARLY, VOIDED
from identitas.models import (
    DisdukcapilWait,
    DocumentKind,
    Facilitation,
    FollowUp,
    IssuedDocument,
    Notes,
    Person,
    PpksCategory,
    RequirementWaiver,
)
from identitas.models import Reporter as FacilitationReporter
from identitas.workflow import REJECTED as DECLINED
from portal.clock import WorkingCalendar, add_months
from portal.management.commands.load_demo import KECAMATAN
from portal.models import (
    Attachment,
    Kecamatan,
    Membership,
    Service,
    ServiceHours,
    Sex,
    TransitionLog,
    Unit,
)
from portal.nik import made_up_nik
from portal.roles import Office, Role
from portal.workflow import DONE

PASSWORD = "volume-layanan-2026"
SEED = 20261215
MAX_REGENCIES = 10
CASES_PER_REGENCY = 1_000  # one regency per this many cases, up to MAX_REGENCIES
MOVEMENTS_PER_FASKES = 2_000
YEARS = 5  # of closed cases and facilitations
LEDGER_YEARS = 3
OPEN_CASES = 300  # per P2TP2A; at most 30% of its cases
OPEN_FACILITATIONS = 40  # per Bidang; at most 30% of its facilitations
CHUNK = 2_000  # records generated and inserted per transaction
# Monday-Thursday 08.00-15.00, Friday 08.00-11.00, as the Ciamis seed's hours.
HOURS = [(day, day_time(8), day_time(15)) for day in range(4)] + [(4, day_time(8), day_time(11))]

FEMALE = [
    "Siti", "Neneng", "Ai", "Lilis", "Tati", "Nurul", "Yuyun", "Wulan", "Popon", "Ani", "Indah", "Mega", "Sri",
    "Putri", "Yeni", "Iah", "Ela", "Euis", "Entin", "Eti", "Dewi", "Rina", "Yanti", "Nining", "Cucu", "Dede",
    "Enok", "Imas", "Tuti", "Lina", "Nia", "Eneng", "Asri", "Rika", "Wida", "Lia", "Yeti", "Neni", "Elis", "Iis",
]
MALE = [
    "Dadan", "Rizki", "Fajar", "Agus", "Rangga", "Asep", "Ujang", "Dedi", "Cecep", "Yudi", "Wawan", "Iwan", "Maman",
    "Rudi", "Hendra", "Gilang", "Dadang", "Yusuf", "Bambang", "Karsim",
]
FAMILY = [
    "Aminah", "Hasanah", "Rohimah", "Hidayat", "Suryani", "Sumiati", "Fitriani", "Yuningsih", "Ramadhan", "Sari",
    "Sopiah", "Nugraha", "Nurjanah", "Rohani", "Permata", "Lestari", "Salim", "Wahyuni", "Marliani", "Rukiah",
    "Pratama", "Nurlela", "Kartini", "Rohaeti", "Setiawan", "Suherman", "Kurniawan", "Rahmawati", "Solihat",
    "Hermawan", "Permatasari", "Saepudin", "Gunawan", "Kusumawati", "Suryana", "Handayani", "Sutrisno", "Hidayah",
    "Marlina", "Nurhasanah",
]

# Each regency's accounts: (job, unit key, role, office, first name). Usernames are <job>.volume-<nn>.
ACCOUNTS = [
    ("kadis", "dinas", Role.AGENCY_HEAD, Office.AGENCY_HEAD, "Kepala"),
    ("sekdis", "dinas", Role.HEAD, Office.AGENCY_SECRETARY, "Sekretaris"),
    ("gudang", "dinas", Role.STOREKEEPER, "", "Pengelola"),
    ("admin", "dinas", Role.ADMIN, "", "Admin"),
    ("ketua", "p2tp2a", Role.HEAD, Office.CHAIR, "Ketua"),
    ("sekretaris", "p2tp2a", Role.HEAD, Office.SECRETARY, "Sekretaris"),
    ("data", "p2tp2a", Role.OFFICER, "", "Divisi Data"),
    ("peksos1", "p2tp2a", Role.OFFICER, "", "Pekerja Sosial"),
    ("peksos2", "p2tp2a", Role.OFFICER, "", "Pekerja Sosial"),
    ("pendamping", "p2tp2a", Role.OFFICER, "", "Pendamping"),
    ("psikolog", "p2tp2a", Role.OFFICER, "", "Psikolog"),
    ("hukum", "p2tp2a", Role.OFFICER, "", "Divisi Hukum"),
    ("kabid", "rehdayasos", Role.HEAD, Office.DIVISION_HEAD, "Kabid"),
    ("tim1", "rehdayasos", Role.OFFICER, "", "Tim Kerja"),
    ("tim2", "rehdayasos", Role.OFFICER, "", "Tim Kerja"),
    ("tim3", "rehdayasos", Role.OFFICER, "", "Tim Kerja"),
    ("uptd", "uptd", Role.OFFICER, "", "Petugas UPTD"),
]


def region(number):
    """The four digits of province and regency of a regency's made-up NIKs and kode wilayah: West Java's, and a
    regency number of nobody's (the real ones end at 79)."""
    return f"32{80 + number % 20:02d}"


def username(job, number):
    return f"{job}.volume-{number:02d}"


UNIT_KEYS = ("dinas", "p2tp2a", "rehdayasos", "uptd")  # a regency's units below its government (volume-<key>-<nn>)


@dataclass
class Regency:
    """One regency of the province: its units, services and accounts (by job, as ACCOUNTS)."""

    number: int
    units: dict
    services: dict  # "cases", "identitas", "alokon"
    users: dict
    kecamatan: list = field(default_factory=list)


@dataclass
class Province:
    """The regencies seeded; the benchmarks measure the first one's pages."""

    regencies: list
    counts: dict = field(default_factory=dict)  # rows seeded, by model label

    @classmethod
    def load(cls):
        """The regencies seeded earlier in this database."""
        regencies = []
        for government in Unit.objects.filter(code__startswith="volume-kab-").order_by("code"):
            number = int(government.code.rsplit("-", 1)[1])
            units = {key: Unit.objects.get(code=f"volume-{key}-{number:02d}") for key in UNIT_KEYS}
            units["government"] = government
            services = {
                app: Service.objects.get(slug=f"volume-{app}-{number:02d}") for app in ("cases", "identitas", "alokon")
            }
            users = User.objects.in_bulk([username(job, number) for job, *_rest in ACCOUNTS], field_name="username")
            users = {job: users[username(job, number)] for job, *_rest in ACCOUNTS}
            kecamatan = list(Kecamatan.objects.filter(regency=government).order_by("pk"))
            regencies.append(Regency(number, units, services, users, kecamatan))
        return cls(regencies)


# Rows, with ids given before they are saved.


class Row(SimpleNamespace):
    """A row waiting to be inserted: its fields by name, a foreign key as the Row or model instance it points at
    (or by its attname, as an id)."""

    @property
    def pk(self):
        return self.id


@dataclass
class Column:
    field: object
    attname: str
    name: str  # a relation's name, whose value is a row or instance: its pk is stored

    def value(self, row):
        values = row.__dict__
        if self.attname in values:
            return values[self.attname]
        if self.name in values:
            target = values[self.name]
            return None if target is None else target.pk
        return self.field.get_default()


class Rows:
    """Rows waiting to be inserted, model by model in the order first added; a chunk of them (flush) is one
    transaction. Ids are given here, past the table's highest, so a row may point at another before either is saved:
    foreign keys are checked at commit. On PostgreSQL they go in with COPY, five times bulk_create's pace, and
    outside a transaction a second thread writes one chunk while the next is made (the database's work, its
    indexes and foreign key checks, then costs little time of its own); elsewhere with bulk_create."""

    def __init__(self):
        self.next_ids = {}  # of each model whose ids are given here (an auto-incremented primary key)
        self.pending = {}
        self.counts = defaultdict(int)
        in_background = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.writer = ThreadPoolExecutor(max_workers=1) if in_background else None
        self.writing = []

    def add(self, model, **fields):
        row = Row(**fields)
        if model not in self.pending:
            self.pending[model] = []
            if model not in self.next_ids and model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"):
                self.next_ids[model] = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        if model in self.next_ids:
            row.id = self.next_ids[model]
            self.next_ids[model] += 1
        self.pending[model].append(row)
        return row

    def flush(self):
        """Write the rows added so far; no row added before may change afterwards."""
        chunk, self.pending = self.pending, {}
        for model, rows in chunk.items():
            self.counts[model] += len(rows)
        if self.writer is None:
            write(chunk)
            return
        while len(self.writing) > 1:  # at most one chunk waiting: memory stays bounded
            self.writing.pop(0).result()
        self.writing.append(self.writer.submit(write, chunk))

    def finish(self):
        """Flush, wait for the writes, and move the tables' id sequences past the ids given here."""
        self.flush()
        if self.writer is not None:
            for future in self.writing:
                future.result()
            self.writer.submit(connections.close_all).result()  # the writer thread's own connection
            self.writer.shutdown()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.next_ids)):
                cursor.execute(sql)


def write(chunk):
    """Insert a chunk of rows ({model: [Row]}) in one transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # a seed lost in a crash is seeded again: no wait for the disk
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for model, rows in chunk.items():
            columns = [
                Column(field, field.attname, field.name if field.is_relation else field.attname)
                for field in model._meta.concrete_fields
            ]
            if connection.vendor == "postgresql":
                copy_rows(model, columns, rows)
            else:
                model.objects.bulk_create(
                    [model(**{column.attname: column.value(row) for column in columns}) for row in rows], batch_size=500,
                )


def copy_rows(model, columns, rows):
    names = ", ".join(connection.ops.quote_name(column.field.column) for column in columns)
    files = [isinstance(column.field, FileField) for column in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            values = [column.value(row) for column in columns]
            copy.write_row([str(value) if file else value for value, file in zip(values, files)])


def logged(rows, content_type, record, transition, from_status, to_status, actor, at, note=""):
    """One row of the transition log of `record` (a Row with `unit`)."""
    rows.add(
        TransitionLog, content_type_id=content_type.pk, object_id=record.pk, unit=record.unit, transition=transition,
        from_status=from_status, to_status=to_status, actor=actor, at=at, note=note,
    )


def person_name(rng, sex):
    first = rng.choice(FEMALE if sex == Sex.FEMALE else MALE)
    return f"{first} {rng.choice(FAMILY)}"


def working_moment(moment):
    """The moment moved into office hours, never later: 08.00-13.59 of a weekday."""
    local = timezone.localtime(moment)
    result = local.replace(hour=8 + (local.hour + local.minute) % 6, second=0, microsecond=0)
    while result > local or result.weekday() >= 5:
        result -= timedelta(days=1)
    return result


def next_working_day(moment):
    moment += timedelta(days=1)
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    return moment


def spread(rng, now, count, *, newest, oldest):
    """`count` moments between `oldest` and `newest` days ago, newest first, in office hours."""
    moments = sorted((now - timedelta(days=rng.uniform(newest, oldest)) for _ in range(count)), reverse=True)
    return [working_moment(moment) for moment in moments]


class Numbers:
    """The next number of a series per year: cases, facilitations, SPMB, SBBK, receipts."""

    def __init__(self):
        self.last = defaultdict(int)

    def take(self, series, year):
        self.last[series, year] += 1
        return self.last[series, year]


# The province: units, services, accounts.


def regency_create(number, password_hash):
    """One regency's units, services, hours, kecamatan and accounts. Units and services go in with bulk_create:
    saving one marks the published documents stale, which renders them all again."""
    code = f"{number:02d}"
    [government] = Unit.objects.bulk_create([Unit(
        code=f"volume-kab-{code}", name=f"Pemerintah Kabupaten Volume {code}", short_name=f"Pemkab Volume {code}",
        kind=Unit.Kind.GOVERNMENT,
    )])
    [agency] = Unit.objects.bulk_create([Unit(
        code=f"volume-dinas-{code}", name=f"Dinas Sosial, PPKB dan P3A Kabupaten Volume {code}",
        short_name=f"Dinas Volume {code}", kind=Unit.Kind.AGENCY, parent=government,
        government_name=f"PEMERINTAH KABUPATEN VOLUME {code}", agency_name=f"DINAS SOSIAL KABUPATEN VOLUME {code}",
        address="Jalan Benchmark No. 1",
    )])
    below = [("p2tp2a", "P2TP2A", Unit.Kind.OTHER), ("rehdayasos", "Bidang Rehdayasos", Unit.Kind.DIVISION),
             ("uptd", "UPTD P5A", Unit.Kind.TECHNICAL_UNIT)]
    units = dict(zip([key for key, _name, _kind in below], Unit.objects.bulk_create(
        Unit(code=f"volume-{key}-{code}", name=f"{name} Kabupaten Volume {code}", short_name=f"{name} Volume {code}",
             kind=kind, parent=agency)
        for key, name, kind in below
    )))
    units.update(dinas=agency, government=government)
    ServiceHours.objects.bulk_create(ServiceHours(unit=agency, weekday=d, opens=o, closes=c) for d, o, c in HOURS)
    apps = [("cases", "Pelayanan dan Pendampingan P2TP2A", "p2tp2a"),
            ("identitas", "Fasilitasi Identitas PPKS Terlantar", "rehdayasos"),
            ("alokon", "Penyaluran Alat dan Obat Kontrasepsi", "dinas")]
    services = dict(zip([app for app, _label, _key in apps], Service.objects.bulk_create(
        Service(slug=f"volume-{app}-{code}", name=f"{label} Kabupaten Volume {code}", unit=units[key], app=app)
        for app, label, key in apps
    )))
    names = (KECAMATAN["ciamis"] + KECAMATAN["purwakarta"])[:20]
    kecamatan = Kecamatan.objects.bulk_create(
        Kecamatan(regency=government, name=name, code=f"32.{region(number)[2:]}.{k:02d}") for k, name in enumerate(names, 1)
    )
    users = dict(zip([job for job, *_rest in ACCOUNTS], User.objects.bulk_create(
        User(username=username(job, number), password=password_hash, first_name=first_name, last_name=f"Volume {code}",
             is_staff=role == Role.ADMIN)
        for job, _key, role, _office, first_name in ACCOUNTS
    )))
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.ALL)}
    Membership.objects.bulk_create(
        Membership(user=users[job], unit=units[key], role=groups[role], office=office)
        for job, key, role, office, _first_name in ACCOUNTS
    )
    Partner.objects.bulk_create(
        Partner(unit=units["p2tp2a"], name=f"{name} Kabupaten Volume {code}", kind=kind)
        for name, kind in [
            ("RSUD", Partner.Kind.HOSPITAL), ("Puskesmas", Partner.Kind.PUSKESMAS),
            ("Biro Psikologi", Partner.Kind.PSYCHOLOGIST), ("Unit PPA Polres", Partner.Kind.POLICE),
            ("Pengadilan Negeri", Partner.Kind.COURT), ("LBH", Partner.Kind.LEGAL_AID),
        ]
    )
    return Regency(number, units, services, users, kecamatan)


def items_get():
    """The demo's contraceptive items, made here as the demo makes them when it is not loaded."""
    items = []
    for code, method, name, unit_of_issue, pack_size in DEMO_ITEMS:
        item, _created = Item.objects.get_or_create(
            code=code, defaults={"method": method, "name": name, "unit_of_issue": unit_of_issue, "pack_size": pack_size},
        )
        items.append(item)
    return items


def working_calendar():
    """Every seeded Dinas' calendar: HOURS, the national holidays, no days off of its own."""
    periods = defaultdict(list)
    for weekday, opens, closes in HOURS:
        periods[weekday].append((opens, closes))
    return WorkingCalendar(dict(periods))


# P2TP2A cases.

CASE_STEPS = ["report", "intake", "outreach", "assessment", "medical", "psychological", "legal", "reintegration", "closure"]
NEEDS = {"medical": 0, "psychological": 1, "legal": 2}  # the step's place in CasePlan.needs
# Who takes each step: a job of ACCOUNTS, or the case's social worker.
STEP_ACTOR = {
    "report": "data", "intake": "data", "outreach": "social_worker", "assessment": "social_worker",
    "medical": "pendamping", "psychological": "psikolog", "legal": "hukum", "reintegration": "social_worker",
    "closure": "ketua",
}
TEAM_FUNCTION = {"pendamping": "companion", "psikolog": "psychologist", "hukum": "legal"}
REFERRALS = {
    "medical": [("kesehatan", Partner.Kind.PUSKESMAS)],
    "psychological": [("rehabilitasi_sosial", Partner.Kind.PSYCHOLOGIST)],
    "legal": [("penegakan_hukum", Partner.Kind.POLICE), ("bantuan_hukum", Partner.Kind.LEGAL_AID)],
    "reintegration": [("reintegrasi_sosial", None)],
}
# Each narrative note, the step whose taker writes it, and its text.
NOTES = {
    "chronology": (0, "Korban melapor telah mengalami kekerasan; kronologi dicatat petugas (data uji volume)."),
    "missing_documents_reason": (1, "Kasus mendesak: surat pengantar RT/RW dan fotokopi KTP menyusul."),
    "outreach_result": (2, "Laporan terverifikasi; korban bersedia didampingi."),
    "assessment": (3, "Kebutuhan korban dan risikonya dinilai bersama korban dan keluarga."),
    "reintegration_result": (7, "Korban kembali beraktivitas; keluarga ikut memantau."),
    "closure_summary": (8, "Semua layanan sesuai asesmen telah diberikan."),
}


@dataclass
class CasePlan:
    """What one case went through: its status, the steps it entered and the moment of each, then of its end."""

    created: datetime
    status: str
    reached: int  # how many of CASE_STEPS it entered
    moments: list
    needs: tuple  # medical, psychological, legal, as assessed

    @property
    def passed(self):
        """How many steps it completed."""
        return self.reached if self.status == DONE else self.reached - 1

    def needed(self, step):
        return step not in NEEDS or self.needs[NEEDS[step]]


class CaseSeeder:
    """The cases of one P2TP2A."""

    def __init__(self, regency, rows, rng, now, masters):
        self.regency, self.rows, self.rng, self.now = regency, rows, rng, now
        self.service, self.unit, self.users = regency.services["cases"], regency.units["p2tp2a"], regency.users
        self.masters = masters
        self.partners = {partner.kind: partner for partner in Partner.objects.filter(unit=self.unit)}
        self.calendar = working_calendar()
        self.content_type = ContentType.objects.get_for_model(Case)
        self.numbers = Numbers()

    def seed(self, total):
        for i, plan in enumerate(self.plans(total)):
            self.case(plan)
            if i % CHUNK == CHUNK - 1:
                self.rows.flush()
        self.rows.flush()

    def plans(self, total):
        """Every case's plan, oldest first: the open ones the newest (younger in earlier steps; a tenth stuck in a
        service step for months), the others closed over the years."""
        rng, now = self.rng, self.now
        open_count = min(OPEN_CASES, round(total * 0.3))
        stuck = open_count // 10
        plans = []
        for created in spread(rng, now, open_count - stuck, newest=0.1, oldest=90):
            plans.append(self.plan(created, min(8, (now - created).days * 9 // 90), None, now))
        for created in spread(rng, now, stuck, newest=100, oldest=365):
            plans.append(self.plan(created, rng.choice([4, 5, 6, 7]), None, now))
        for created in spread(rng, now, total - open_count, newest=60, oldest=YEARS * 365):
            end = rng.choices([DONE, CLOSED_EARLY, VOIDED], [85, 10, 5])[0]
            ended = min(now - timedelta(days=1), created + timedelta(days=rng.uniform(20, 100)))
            plans.append(self.plan(created, 8 if end == DONE else rng.randrange(0, 8), end, ended))
        return sorted(plans, key=lambda plan: plan.created)

    def plan(self, created, step, end, last):
        """A case that entered `step` and ended (`end`) at `last`, or is still there (`end` None)."""
        rng = self.rng
        needs = (rng.random() < 0.5, rng.random() < 0.7, rng.random() < 0.3)
        reached = step + 1
        span = (last - created) * (0.9 if end is None else 1)
        moments = [created + span * i / reached for i in range(reached)] + ([last] if end else [])
        return CasePlan(created, end or CASE_STEPS[step], reached, moments, needs)

    def case(self, plan):
        rng, rows, users = self.rng, self.rows, self.users
        created, passed = plan.created, plan.passed
        sex = Sex.FEMALE if rng.random() < 0.85 else Sex.MALE
        age = rng.randrange(2, 18) if rng.random() < 0.55 else rng.randrange(18, 70)
        born = created.date() - timedelta(days=age * 365 + rng.randrange(365))
        kecamatan = rng.randrange(len(self.regency.kecamatan))
        assessed = passed > 3 or (plan.status == "assessment" and rng.random() < 0.5)
        year = timezone.localtime(created).year
        actors = {job: users[job] for job in ("data", "ketua", "pendamping", "psikolog", "hukum")}
        actors["social_worker"] = users[rng.choice(["peksos1", "peksos2"])]
        taken = self.transitions(plan, actors)
        case = rows.add(
            Case, service=self.service, unit=self.unit, year=year, sequence=self.numbers.take("case", year),
            status=plan.status, created_at=created, status_changed_at=plan.moments[-1],
            status_changed_by=taken[-1][3] if taken else actors["data"],
            due_at=self.calendar.closing_on_or_after(add_months(created, 3)), channel=rng.choice(Case.Channel.values),
            risk=rng.choices(Case.Risk.values, [30, 55, 15])[0], place_type=rng.choice(self.masters["place"]),
            incident_date=created.date() - timedelta(days=rng.randrange(1, 30)), kecamatan=self.regency.kecamatan[kecamatan],
            victim_sex=sex, victim_age_band=age_band(years_between(born, created.date())),
            needs_medical=plan.needs[0] if assessed else None, needs_psychological=plan.needs[1] if assessed else None,
            needs_legal=plan.needs[2] if assessed else None,
            # The Ketua approves an assessment before its step is done, and issues the SPT in the outreach step.
            assessment_approved_at=plan.moments[4] - timedelta(hours=2) if passed > 3 else None,
            assessment_approved_by=users["ketua"] if passed > 3 else None,
        )
        if passed > 2 or (plan.status == "outreach" and rng.random() < 0.5):
            case.spt_issued_at, case.spt_issued_by = plan.moments[2], users["ketua"]
        rows.add(
            Victim, case=case, name=person_name(rng, sex), sex=sex, birth_date=born, kecamatan=case.kecamatan,
            nik=made_up_nik(region(self.regency.number), kecamatan + 1, born, sex, rng.randrange(1, 10000)),
            address=f"Kampung Uji RT 0{rng.randrange(1, 9)}/RW 0{rng.randrange(1, 9)}",
        )
        if case.channel != Case.Channel.IN_PERSON or rng.random() < 0.5:  # else the victim reported herself
            anonymous = case.channel == Case.Channel.COMMUNITY and rng.random() < 0.3
            rows.add(
                CaseReporter, case=case, is_anonymous=anonymous, name="" if anonymous else person_name(rng, Sex.FEMALE),
                relation="" if anonymous else rng.choice(["Ibu korban", "Tetangga", "Guru", "Petugas kesehatan"]),
            )
        rows.add(
            Perpetrator, case=case, relation=rng.choice(self.masters["relation"]), sex=Sex.MALE, age=rng.randrange(15, 65),
        )
        for violence in rng.sample(self.masters["violence"], rng.choice([1, 1, 2])):
            rows.add(Case.violence_types.through, case=case, violencetype=violence)
        self.notes(case, plan, actors, assessed)
        self.team(case, plan, actors, child=age < 18)
        logged(rows, self.content_type, case, "start", "", "report", actors["data"], plan.moments[0])
        for (name, source, target, actor, note), moment in zip(taken, plan.moments[1:]):
            logged(rows, self.content_type, case, name, source, target, actor, moment, note)

    def notes(self, case, plan, actors, assessed):
        """The notes of the steps completed (the assessment's once written), each with its one version."""
        written = {
            name: text for name, (step, text) in NOTES.items()
            if plan.passed > step or (name == "assessment" and assessed)
        }
        if plan.status != DONE:
            written.pop("closure_summary", None)
        self.rows.add(CaseNotes, case=case, assessed_by=actors["social_worker"] if assessed else None, **written)
        for name, text in written.items():
            step = NOTES[name][0]
            self.rows.add(
                NoteVersion, case=case, note=name, text=text, written_by=actors[STEP_ACTOR[CASE_STEPS[step]]],
                written_at=plan.moments[min(step, len(plan.moments) - 1)],
            )

    def team(self, case, plan, actors, *, child):
        """The team (the recorder; the social worker from the intake on; a member per needed service step), the
        victim's consents, and the referrals of steps 5-8 with the police's milestones."""
        rows, ketua, moments = self.rows, actors["ketua"], plan.moments
        rows.add(
            TeamMember, case=case, user=actors["data"], function="data", assigned_by=actors["data"], assigned_at=moments[0],
        )
        if plan.reached > 1:
            rows.add(
                TeamMember, case=case, user=actors["social_worker"], function="social_worker", assigned_by=ketua,
                assigned_at=moments[1],
            )
        if plan.passed > 1:
            rows.add(
                Consent, case=case, scope=Consent.SERVICES, granted=True, given_by_guardian=child,
                guardian_name=person_name(self.rng, Sex.FEMALE) if child else "", recorded_by=actors["data"],
                recorded_at=moments[1],
            )
        for step in ("medical", "psychological", "legal", "reintegration"):
            index = CASE_STEPS.index(step)
            if plan.reached <= index or not plan.needed(step):
                continue
            entered = moments[index]
            left = moments[index + 1] if index + 1 < len(moments) else None
            actor = actors[STEP_ACTOR[step]]
            if STEP_ACTOR[step] in TEAM_FUNCTION:
                rows.add(
                    TeamMember, case=case, user=actor, function=TEAM_FUNCTION[STEP_ACTOR[step]], assigned_by=ketua,
                    assigned_at=entered,
                )
            for service_type, kind in REFERRALS[step]:
                if kind is not None:
                    rows.add(
                        Consent, case=case, scope=kind, granted=True, given_by_guardian=child, recorded_by=actors["data"],
                        recorded_at=entered,
                    )
                referral = rows.add(
                    Referral, case=case, step=step, service_type=self.masters["service"][service_type],
                    partner=self.partners.get(kind), referred_on=entered.date(), created_by=actor, created_at=entered,
                    outcome="Layanan diberikan; hasil dicatat." if left else "", completed_on=left.date() if left else None,
                )
                if kind == Partner.Kind.POLICE:
                    milestones = [LegalMilestone.Kind.POLICE_REPORT, LegalMilestone.Kind.EXAMINATION]
                    for n, milestone in enumerate(milestones + ([LegalMilestone.Kind.P21] if left else [])):
                        rows.add(
                            LegalMilestone, referral=referral, kind=milestone, date=entered.date() + timedelta(days=3 * n),
                            recorded_by=actor,
                        )

    def transitions(self, plan, actors):
        """(name, from, to, actor, note) of each transition the case took, after its start."""
        taken = []
        for index in range(1, len(plan.moments)):
            source = CASE_STEPS[index - 1]
            target = CASE_STEPS[index] if index < plan.reached else plan.status
            if target in (CLOSED_EARLY, VOIDED):
                kind = "close_early" if target == CLOSED_EARLY else "void"
                taken.append((f"{kind}.{source}", source, target, actors["ketua"], "Alasan dicatat."))
            elif not plan.needed(source):
                taken.append((f"skip_{source}", source, target, actors["social_worker"], "Menurut asesmen tidak diperlukan."))
            else:
                taken.append((source, source, target, actors[STEP_ACTOR[source]], ""))
        return taken


# PPKS identity facilitations.

FACILITATION_STEPS = ["report", "review", "record", "outreach", "analysis", "accompaniment", "result_report", "archive"]
REQUIREMENTS = ("population_record", "dtks_letter")


class FacilitationSeeder:
    """The facilitations of one Bidang Rehdayasos."""

    def __init__(self, regency, rows, rng, now):
        self.regency, self.rows, self.rng, self.now = regency, rows, rng, now
        self.service, self.unit, self.users = regency.services["identitas"], regency.units["rehdayasos"], regency.users
        self.calendar = working_calendar()
        self.categories = list(PpksCategory.objects.all())
        self.content_type = ContentType.objects.get_for_model(Facilitation)
        self.numbers = Numbers()

    def seed(self, total):
        """The open ones of the last days, a quarter of them waiting weeks for Disdukcapil; the rest finished or
        (one in ten) declined by the Kabid, over the years."""
        rng, now = self.rng, self.now
        open_count = min(OPEN_FACILITATIONS, round(total * 0.3))
        waiting = open_count // 4
        plans = [
            (received, rng.randrange(0, 8), None) for received in spread(rng, now, open_count - waiting, newest=0.05, oldest=4)
        ]
        plans += [(received, 5, "waiting") for received in spread(rng, now, waiting, newest=5, oldest=60)]
        plans += [
            (received, 8, DONE) if rng.random() < 0.9 else (received, 2, DECLINED)
            for received in spread(rng, now, total - open_count, newest=7, oldest=YEARS * 365)
        ]
        for i, (received, step, end) in enumerate(sorted(plans, key=lambda plan: plan[0])):
            self.facilitation(received, step, end)
            if i % CHUNK == CHUNK - 1:
                self.rows.flush()
        self.rows.flush()

    def facilitation(self, received, step, end):
        """One facilitation that entered `step` (done: 8, declined: 2 for the review's end), or waits there."""
        rng, rows, users = self.rng, self.rows, self.users
        officer = users[rng.choice(["tim1", "tim2", "tim3"])]
        minutes = rng.randrange(150, 420)  # the agency's own working minutes up to the result report
        waited = rng.randrange(240, 2400) if step >= 5 else 0  # Disdukcapil's, in the accompaniment
        moments = [
            self.calendar.add_working_minutes(received, round(minutes * i / 7) + (waited if i > 5 else 0))
            for i in range(step + 1)
        ]
        if end is None or end == "waiting":
            moments = [min(moment, self.now - timedelta(minutes=5)) for moment in moments]
        passed = step  # steps completed
        reported = moments[7] if passed >= 7 else None
        in_wait = end == "waiting"
        status = end if end in (DONE, DECLINED) else FACILITATION_STEPS[step]
        year = timezone.localtime(received).year
        record = rows.add(
            Facilitation, service=self.service, unit=self.unit, year=year, sequence=self.numbers.take("facilitation", year),
            status=status, created_at=received + timedelta(minutes=5), received_at=received, status_changed_at=moments[-1],
            status_changed_by=users["kabid"] if end == DECLINED else officer,
            # The clock runs to the result report; while the team waits for Disdukcapil it stands still.
            due_at=None if in_wait or status not in FACILITATION_STEPS[:7] else self.calendar.add_working_minutes(
                received, 300
            ),
            channel=rng.choice(Facilitation.Channel.values), category=rng.choice(self.categories),
            kecamatan=rng.choice(self.regency.kecamatan) if passed >= 4 else None, officer=officer,
            result_reported_at=reported, agency_minutes=minutes if reported else None,
            waited_minutes=waited if passed > 5 else 0, standard_missed=bool(reported) and minutes > 300,
            population_record=rng.choice(Facilitation.Requirement.values) if passed >= 3 else "",
            dtks_letter=rng.choice(Facilitation.Requirement.values) if passed >= 3 else "",
        )
        self.person(record, moments, passed)
        if passed >= 3:
            self.requirements(record, moments, met=passed >= 6 or rng.random() < 0.6)
        if passed >= 5 and end != DECLINED:
            started = moments[5]
            ended = None if in_wait else self.calendar.add_working_minutes(started, waited)
            rows.add(
                DisdukcapilWait, facilitation=record, started_at=started, started_by=officer,
                due_before=self.calendar.add_working_minutes(received, 300), ended_at=ended,
                ended_by=officer if ended else None, minutes=waited if ended else None,
            )
        self.log(record, moments, end, officer)

    def person(self, record, moments, passed):
        """The person, the reporter, and the team's notes of the steps completed; the documents issued."""
        rng, rows = self.rng, self.rows
        sex = rng.choice(Sex.values)
        born = record.received_at.date() - timedelta(days=rng.randrange(6 * 365, 80 * 365))
        known_birth = rng.random() < 0.6
        nik = made_up_nik(region(self.regency.number), rng.randrange(1, 21), born, sex, rng.randrange(1, 10000))
        rows.add(
            Person, facilitation=record, name=person_name(rng, sex), is_alias=rng.random() < 0.2, sex=sex,
            nik=nik if known_birth and rng.random() < 0.5 else "", birth_date=born if known_birth else None,
            estimated_age=None if known_birth else (record.received_at.date() - born).days // 365, origin="Tidak diketahui",
        )
        rows.add(
            FacilitationReporter, facilitation=record, name=person_name(rng, Sex.FEMALE), relation="Warga",
            contact=f"0812-0000-{rng.randrange(10000):04d}",
        )
        notes = {"report": "Warga melaporkan PPKS terlantar tanpa identitas (data uji volume)."}
        if passed >= 3:
            notes["population_recorded"] = rng.choice(Notes.Recorded.values)
        if passed >= 4:
            notes.update(found_address="Emper toko di pasar kecamatan", condition="Sehat, tampak lelah",
                         photo_consent=rng.choice(Notes.PhotoConsent.values))
        if passed >= 5:
            notes["needs_analysis"] = "Membutuhkan NIK dan KTP-el untuk jaminan kesehatan."
        if record.result_reported_at:
            notes["result_summary"] = "Dokumen kependudukan terbit dan diserahkan."
            notes["missed_reason"] = "Antrean perekaman di Disdukcapil." if record.standard_missed else ""
        rows.add(Notes, facilitation=record, **notes)
        if passed >= 6:
            self.documents(record, moments, nik, done=passed >= 8)

    def requirements(self, record, moments, *, met):
        """Each requirement attached (a row without a file) or waived by the Kabid; some still missing unless `met`."""
        rng, rows = self.rng, self.rows
        for kind in REQUIREMENTS:
            if not met and rng.random() < 0.5:
                continue
            if rng.random() < 0.8:
                rows.add(
                    Attachment, content_type=self.content_type, object_id=record.pk, unit=record.unit, kind=kind,
                    file=f"identitas/volume/{uuid.UUID(int=rng.getrandbits(128)).hex}.pdf", mime_type="application/pdf",
                    uploaded_by=record.officer, uploaded_at=moments[3],
                )
            else:
                rows.add(
                    RequirementWaiver, facilitation=record, requirement=kind, reason="Tidak dapat diperoleh dari sumbernya.",
                    waived_by=self.users["kabid"], waived_at=moments[3],
                )

    def documents(self, record, moments, nik, *, done):
        """The NIK issued (a KK too for half), and the follow-ups it suggests: decided once the file is archived."""
        rng, rows, issued = self.rng, self.rows, moments[6]
        rows.add(
            IssuedDocument, facilitation=record, kind=DocumentKind.NIK, number=nik, issued_on=issued.date(),
            recorded_by=record.officer, recorded_at=issued,
        )
        if rng.random() < 0.5:
            rows.add(
                IssuedDocument, facilitation=record, kind=DocumentKind.KK, issued_on=issued.date(),
                number=f"{region(self.regency.number)}{rng.randrange(10**11, 10**12)}", recorded_by=record.officer,
                recorded_at=issued,
            )
        for kind in FollowUp.SUGGESTED_KINDS:
            state = rng.choice([FollowUp.State.DONE, FollowUp.State.NOT_NEEDED]) if done else FollowUp.State.SUGGESTED
            rows.add(
                FollowUp, facilitation=record, kind=kind, state=state, updated_by=record.officer, updated_at=moments[-1],
                done_on=moments[-1].date() if state == FollowUp.State.DONE else None,
            )

    def log(self, record, moments, end, officer):
        kabid = self.users["kabid"]
        logged(self.rows, self.content_type, record, "start", "", "report", officer, moments[0])
        for index in range(1, len(moments)):
            source = FACILITATION_STEPS[index - 1]
            target = FACILITATION_STEPS[index] if index < len(FACILITATION_STEPS) else DONE
            name, actor, note = source, officer, ""
            if source == "review":
                name, actor = ("review.decline", kabid) if end == DECLINED else ("review.accept", kabid)
                target = DECLINED if end == DECLINED else target
                note = "Bukan PPKS terlantar: dirujuk ke layanan lain." if end == DECLINED else ""
            logged(self.rows, self.content_type, record, name, source, target, actor, moments[index], note)


# ALOKON: the warehouse's ledger, distributions and the faskes' reports.

DISTRIBUTION_STEPS = [
    "request", "spmb", "packing", "delivery", "monitoring", "receipt", "service", "coordination", "reporting", DONE,
]
DISTRIBUTION_ACTOR = {"spmb": "sekdis", "packing": "gudang", "delivery": "gudang"}  # the other steps: the UPTD's
LONG_ACTING = (Method.IMPLANT, Method.IUD)  # only for a faskes with an MoU MKJP
# Units a faskes uses of each method a month: (a puskesmas, another faskes).
MONTHLY_USE = {
    Method.PILL: (120, 30), Method.INJECTABLE: (200, 50), Method.CONDOM: (720, 144), Method.IMPLANT: (20, 4),
    Method.IUD: (10, 2),
}
# Issues per distribution line (a line rarely takes a second lot), and movements per issue (with the receipts,
# returns and write-offs), as measured at 1,000,000: how many distributions make the movements asked for.
MOVEMENTS_PER_LINE = 1.0
MOVEMENTS_PER_ISSUE = 1.01
SPMB_REJECTED = 0.02  # of the requests: no stock moves


class Warehouse:
    """One Dinas' warehouse: its faskes, lots, the ledger day by day, the distributions and monthly reports."""

    def __init__(self, regency, rows, rng, now, items):
        self.regency, self.rows, self.rng, self.now, self.items = regency, rows, rng, now, items
        self.service, self.agency, self.users = regency.services["alokon"], regency.units["dinas"], regency.users
        self.calendar = working_calendar()
        self.zone = timezone.get_current_timezone()
        self.content_type = ContentType.objects.get_for_model(Distribution)
        self.numbers = Numbers()
        self.lots = defaultdict(list)  # item id -> [(lot, expiry)] still holding stock, earliest expiry first
        self.all_lots = []
        self.balances = defaultdict(int)  # lot id -> quantity
        self.received = defaultdict(int)  # (faskes id, item id, month) -> units issued to it
        self.movements = 0

    def seed(self, movements):
        """About `movements` movements over LEDGER_YEARS years to yesterday, then the faskes' reports and the balances."""
        self.facilities = self.faskes(max(3, round(movements / MOVEMENTS_PER_FASKES)))
        today = timezone.localdate(self.now)
        first_day = today - timedelta(days=LEDGER_YEARS * 365)
        days = [first_day + timedelta(days=n) for n in range((today - first_day).days)]
        lines = sum(len(self.items_for(facility)) for facility in self.facilities) / len(self.facilities)
        shipped = lines * MOVEMENTS_PER_LINE * MOVEMENTS_PER_ISSUE * (1 - SPMB_REJECTED)  # movements per distribution
        per_day = movements / shipped / sum(day.weekday() < 5 for day in days)
        due = 0.0
        for day in days:
            if day.day == 1:
                self.month_start(day)
            if day.weekday() >= 5:
                continue
            due += per_day
            while due >= 1:
                due -= 1
                self.distribution(day, self.facilities[self.rng.randrange(len(self.facilities))])
            self.damaged(day)
            if len(self.rows.pending.get(Movement, [])) >= CHUNK * 5:
                self.rows.flush()
        self.waiting_requests(today)
        self.reports(first_day, today)
        for lot in self.all_lots:
            self.rows.add(StockBalance, warehouse=self.agency, item=lot.item, lot=lot, quantity=self.balances[lot.pk])
        self.rows.flush()

    def faskes(self, count):
        kinds, number = Facility.Kind.values, self.regency.number
        return [
            self.rows.add(
                Facility, unit=self.agency, uptd=self.regency.units["uptd"], registration_number=f"V{number:02d}KB{n:05d}",
                name=f"{'Puskesmas' if n % 5 == 0 else 'Faskes'} Volume {number:02d}-{n:03d}",
                kind=kinds[0] if n % 5 == 0 else kinds[1 + n % 4], kecamatan=self.regency.kecamatan[n % 20],
                mkjp_mou=n % 5 in (0, 1),
            )
            for n in range(1, count + 1)
        ]

    def items_for(self, facility):
        return [item for item in self.items if facility.mkjp_mou or item.method not in LONG_ACTING]

    def at(self, day, hour):
        return datetime.combine(day, day_time(hour, self.rng.randrange(60)), tzinfo=self.zone)

    def post(self, item, lot, kind, quantity, day, **fields):
        self.balances[lot.pk] += quantity
        self.movements += 1
        return self.rows.add(
            Movement, warehouse=self.agency, item=item, lot=lot, kind=kind, quantity=quantity, occurred_on=day,
            posted_by=self.users["gudang"], posted_at=self.at(day, 14), **fields,
        )

    def receive(self, item, day, quantity):
        """A delivery of the province (its SBBM): a new lot, expiring in two years (implants in three)."""
        years = 3 if item.method == Method.IMPLANT else 2
        lot = self.rows.add(
            Lot, item=item, number=f"VOL{self.regency.number:02d}-{len(self.all_lots) + 1:05d}",
            expiry_date=day.replace(year=day.year + years, day=min(day.day, 28)), production_date=day - timedelta(days=60),
        )
        self.lots[item.pk].append((lot, lot.expiry_date))
        self.all_lots.append(lot)
        sequence = self.numbers.take("receipt", day.year)
        receipt = self.rows.add(
            Receipt, warehouse=self.agency, year=day.year, sequence=sequence, received_on=day, supplier=SUPPLIER,
            source_document=f"BKKBN/{day.year}/{sequence:04d}", posted_by=self.users["gudang"], posted_at=self.at(day, 13),
        )
        self.post(item, lot, Movement.Kind.RECEIPT, quantity, day, receipt=receipt, party=SUPPLIER,
                  document=receipt.source_document)

    def usable(self, item, day):
        """The item's lots that may be issued on `day`, earliest expiry first."""
        return [lot for lot, expiry in self.lots[item.pk] if expiry >= day and self.balances[lot.pk] >= item.pack_size]

    def issue(self, item, quantity, day, facility, distribution):
        """Take `quantity` out, earliest expiring lots first, a delivery first when stock runs low; the movements."""
        use = MONTHLY_USE[item.method][0] * len(self.facilities) // 2  # about a month of the warehouse's issues
        lots = self.usable(item, day)
        if sum(self.balances[lot.pk] for lot in lots) < quantity + use // 4:
            self.receive(item, day, (use * 3 // item.pack_size + 1) * item.pack_size)
            lots = self.usable(item, day)
        issues, left = [], quantity
        for lot in lots:
            taken = min(left, self.balances[lot.pk] // item.pack_size * item.pack_size)
            issues.append(self.post(
                item, lot, Movement.Kind.ISSUE, -taken, day, facility=facility, party=facility.name,
                document=f"{distribution.sbbk_sequence:04d}/SBBK/{distribution.sbbk_year}", distribution=distribution,
            ))
            left -= taken
            if not left:
                break
        self.received[facility.pk, item.pk, day.replace(day=1)] += quantity
        return issues

    def distribution(self, day, facility, *, status=None):
        """A request of `facility` on `day`, taken through SPMB, SBBK and delivery as far as `status` (default: where
        a distribution of that day waits today, status_for)."""
        rng = self.rng
        requested_at = self.at(day, 8)
        distribution = self.rows.add(
            Distribution, service=self.service, unit=self.regency.units["uptd"], facility=facility,
            status=status or self.status_for(day, facility), created_at=requested_at,
            request_letter=f"{facility.registration_number}/{day:%Y%m%d}",
        )
        use = 0 if facility.kind == Facility.Kind.PUSKESMAS else 1
        lines = []
        for item in self.items_for(facility):
            monthly = MONTHLY_USE[item.method][use]
            requested = max(1, round(monthly * rng.uniform(0.3, 0.6) / item.pack_size)) * item.pack_size
            lines.append(self.rows.add(DistributionLine, distribution=distribution, item=item, requested=requested))
        issues = []
        if distribution.status not in ("spmb", DECLINED):
            distribution.spmb_year, distribution.spmb_sequence = day.year, self.numbers.take("spmb", day.year)
            for line in lines:
                line.approved = line.requested
        if distribution.status not in ("spmb", "packing", DECLINED):
            distribution.sbbk_year, distribution.sbbk_sequence = day.year, self.numbers.take("sbbk", day.year)
            distribution.sbbk_issued_on = day
            for line in lines:
                issues += self.issue(line.item, line.approved, day, facility, distribution)
            if rng.random() < 0.02:  # the faskes sends a pack back
                self.returned(lines[0].item, day, facility)
        self.journey(distribution, issues)
        return distribution

    def status_for(self, day, facility):
        """Where a distribution of `day` waits today: done once its month is reported, or a step of this month."""
        if self.rng.random() < SPMB_REJECTED:
            return DECLINED
        today = timezone.localdate(self.now)
        if day < self.reported_until(facility, today):
            return DONE
        age = sum(1 for n in range((today - day).days) if (day + timedelta(days=n)).weekday() < 5)
        return "delivery" if age < 1 else "monitoring" if age < 3 else "receipt" if age < 5 else "service"

    def reported_until(self, facility, today):
        """The first day of the first month the faskes has not reported: every tenth has not reported last month."""
        this_month = today.replace(day=1)
        return add_months(this_month, -1) if facility.pk % 10 == 0 else this_month

    def journey(self, distribution, issues):
        """The steps it took, a working day or so apart after the SBBK, in the transition log; the monitoring and
        the faskes' confirmations of a distribution still open."""
        rows, users, status = self.rows, self.users, distribution.status
        moment, actor = distribution.created_at, users["uptd"]
        logged(rows, self.content_type, distribution, "start", "", "request", actor, moment)
        reached = DISTRIBUTION_STEPS.index(status) if status in DISTRIBUTION_STEPS else 1
        for index in range(reached):
            source = DISTRIBUTION_STEPS[index]
            moment = min(self.now, moment + timedelta(hours=1) if index < 3 else next_working_day(moment))
            actor = users[DISTRIBUTION_ACTOR.get(source, "uptd")]
            name = "spmb.approve" if source == "spmb" else source
            logged(rows, self.content_type, distribution, name, source, DISTRIBUTION_STEPS[index + 1], actor, moment)
            if source == "delivery":
                distribution.delivered_on = moment.date()
            if source == "monitoring" and status != DONE:
                rows.add(
                    Monitoring, distribution=distribution, mode=Monitoring.Mode.CALL, monitored_on=moment.date(),
                    monitored_by="Petugas UPTD P5A", findings="Alokon diterima dan dicatat.", recorded_by=actor,
                    recorded_at=moment,
                )
            if source == "receipt" and status != DONE:
                for movement in issues:
                    rows.add(
                        ReceiptConfirmation, issue=movement, accepted=-movement.quantity, confirmed_by=actor,
                        confirmed_at=moment,
                    )
        if status == DECLINED:
            moment, actor = moment + timedelta(hours=1), users["sekdis"]
            logged(rows, self.content_type, distribution, "spmb.reject", "spmb", DECLINED, actor, moment,
                   "Stok dialihkan ke faskes lain.")
        distribution.status_changed_at, distribution.status_changed_by = moment, actor
        if status in ("spmb", "packing"):  # the service's 2 days; past them the step's own time (delivery), or none
            distribution.due_at = self.calendar.add_working_days(distribution.created_at, 2)
        elif status == "delivery":
            distribution.due_at = distribution.step_due_at = self.calendar.add_working_days(moment, 3)

    def returned(self, item, day, facility):
        lots = self.usable(item, day)
        if lots:
            self.post(item, lots[0], Movement.Kind.RETURN, item.pack_size, day, facility=facility, party=facility.name,
                      document="Retur")

    def damaged(self, day):
        """Now and then a pack found damaged; one write-off in five was a mistake, and reversed."""
        rng = self.rng
        if rng.random() > 0.15:
            return
        item = rng.choice(self.items)
        lots = self.usable(item, day)
        if not lots:
            return
        written_off = self.post(item, lots[-1], Movement.Kind.ADJUSTMENT, -item.pack_size, day,
                                reason=Movement.Reason.DAMAGED, note="Kemasan rusak")
        if rng.random() < 0.2:
            self.post(item, lots[-1], Movement.Kind.REVERSAL, item.pack_size, day, reverses=written_off, note="Salah catat")

    def month_start(self, day):
        """The first of a month: expired stock written off; the month before last closed in the books."""
        for item in self.items:
            for lot, expiry in self.lots[item.pk]:
                if expiry < day and self.balances[lot.pk] > 0:
                    self.post(item, lot, Movement.Kind.ADJUSTMENT, -self.balances[lot.pk], day,
                              reason=Movement.Reason.EXPIRED, note="Kedaluwarsa")
            self.lots[item.pk] = [(lot, expiry) for lot, expiry in self.lots[item.pk] if self.balances[lot.pk] > 0]
        self.rows.add(
            ClosedPeriod, warehouse=self.agency, month=add_months(day, -2), closed_by=self.users["gudang"],
            closed_at=self.at(day, 10),
        )

    def waiting_requests(self, today):
        """Requests of today still waiting for their SPMB or SBBK: no stock moved yet."""
        for n, status in enumerate(["spmb", "spmb", "packing", "packing"]):
            self.distribution(today, self.facilities[n % len(self.facilities)], status=status)

    def reports(self, first_day, today):
        """Each faskes' monthly reports: what it received (as issued to it), used and held, and its acceptors."""
        rng, rows = self.rng, self.rows
        held = defaultdict(int)
        month = add_months(first_day.replace(day=1), 1)
        while month < today.replace(day=1):
            for facility in self.facilities:
                if month >= self.reported_until(facility, today):
                    continue
                report = rows.add(
                    MonthlyReport, facility=facility, month=month, submitted_by=self.users["uptd"],
                    submitted_at=self.at(add_months(month, 1).replace(day=rng.randrange(2, 15)), 10),
                )
                for item in self.items_for(facility):
                    received = self.received.get((facility.pk, item.pk, month), 0)
                    opening = held[facility.pk, item.pk]
                    used = round((opening + received) * rng.uniform(0.5, 0.9))
                    held[facility.pk, item.pk] = opening + received - used
                    rows.add(
                        ReportStock, report=report, item=item, opening=opening, received=received, used=used,
                        remaining=opening + received - used,
                    )
                for method in (Method.PILL, Method.INJECTABLE, Method.CONDOM):
                    rows.add(ReportService, report=report, method=method, new=rng.randrange(10), repeat=rng.randrange(40))
            month = add_months(month, 1)
            rows.flush()


# The whole province.


def regencies_for(cases):
    return max(1, min(MAX_REGENCIES, cases // CASES_PER_REGENCY))


def seed(*, cases, movements, facilitations, regencies=None, now=None, log=None):
    """Seed a province: `cases`, about `movements` and `facilitations` records spread evenly over its regencies
    (default: one per 1,000 cases, up to 10). Returns the Province. `log`: a function given progress lines."""
    log = log or (lambda line: None)
    now = now or timezone.now()
    regencies = regencies or regencies_for(cases)
    rng = random.Random(SEED)
    first = (Unit.objects.filter(code__startswith="volume-kab-").count()) + 1
    password_hash = make_password(PASSWORD)
    items = items_get()
    masters = {
        "place": list(PlaceType.objects.all()), "relation": list(PerpetratorRelation.objects.all()),
        "violence": list(ViolenceType.objects.all()), "service": {s.code: s for s in ServiceType.objects.all()},
    }
    with transaction.atomic():
        province = Province([regency_create(first + n, password_hash) for n in range(regencies)])
    rows = Rows()
    for n, regency in enumerate(province.regencies):
        start = time.perf_counter()
        share = [total // regencies + (n < total % regencies) for total in (cases, facilitations, movements)]
        CaseSeeder(regency, rows, rng, now, masters).seed(share[0])
        FacilitationSeeder(regency, rows, rng, now).seed(share[1])
        warehouse = Warehouse(regency, rows, rng, now, items)
        if share[2]:
            warehouse.seed(share[2])
        log(f"regency {regency.number:02d}: {share[0]:,} cases, {share[1]:,} facilitations, "
            f"{warehouse.movements:,} movements in {time.perf_counter() - start:.1f} s")
    rows.finish()
    province.counts = {model._meta.label: count for model, count in rows.counts.items()}
    return province


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--movements", type=int, default=1_000_000)
    parser.add_argument("--facilitations", type=int, default=20_000)
    parser.add_argument("--regencies", type=int, default=None, help="default: one per 1,000 cases, up to 10")
    options = parser.parse_args()
    settings.DEBUG = False  # under DEBUG every insert's SQL would be kept in memory
    start = time.perf_counter()
    province = seed(
        cases=options.cases, movements=options.movements, facilitations=options.facilitations,
        regencies=options.regencies, log=lambda line: print(line, file=sys.stderr),
    )
    print(f"Seeded in {time.perf_counter() - start:.1f} s:")
    for label, count in sorted(province.counts.items()):
        print(f"  {label:<32} {count:>10,}")
    print(f"Accounts: <job>.volume-<nn> ({', '.join(job for job, *_rest in ACCOUNTS)}), password {PASSWORD}")


if __name__ == "__main__":
    main()
