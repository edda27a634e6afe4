"""The ALOKON Ciamis demo for load_demo, in demo mode only: the agency's warehouse with the books of the last
few months, its faskes with their accounts and monthly reports, and distributions waiting at every step a
distribution can wait in on the day the demo loads.

The history is paper entered late, as an office starting on the portal would enter it, under the same rules
the pages apply: the province's deliveries (receipts) dated the day they came, each distribution's SBBK
dated the day the stock left and its delivery the day the faskes received it, and the faskes' monthly
reports of those months, the first stating the stock the faskes held, the later ones carrying it on. So the
distributions of past months are done (selesai), the routine plan proposes from the reports' average use,
and the dashboard's months of stock has three whole months of issues to average.

Everything is written through alokon.services by the account whose job the step is. The transition log keeps
the moment each step was entered (the demo's run); documents keep their paper dates. The ledger is entered in the order of its dates, as it would be kept: a back-dated issue
may not take a lot below zero on any later day, so a lot is never issued before the receipt that brought it.
Dates and expiries are relative to the day the demo loads; a second run adds no records.

Names of faskes and people are made up; registration numbers are 3207 (Ciamis), the kecamatan's place in
load_demo's list, and a number of our own: they belong to nobody.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from alokon.models import (
    Distribution,
    Facility,
    FacilityAccount,
    Item,
    Method,
    Monitoring,
    MonthlyReport,
    Movement,
    Receipt,
    ReceiptConfirmation,
    StockBalance,
    month_end,
)
from alokon.services import allocation, dispatch, ledger, usage
from alokon.workflow import REJECTED
from portal.clock import add_months
from portal.management.commands.load_demo import DEMO_PASSWORD
from portal.models import Kecamatan, Membership, Service, Unit
from portal.roles import Role

SERVICE = "alokon-ciamis"
SUPPLIER = "Perwakilan BKKBN Provinsi Jawa Barat"

# The agency's warehouse keeper and its Sekretaris are load_demo's accounts (DEMO_ACCOUNTS). The Kabid KB, a head
# of another Bidang of the Dinas, holds no office of the SOP: she sees the distributions and approves none.
STOREKEEPER = "gudang.dppkbpppa-ciamis"
SECRETARY = "kepala.dppkbpppa-ciamis"
DIVISION_HEAD = ("kabid-kb.dppkbpppa-ciamis", "Dadang Supriatna", "Kepala Bidang Keluarga Berencana")

# The UPTD P5A of a few kecamatan, each with an officer: (kecamatan, officer's name). The one of Kecamatan
# Ciamis and its officer are load_demo's (None). Unit codes and usernames follow load_demo's:
# uptd-p5a-<kecamatan>, petugas.<unit code>.
UPTD = [
    ("Ciamis", None),
    ("Cikoneng", "Yudi Prasetyo"),
    ("Kawali", "Ai Nurjanah"),
    ("Panjalu", "Cecep Rustandi"),
    ("Banjarsari", "Elis Nurhayati"),
]

# (code, method, name, unit of issue, pack size)
ITEMS = [
    ("pil-kombinasi", Method.PILL, "Pil KB Kombinasi", Item.IssueUnit.STRIP, 1),
    ("pil-progestin", Method.PILL, "Pil KB Progestin (ibu menyusui)", Item.IssueUnit.STRIP, 1),
    ("suntik-1-bulan", Method.INJECTABLE, "Suntik KB 1 Bulanan", Item.IssueUnit.VIAL, 1),
    ("suntik-3-bulan", Method.INJECTABLE, "Suntik KB 3 Bulanan", Item.IssueUnit.VIAL, 1),
    ("kondom", Method.CONDOM, "Kondom", Item.IssueUnit.PIECE, 144),
    ("implan", Method.IMPLANT, "Implan 1 Batang", Item.IssueUnit.SET, 1),
    ("iud", Method.IUD, "IUD/AKDR Cu T 380A", Item.IssueUnit.SET, 1),
]
LONG_ACTING = {"implan", "iud"}  # given only by a faskes with an MoU MKJP

P, K, RS, B, D = (
    Facility.Kind.PUSKESMAS, Facility.Kind.CLINIC, Facility.Kind.HOSPITAL, Facility.Kind.MIDWIFE, Facility.Kind.DOCTOR,
)
# The faskes, numbered from 1 in this order (account faskes-<n>.alokon-ciamis):
# (registration number, name, kind, kecamatan, MoU MKJP, the account holder's name).
FACILITIES = [
    ("32070401", "Puskesmas Ciamis", P, "Ciamis", True, "Nunung Nurhasanah"),
    ("32070402", "RSU Permata Galuh", RS, "Ciamis", True, "Wida Widaningsih"),
    ("32070403", "Klinik Pratama Galuh Medika", K, "Ciamis", True, "Sri Mulyani"),
    ("32070404", "PMB Bidan Rika Amalia", B, "Ciamis", False, "Rika Amalia"),
    ("32070801", "Puskesmas Cikoneng", P, "Cikoneng", True, "Tini Kartini"),
    ("32070802", "Klinik Pratama Cikoneng Sehat", K, "Cikoneng", False, "Lia Yulianti"),
    ("32070803", "PMB Bidan Yeti Rohayati", B, "Cikoneng", False, "Yeti Rohayati"),
    ("32070804", "Praktik dr. Gilang Ramdani", D, "Cikoneng", False, "Gilang Ramdani"),
    ("32071301", "Puskesmas Kawali", P, "Kawali", True, "Eneng Susilawati"),
    ("32071302", "Klinik Pratama Kawali Medika", K, "Kawali", False, "Rina Apriani"),
    ("32071303", "PMB Bidan Nia Kurniasih", B, "Kawali", True, "Nia Kurniasih"),
    ("32071304", "PMB Bidan Imas Masitoh", B, "Kawali", False, "Imas Masitoh"),
    ("32071801", "Puskesmas Panjalu", P, "Panjalu", True, "Yayah Rokayah"),
    ("32071802", "Klinik Pratama Situ Lengkong", K, "Panjalu", False, "Asri Handayani"),
    ("32071803", "PMB Bidan Tuti Alawiyah", B, "Panjalu", False, "Tuti Alawiyah"),
    ("32071804", "PMB Bidan Enung Nurhayati", B, "Panjalu", False, "Enung Nurhayati"),
    ("32070201", "Puskesmas Banjarsari", P, "Banjarsari", True, "Neni Rohaeni"),
    ("32070202", "Klinik Pratama Banjarsari Husada", K, "Banjarsari", True, "Dewi Sartika"),
    ("32070203", "PMB Bidan Lina Herlina", B, "Banjarsari", False, "Lina Herlina"),
    ("32070204", "PMB Bidan Ade Komariah", B, "Banjarsari", False, "Ade Komariah"),
]


def faskes_username(number):
    return f"faskes-{number}.{SERVICE}"


@dataclass
class Arrival:
    """One receipt from the province: the month it came (counted back from this one) and its day, its
    document, and (item, lot, months to expiry (negative: expired), quantity) lines. Expiry counts from today,
    so near-expiry lots stay near."""

    months_ago: int
    day: int
    document: str
    lines: list


RECEIPTS = [
    Arrival(4, 21, "0712/SBBK/PW.JB", [
        ("pil-kombinasi", "PK24A117", 20, 3000),
        ("pil-kombinasi", "PK23K052", 4, 2400),  # short-dated: issued first (FEFO)
        ("pil-progestin", "PP24B031", 18, 800),
        ("pil-progestin", "PP23F009", -0.4, 600),  # expired since, some of it still here: quarantined
        ("suntik-1-bulan", "SI24C210", 15, 1000),
        ("suntik-3-bulan", "ST24B388", 22, 4000),
        ("suntik-3-bulan", "ST23J145", 5, 1200),  # short-dated
        ("kondom", "KD24D077", 30, 144 * 50),
        ("implan", "IM24A016", 24, 150),
        ("iud", "CU23L004", 36, 80),
    ]),
    Arrival(3, 18, "0788/SBBK/PW.JB", [
        ("suntik-1-bulan", "SI24F118", 20, 600),
        ("implan", "IM24C044", 26, 100),
        ("iud", "CU24B011", 40, 60),
    ]),
    Arrival(1, 13, "0954/SBBK/PW.JB", [
        ("pil-kombinasi", "PK24E201", 22, 3000),
        ("suntik-3-bulan", "ST24E412", 24, 3000),
        ("kondom", "KD23H019", 3, 144 * 20),  # short-dated
    ]),
]

# Adjustments in the warehouse's own books: (item, lot, quantity, reason, days ago, note).
ADJUSTMENTS = [
    ("kondom", "KD24D077", -288, Movement.Reason.DAMAGED, 10,
     "Dua kotak basah terkena rembesan atap gudang; dipisahkan untuk dimusnahkan."),
    ("suntik-3-bulan", "ST24B388", -3, Movement.Reason.COUNT, 7, "Cek fisik mingguan: kurang 3 vial dari kartu stok."),
    ("pil-kombinasi", "PK24A117", 5, Movement.Reason.COUNT, 7,
     "Cek fisik mingguan: lebih 5 strip dari kartu stok (sisa kardus terbuka)."),
]
# Written in error, then reversed today: (item, lot, quantity, reason, days ago, note, why reversed).
MISTAKE = ("implan", "IM24C044", -2, Movement.Reason.LOST, 4, "Tidak ditemukan saat cek fisik.",
           "Salah catat: 2 set implan ditemukan di lemari terkunci ruang penyimpanan.")

# The history: the HISTORY whole months before this one. A faskes uses about USE units of an item a month (by
# its kind; a long-acting method only with an MoU MKJP), give or take a tenth from month to month, and held
# about OPENING months of it when the portal started (its first report says so). A puskesmas or hospital is
# supplied every month; a clinic or a midwife's or doctor's practice every other month, in the months of its
# group. Each asks, when supplied, for what brings its stock up to one month more than it must last.
HISTORY = 3
USE = {
    P: {"pil-kombinasi": 110, "pil-progestin": 12, "suntik-1-bulan": 25, "suntik-3-bulan": 140, "kondom": 60,
        "implan": 5, "iud": 3},
    RS: {"pil-kombinasi": 40, "pil-progestin": 6, "suntik-1-bulan": 10, "suntik-3-bulan": 50, "kondom": 40,
         "implan": 4, "iud": 4},
    K: {"pil-kombinasi": 45, "pil-progestin": 4, "suntik-1-bulan": 10, "suntik-3-bulan": 55, "kondom": 30,
        "implan": 2, "iud": 1},
    B: {"pil-kombinasi": 25, "pil-progestin": 4, "suntik-1-bulan": 6, "suntik-3-bulan": 35, "kondom": 12,
        "implan": 1, "iud": 1},
    D: {"pil-kombinasi": 10, "suntik-1-bulan": 3, "suntik-3-bulan": 12, "kondom": 20},
}
OPENING = 1
EVERY_MONTH = {P, RS}
# The others' two groups, by faskes number: supplied in the history's first and last months, or its middle one.
ODD_MONTHS, EVEN_MONTHS = {3, 4, 7, 10, 11, 16, 18}, {6, 8, 12, 14, 15, 19, 20}
# Faskes whose requests their UPTD P5A makes (the practice sends its stock card to the UPTD).
UPTD_REQUESTS = {12, 19}


@dataclass
class Demo:
    """One distribution of this month: the faskes (its number in FACILITIES), the lines asked for, and the
    status it waits in; days before today its SBBK is dated and its delivery made (within this month)."""

    facility: int
    lines: tuple[tuple[str, int], ...]
    stop: str
    # "faskes": a request (1a) by its account; "uptd": a request its UPTD P5A made for it; "plan": this month's
    # routine plan (1b), whose lines are the plan's proposal
    origin: str = "faskes"
    approved: dict = field(default_factory=dict)  # item: approved, where less than asked
    refused: dict = field(default_factory=dict)  # item: (units refused at receipt, ReceiptConfirmation.Reason)
    rejection: str = ""  # the SPMB's refusal, for a distribution stopped there
    days: tuple[int, int] = (0, 0)  # (SBBK, delivery) days before today


SHORT, DAMAGED = ReceiptConfirmation.Reason.SHORT, ReceiptConfirmation.Reason.DAMAGED

# The steps a distribution can wait in on the demo's day, in order; REJECTED ends at the SPMB.
STEPS = ["spmb", "packing", "delivery", "monitoring", "receipt", "service"]

DISTRIBUTIONS = [
    Demo(4, (("pil-kombinasi", 60), ("suntik-3-bulan", 40), ("kondom", 144)), "spmb"),
    Demo(14, (("suntik-1-bulan", 50), ("suntik-3-bulan", 80)), "spmb"),
    Demo(2, (("implan", 10), ("iud", 10)), "spmb"),
    Demo(19, (), "spmb", origin="plan"),
    Demo(20, (), "spmb", origin="plan"),
    Demo(9, (("pil-kombinasi", 200), ("suntik-3-bulan", 150), ("implan", 10)), "packing", approved={"implan": 8}),
    Demo(15, (), "packing", origin="plan"),
    Demo(18, (("pil-kombinasi", 80), ("implan", 5)), "packing"),
    Demo(13, (("pil-kombinasi", 150), ("suntik-3-bulan", 120), ("kondom", 288), ("iud", 5)), "delivery",
         days=(1, 0)),
    Demo(7, (("pil-kombinasi", 40), ("suntik-1-bulan", 30)), "delivery", days=(0, 0)),
    Demo(17, (("pil-kombinasi", 250), ("suntik-3-bulan", 200), ("implan", 15)), "monitoring", days=(3, 1)),
    Demo(10, (("suntik-3-bulan", 60), ("kondom", 432)), "monitoring", days=(2, 1)),
    Demo(5, (("pil-kombinasi", 120), ("pil-progestin", 40), ("suntik-3-bulan", 100), ("implan", 10), ("iud", 4)),
         "receipt", days=(6, 4)),
    Demo(12, (("pil-kombinasi", 30), ("suntik-3-bulan", 40)), "receipt", origin="uptd", days=(5, 3)),
    Demo(1, (("pil-kombinasi", 300), ("suntik-1-bulan", 60), ("suntik-3-bulan", 250), ("kondom", 576),
             ("implan", 20), ("iud", 10)), "service", days=(9, 7)),
    Demo(3, (("suntik-3-bulan", 80), ("implan", 6)), "service", refused={"suntik-3-bulan": (4, DAMAGED)},
         days=(8, 6)),
    Demo(11, (("pil-kombinasi", 50), ("kondom", 144)), "service", refused={"pil-kombinasi": (5, SHORT)},
         days=(7, 5)),
    Demo(16, (("suntik-3-bulan", 300),), REJECTED,
         rejection="Jumlah melebihi kebutuhan: PMB ini melayani sekitar 25 peserta suntik per bulan. "
                   "Ajukan kembali sesuai kebutuhan tiga bulan."),
]

# The faskes that have not sent last month's report yet (their numbers in FACILITIES); what was delivered to
# them last month waits for it (service).
NOT_REPORTED = {4, 8, 12, 16}
# The routine plans' stock targets, in months of average use.
PLAN_MIN, PLAN_MAX = Decimal("1.5"), Decimal(3)
# Acceptors a month, by kind of faskes: the size the services figures scale with.
SCALE = {P: 10, RS: 5, K: 4, B: 3, D: 1}
COORDINATION = [
    "Pertemuan bulanan di UPTD P5A Kecamatan {kecamatan}: data peserta KB dicocokkan, tidak ada kendala.",
    "Koordinasi dengan UPTD P5A Kecamatan {kecamatan} lewat telepon; jadwal pelayanan KB keliling disepakati.",
    "Bidan koordinator UPTD P5A Kecamatan {kecamatan} memeriksa kartu stok; pencatatan sesuai.",
]


def load(stdout):
    if not settings.DEMO_MODE:
        return
    service = Service.objects.select_related("unit").get(slug=SERVICE)
    run = DemoRun(service, stdout)
    run.accounts()
    run.master_data()
    if Receipt.objects.filter(warehouse=service.unit).exists():
        return  # the warehouse has books already: a second run adds no records
    with transaction.atomic():  # all the books or none: a failed load leaves nothing a second run would skip
        run.records()
    done = Distribution.objects.filter(service=service, status="selesai").count()
    stdout.write(
        f"{len(ITEMS)} barang alokon, {len(FACILITIES)} faskes, "
        f"{Distribution.objects.filter(service=service).count()} penyaluran ALOKON demo dimuat ({done} selesai), "
        f"{MonthlyReport.objects.filter(facility__unit=service.unit).count()} laporan bulanan faskes, "
        f"{HISTORY} bulan riwayat."
    )


class DemoRun:
    def __init__(self, service, stdout):
        self.service, self.warehouse, self.stdout = service, service.unit, stdout
        self.today = timezone.localdate()
        self.this_month = self.today.replace(day=1)
        self.months = [add_months(self.this_month, index - HISTORY) for index in range(HISTORY)]
        self._password = None

    # Accounts, units and master data, on every run: created when missing; items and faskes brought up to date.

    def accounts(self):
        users = get_user_model().objects.in_bulk([STOREKEEPER, SECRETARY], field_name="username")
        self.storekeeper, self.secretary = users[STOREKEEPER], users[SECRETARY]
        self.stdout.write(
            f"\nAkun demo ALOKON (kata sandi semua akun: {DEMO_PASSWORD}); pengelola gudang {STOREKEEPER}, "
            f"Sekretaris {SECRETARY}, petugas UPTD P5A Ciamis petugas.uptd-p5a-ciamis:"
        )
        username, name, title = DIVISION_HEAD
        self.member(self.warehouse, Role.HEAD, username, name, title)
        self.kecamatan = {k.name: k for k in Kecamatan.objects.filter(regency=self.warehouse.parent)}
        self.uptd, self.officers = {}, {}
        for kecamatan, name in UPTD:
            code = f"uptd-p5a-{kecamatan.lower()}"
            if name is None:
                self.uptd[kecamatan] = unit = Unit.objects.get(code=code)
                self.officers[unit.pk] = get_user_model().objects.get(username=f"petugas.{code}")
                continue
            unit, _created = Unit.objects.get_or_create(
                code=code,
                defaults=dict(
                    name=f"UPTD P5A Kecamatan {kecamatan}", short_name=f"UPTD P5A {kecamatan}",
                    kind=Unit.Kind.TECHNICAL_UNIT, parent=self.warehouse,
                ),
            )
            self.uptd[kecamatan] = unit
            title = f"Petugas UPTD P5A {kecamatan}"
            self.officers[unit.pk] = self.member(unit, Role.OFFICER, f"petugas.{code}", name, title)

    def member(self, unit, role, username, name, title):
        user = self.user(username, name)
        Membership.objects.get_or_create(
            user=user, unit=unit, role=Group.objects.get(name=role), defaults={"title": title}
        )
        self.stdout.write(f"  {username:<32} {role:<17} {title}")
        return user

    def user(self, username, name):
        first_name, last_name = name.split(" ", 1)
        user, created = get_user_model().objects.update_or_create(
            username=username, defaults=dict(first_name=first_name, last_name=last_name)
        )
        if created:
            # One hash for every new demo account: they share the printed password, and hashing costs.
            self._password = self._password or make_password(DEMO_PASSWORD)
            user.password = self._password
            user.save(update_fields=["password"])
        return user

    def master_data(self):
        self.items = {}
        for code, method, name, unit, pack in ITEMS:
            self.items[code], _created = Item.objects.update_or_create(
                code=code, defaults=dict(method=method, name=name, unit_of_issue=unit, pack_size=pack)
            )
        self.facilities, self.faskes = {}, {}
        for number, (registration, name, kind, kecamatan, mkjp, holder) in enumerate(FACILITIES, start=1):
            facility, _created = Facility.objects.update_or_create(
                registration_number=registration,
                defaults=dict(
                    unit=self.warehouse, name=name, kind=kind, kecamatan=self.kecamatan[kecamatan],
                    uptd=self.uptd[kecamatan], mkjp_mou=mkjp,
                ),
            )
            user = self.user(faskes_username(number), holder)
            FacilityAccount.objects.update_or_create(user=user, defaults={"facility": facility})
            self.facilities[number], self.faskes[number] = facility, user
            self.stdout.write(f"  {user.username:<32} {Role.FASKES:<17} {name}")

    # The records: once, on a warehouse with no books yet.

    def records(self):
        """Everything, in the order of its dates: the ledger refuses an issue before the receipt of its lot.

        Steps that write no movement (requests, SPMBs, reports, plans) are entered where their month needs
        them: a month's reports after its deliveries, this month's plan after last month's reports.
        """
        self.held = {}  # (faskes number, item code): units at the faskes, as its reports say
        events = []  # (date, order, what)
        for arrival in RECEIPTS:
            events.append((self.arrival_date(arrival), 0, lambda a=arrival: self.receive(a)))
        for adjustment in [*ADJUSTMENTS, MISTAKE[:6]]:
            events.append((self.today - timedelta(days=adjustment[4]), 1, lambda a=adjustment: self.adjust(*a)))
        for index, month in enumerate(self.months):
            for number in range(1, len(FACILITIES) + 1):
                if self.supplied(number, index):
                    issued_on = month.replace(day=2 + (number * 7 + index * 5) % 22)
                    events.append((issued_on, 2, lambda n=number, i=index, d=issued_on: self.supply(n, i, d)))
            events.append((month_end(month) + timedelta(days=1), -1, lambda i=index: self.report(i)))
        events.append((self.this_month, 0, self.plan_this_month))  # after last month's reports
        for spec in DISTRIBUTIONS:
            events.append((self.day(spec.days[0]), 2, lambda s=spec: self.current(s)))
        events.append((self.today, 3, self.reverse_mistake))
        for _on, _order, what in sorted(events, key=lambda event: event[:2]):
            what()
        allocation.plan_propose(
            service=self.service, actor=self.storekeeper, month=add_months(self.this_month, 1),
            facilities=list(self.facilities.values()), items=list(self.items.values()),
            min_months=PLAN_MIN, max_months=PLAN_MAX,
        )
        self.count_today()

    def count_today(self):
        """Today's stock opname, counted and submitted: one lot two units short, waiting for a head's approval. Not
        left open: an open count freezes the warehouse, and the demo's SBBKs wait to be issued."""
        count = ledger.count_start(warehouse=self.warehouse, actor=self.storekeeper, on=self.today)
        books = dict(StockBalance.objects.filter(warehouse=self.warehouse).values_list("lot_id", "quantity"))
        counted = {line.pk: books[line.lot_id] for line in count.lines.order_by("lot_id")}
        short = next(pk for pk, units in counted.items() if units >= 2)
        counted[short] -= 2
        ledger.count_submit(count, actor=self.storekeeper, counted=counted)

    def day(self, days_ago):
        """`days_ago` days before today, but not before this month began."""
        return max(self.today - timedelta(days=days_ago), self.this_month)

    def arrival_date(self, arrival):
        return add_months(self.this_month, -arrival.months_ago).replace(day=arrival.day)

    def receive(self, arrival):
        received_on = self.arrival_date(arrival)
        ledger.receipt_post(
            warehouse=self.warehouse, actor=self.storekeeper, received_on=received_on,
            source_document=f"{arrival.document}/{received_on.year}", supplier=SUPPLIER,
            funding=Receipt.Funding.APBN,
            lines=[
                {
                    "item": self.items[item], "lot_number": lot, "quantity": quantity,
                    "expiry_date": self.today + timedelta(days=round(months * 30.5)),
                }
                for item, lot, months, quantity in arrival.lines
            ],
        )

    def lot(self, item, number):
        return self.items[item].lots.get(number=number)

    def adjust(self, item, lot, quantity, reason, days_ago, note):
        ledger.adjustment_post(
            warehouse=self.warehouse, actor=self.storekeeper, lot=self.lot(item, lot), quantity=quantity,
            reason=reason, on=self.today - timedelta(days=days_ago), note=note,
        )

    def reverse_mistake(self):
        item, lot, _quantity, reason, _days_ago, note, why = MISTAKE
        movement = Movement.objects.get(
            lot=self.lot(item, lot), kind=Movement.Kind.ADJUSTMENT, reason=reason, note=note
        )
        ledger.movement_reverse(movement, actor=self.storekeeper, note=why)

    # The history's faskes: what each uses, when it is supplied, what it asks for.

    def use(self, number, code, index=None):
        """Units of `code` the faskes uses a month: on average, or in the history's month `index`."""
        _registration, _name, kind, _kecamatan, mkjp, _holder = FACILITIES[number - 1]
        base = USE[kind].get(code, 0) if mkjp or code not in LONG_ACTING else 0
        if index is None:
            return base
        position = [item[0] for item in ITEMS].index(code)
        return round(base * (9 + (number + index + position) % 3) / 10)

    def supplied(self, number, index):
        if FACILITIES[number - 1][2] in EVERY_MONTH:
            return True
        return number in (EVEN_MONTHS if index % 2 else ODD_MONTHS)

    def held_now(self, number, code):
        return self.held.get((number, code), OPENING * self.use(number, code))

    def wanted(self, number, index):
        """What the faskes asks for in the history's month `index`: enough to last until it is supplied next,
        and a month more, in whole packs."""
        months = 1 if FACILITIES[number - 1][2] in EVERY_MONTH else 2
        lines = []
        for code, _method, _name, _unit, pack in ITEMS:
            average = self.use(number, code)
            needed = (months + 1) * average - self.held_now(number, code)
            if average and needed * 2 >= average:
                lines.append((code, math.ceil(needed / pack) * pack))
        return lines

    def supply(self, number, index, issued_on):
        """A distribution of the history's month `index`: asked, approved, issued on `issued_on`, delivered a day
        or three later, monitored and confirmed received in full. The month's report then completes it."""
        month = self.months[index]
        origin = "uptd" if number in UPTD_REQUESTS else "faskes"
        spec = Demo(number, tuple(self.wanted(number, index)), "service", origin=origin)
        if not spec.lines:
            return  # it holds enough of everything: it asks for nothing this month
        distribution = self.request(spec, letter=f"440/{number:02d}{month:%m}/KB/{month.year}")
        delivered_on = issued_on + timedelta(days=1 + number % 3)
        monitoring = Monitoring(
            mode=Monitoring.Mode.VISIT, monitored_on=min(delivered_on + timedelta(days=2), self.today),
            findings=f"Arsip SBBK diterima; pencatatan dan pelaporan alokon di {self.facilities[number].name} "
                     "dibina; kartu stok sesuai.",
        )
        self.walk(distribution, spec, issued_on=issued_on, delivered_on=delivered_on, monitoring=monitoring)

    def report(self, index):
        """The faskes' reports of the history's month `index` (last month's from all but NOT_REPORTED): what
        each used of what it held and received, and its services by method. A faskes' first report states the
        stock it held when the month began."""
        month, last = self.months[index], index == HISTORY - 1
        for number, (_registration, _name, kind, kecamatan, mkjp, _holder) in enumerate(FACILITIES, start=1):
            if last and number in NOT_REPORTED:
                continue
            facility = self.facilities[number]
            rows, first = usage.report_prefill(facility, month)
            opening = {row["item"].pk: self.held_now(number, row["item"].code) for row in rows} if first else None
            used = {}
            for row in rows:
                code = row["item"].code
                available = (opening[row["item"].pk] if first else row["opening"]) + row["received"]
                used[row["item"].pk] = min(self.use(number, code, index), available)
                self.held[(number, code)] = available - used[row["item"].pk]
            scale, i = SCALE[kind], number + index
            counts = {
                Method.PILL: (scale + i % 3, scale * 6 + i % 5, i % 2),
                Method.INJECTABLE: (scale * 2 + i % 4, scale * 9 + i % 7, 1 + i % 2),
                Method.CONDOM: (scale // 2 + i % 2, scale * 2 + i % 3, 0),
            }
            if mkjp:
                counts[Method.IMPLANT] = (scale // 2 + 1, 0, i % 2)
                counts[Method.IUD] = (scale // 3 + 1, i % 2, 0)
            usage.report_submit(
                facility=facility, month=month, actor=self.faskes[number], used=used, services=counts,
                coordination_note=COORDINATION[i % len(COORDINATION)].format(kecamatan=kecamatan),
                opening=opening,
            )

    # This month.

    def plan_this_month(self):
        """The storekeeper's routine plan (1b) for this month, for the practices of the plan's DISTRIBUTIONS:
        proposed from their reports' average use and sent to the SPMB as proposed."""
        numbers = [spec.facility for spec in DISTRIBUTIONS if spec.origin == "plan"]
        plan = allocation.plan_propose(
            service=self.service, actor=self.storekeeper, month=self.this_month,
            facilities=[self.facilities[number] for number in numbers], items=list(self.items.values()),
            min_months=PLAN_MIN, max_months=PLAN_MAX,
        )
        distributions = allocation.plan_submit(plan, actor=self.storekeeper, quantities={})
        by_facility = {distribution.facility_id: distribution for distribution in distributions}
        self.planned = {number: by_facility[self.facilities[number].pk] for number in numbers}

    def current(self, spec):
        distribution = self.planned[spec.facility] if spec.origin == "plan" else self.request(spec)
        sbbk, delivery = spec.days
        monitoring = Monitoring(
            mode=Monitoring.Mode.CALL, monitored_on=self.day(delivery), findings="Arsip SBBK diterima.",
            follow_up=f"Kunjungan pembinaan pencatatan dan pelaporan alokon di {self.facilities[spec.facility].name} "
                      "pekan ini.",
        )
        self.walk(distribution, spec, issued_on=self.day(sbbk), delivered_on=self.day(delivery), monitoring=monitoring)

    def request(self, spec, letter=None):
        facility = self.facilities[spec.facility]
        actor = self.faskes[spec.facility] if spec.origin == "faskes" else self.officers[facility.uptd_id]
        return allocation.request_create(
            service=self.service, facility=facility, actor=actor,
            lines=[(self.items[code], quantity) for code, quantity in spec.lines],
            request_letter=letter or f"440/{100 + spec.facility}/KB/{self.today.year}",
        )

    def walk(self, distribution, spec, *, issued_on, delivered_on, monitoring):
        """Take the distribution from the SPMB through the real steps until it waits in `spec.stop`. `monitoring`:
        the UPTD P5A's record of step 5, unsaved (its mode, date, findings and follow-up)."""
        if spec.stop == "spmb":
            return
        if spec.stop == REJECTED:
            allocation.spmb_reject(distribution, actor=self.secretary, expected_status="spmb", reason=spec.rejection)
            return
        lines = distribution.lines.select_related("item")
        approved = {line.pk: spec.approved.get(line.item.code, line.requested) for line in lines}
        distribution = allocation.spmb_approve(
            distribution, actor=self.secretary, expected_status="spmb", approved=approved
        )
        if spec.stop == "packing":
            return
        distribution = dispatch.sbbk_issue(
            distribution, actor=self.storekeeper, expected_status="packing", issued_on=issued_on
        )
        if spec.stop == "delivery":
            return
        distribution = dispatch.delivery_record(
            distribution, actor=self.storekeeper, expected_status="delivery", delivered_on=delivered_on
        )
        if spec.stop == "monitoring":
            return
        officer = self.officers[distribution.unit_id]
        distribution = usage.monitoring_record(
            distribution, actor=officer, expected_status="monitoring", mode=monitoring.mode,
            monitored_on=monitoring.monitored_on, monitored_by=officer.get_full_name(),
            findings=monitoring.findings.replace("Arsip SBBK", f"Arsip SBBK {distribution.sbbk_number}"),
            follow_up=monitoring.follow_up,
        )
        if spec.stop == "receipt":
            return
        confirmations, refused = {}, dict(spec.refused)
        for issue in distribution.movements.filter(kind=Movement.Kind.ISSUE).select_related("item").order_by("pk"):
            shipped = -issue.quantity
            rejected, reason = refused.pop(issue.item.code, (0, ""))
            confirmations[issue.pk] = (shipped - rejected, rejected, reason)
        dispatch.receipt_confirm(
            distribution, actor=self.faskes[spec.facility], expected_status="receipt", confirmations=confirmations
        )
