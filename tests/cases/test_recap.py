"""The monthly recap: counts of the cases received in a month, suppressed below 5, alike on the page, PDF and XLSX."""

import itertools
from datetime import datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cases import services
from cases.models import (
    AccessLog,
    Case,
    Perpetrator,
    PerpetratorRelation,
    PlaceType,
    Referral,
    Reporter,
    ServiceType,
    Victim,
    ViolenceType,
)
from cases.recap import HIDDEN_FOR_TOTAL, SUPPRESSED, month_counts, monthly_recap, parse_month, suppress
from portal.models import Kecamatan, Service, ServiceHours, Sex, Unit
from portal.roles import Office, Role
from portal.services import transition_fire

WIB = ZoneInfo("Asia/Jakarta")
MONTH = "2025-03"
IN_MONTH = datetime(2025, 3, 14, 10, tzinfo=WIB)
NAMES = ["Siti Rahmawati", "Dewi Lestari", "Ayu Kartika", "Rina Marlina", "Budi Santoso", "Nur Aisyah", "Lilis Suryani"]


@pytest.fixture
def recap_service(agency):
    return Service.objects.create(slug="p2tp2a", name="Pelayanan P2TP2A", unit=agency, app="cases")


@pytest.fixture
def recorder(agency, make_user):
    return make_user(agency, Role.OFFICER)


@pytest.fixture
def kecamatan(government):
    return {name: Kecamatan.objects.create(regency=government, name=name) for name in ("Ciamis", "Cikoneng", "Panjalu", "Sukadana")}


def report(service, actor, *, name, sex=Sex.FEMALE, age=10, types=("fisik",), place="rumah_tangga", kecamatan=None,
           relations=("orang_tua",), at=IN_MONTH):
    """A case recorded through cases.services, then dated `at` (the recap counts by the day a case was received)."""
    case = services.case_create(
        service=service,
        actor=actor,
        case=Case(
            channel=Case.Channel.IN_PERSON, kecamatan=kecamatan,
            place_type=PlaceType.objects.get(code=place) if place else None,
        ),
        victim=Victim(name=name, sex=sex, age=age),
        reporter=Reporter(is_anonymous=True),
        perpetrators=[Perpetrator(relation=PerpetratorRelation.objects.get(code=code)) for code in relations],
        violence_types=list(ViolenceType.objects.filter(code__in=types)),
        chronology=f"{name} melapor.",
    )
    Case.objects.filter(pk=case.pk).update(created_at=at)
    return case


def refer(case, actor, code, *, void_reason=""):
    return Referral.objects.create(
        case=case, step="medical", service_type=ServiceType.objects.get(code=code), referred_on=IN_MONTH.date(),
        created_by=actor, void_reason=void_reason,
    )


def counted(cases, *, kecamatan=Kecamatan.objects.none()):
    """{caption: {label: count}} and the total, for March 2025."""
    total, tables = month_counts(cases, 2025, 3, kecamatan=kecamatan)
    return total, {table.caption: dict(table.rows) for table in tables}


def printed(recap):
    return {table.caption: dict(table.rows) for table in recap.tables}


# Counting.


def test_the_cases_of_the_month_are_counted_by_each_category(recap_service, recorder, kecamatan):
    first = report(
        recap_service, recorder, name=NAMES[0], age=10, types=("fisik", "seksual"), kecamatan=kecamatan["Ciamis"],
        relations=("orang_tua", "tetangga"),
    )
    report(
        recap_service, recorder, name=NAMES[1], age=15, types=("seksual",), place="sekolah", kecamatan=kecamatan["Ciamis"],
        relations=("guru", "guru"),
    )
    third = report(recap_service, recorder, name=NAMES[2], sex=Sex.MALE, age=30, types=("psikis",), place=None, relations=())
    report(recap_service, recorder, name=NAMES[3], sex="", age=None, types=(), kecamatan=kecamatan["Cikoneng"])
    refer(first, recorder, "kesehatan")
    refer(first, recorder, "kesehatan")
    refer(first, recorder, "bantuan_hukum", void_reason="Salah input")
    refer(third, recorder, "rehabilitasi_sosial")

    total, tables = counted(Case.objects.all(), kecamatan=Kecamatan.objects.all())

    assert total == 4
    assert tables["Jenis kekerasan"] == {
        "Fisik": 1, "Psikis": 1, "Seksual": 2, "Eksploitasi": 0, "Trafficking (TPPO)": 0, "Penelantaran": 0,
        "Lainnya": 0, "Belum diisi": 1,
    }
    assert tables["Jenis kelamin korban"] == {"Laki-laki": 1, "Perempuan": 2, "Belum diisi": 1}
    assert tables["Kelompok umur korban"] == {
        "0-5": 0, "6-12": 1, "13-17": 1, "18-24": 0, "25-44": 1, "45-59": 0, "60+": 0, "Belum diisi": 1,
    }
    assert tables["Kecamatan tempat kejadian"] == {"Ciamis": 2, "Cikoneng": 1, "Panjalu": 0, "Sukadana": 0, "Belum diisi": 1}
    assert tables["Tempat kejadian"] == {
        "Rumah tangga": 2, "Tempat kerja": 0, "Sekolah": 1, "Fasilitas umum": 0, "Daring (online)": 0,
        "Lainnya": 0, "Belum diisi": 1,
    }
    # Per case: two perpetrators who are both teachers count one case.
    relations = tables["Hubungan pelaku dengan korban"]
    assert (relations["Orang tua"], relations["Tetangga"], relations["Guru"], relations["Belum diisi"]) == (2, 1, 1, 1)
    assert sum(relations.values()) == 5
    # Pengaduan for every case; a voided referral gives no service; two referrals of one kind count one case.
    assert tables["Layanan yang diterima korban"] == {
        "Pengaduan": 4, "Kesehatan": 1, "Bantuan hukum": 0, "Penegakan hukum": 0, "Rehabilitasi sosial": 1,
        "Reintegrasi sosial": 0, "Pemulangan": 0, "Pendampingan tokoh agama": 0,
    }


def test_an_entry_no_longer_active_shows_only_while_a_case_of_the_month_names_it(recap_service, recorder):
    report(recap_service, recorder, name=NAMES[0], types=("trafficking",))
    ViolenceType.objects.filter(code__in=["trafficking", "eksploitasi"]).update(is_active=False)

    _total, tables = counted(Case.objects.all())

    assert tables["Jenis kekerasan"]["Trafficking (TPPO)"] == 1
    assert "Eksploitasi" not in tables["Jenis kekerasan"]


def test_a_voided_case_is_not_counted(recap_service, recorder, agency, make_user):
    head = make_user(agency, Role.HEAD, office=Office.CHAIR)  # the Ketua of the P2TP2A this service runs in
    voided = report(recap_service, recorder, name=NAMES[0])
    report(recap_service, recorder, name=NAMES[1])
    transition_fire(voided, name="void.report", actor=head, expected_status="report", note="Salah input")

    total, tables = counted(Case.objects.all())

    assert total == 1
    assert tables["Jenis kelamin korban"]["Perempuan"] == 1


def test_only_the_cases_received_in_the_month_in_local_time_are_counted(recap_service, recorder):
    # 1 March 00.30 WIB is still February in UTC; 1 April 00.30 WIB is still March in UTC.
    report(recap_service, recorder, name=NAMES[0], at=datetime(2025, 3, 1, 0, 30, tzinfo=WIB))
    report(recap_service, recorder, name=NAMES[1], at=datetime(2025, 3, 31, 23, 59, tzinfo=WIB))
    report(recap_service, recorder, name=NAMES[2], at=datetime(2025, 2, 28, 23, 59, tzinfo=WIB))
    report(recap_service, recorder, name=NAMES[3], at=datetime(2025, 4, 1, 0, 30, tzinfo=WIB))

    total, _tables = counted(Case.objects.all())

    assert total == 2


def test_another_units_cases_are_not_counted(recap_service, recorder, government, make_user):
    other_agency = Unit.objects.create(code="dinas-lain", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=government)
    ServiceHours.objects.create(unit=other_agency, weekday=ServiceHours.Weekday.MONDAY, opens=time(8), closes=time(14))
    other_service = Service.objects.create(slug="p2tp2a-lain", name="P2TP2A lain", unit=other_agency, app="cases")
    other_officer = make_user(other_agency, Role.OFFICER)
    report(recap_service, recorder, name=NAMES[0])
    report(other_service, other_officer, name=NAMES[1])
    report(other_service, other_officer, name=NAMES[2])

    total, _tables = counted(Case.objects.visible_to(recorder))

    assert total == 1


# Suppression.


def test_a_count_from_1_to_4_is_printed_under_5_and_0_stays_0():
    assert suppress([0, 1, 4, 5, 12], total_printed=False) == [0, SUPPRESSED, SUPPRESSED, 5, 12]


def test_a_lone_suppressed_count_beside_a_printed_total_hides_the_next_smallest_too():
    # 3 would follow from the total (25) minus 9 and 13: so 9 goes too, and 3 and 9 only sum to 12. 9 is no
    # count under 5: it is marked "*", not "<5".
    assert suppress([13, 0, 3, 9], total_printed=True) == [13, 0, SUPPRESSED, HIDDEN_FOR_TOTAL]
    # Of equal counts, the first.
    assert suppress([6, 2, 6], total_printed=True) == [HIDDEN_FOR_TOTAL, SUPPRESSED, 6]
    # Two hidden already: neither follows from the total.
    assert suppress([13, 2, 3, 9], total_printed=True) == [13, SUPPRESSED, SUPPRESSED, 9]
    # No total printed, nothing to subtract from.
    assert suppress([13, 0, 3, 9], total_printed=False) == [13, 0, SUPPRESSED, 9]


@pytest.mark.parametrize(
    "counts, printed",
    [
        # A "<5" and a "*" summing to 6 are 1 and 5: the next smallest goes too.
        ([1, 5, 7, 20], [SUPPRESSED, HIDDEN_FOR_TOTAL, HIDDEN_FOR_TOTAL, 20]),
        # Summing to 7, the "<5" is 1 or 2: enough doubt.
        ([2, 5, 20], [SUPPRESSED, HIDDEN_FOR_TOTAL, 20]),
        # Two "<5" summing to 2 are both 1, to 8 both 4: a "*" beside them.
        ([1, 1, 9, 20], [SUPPRESSED, SUPPRESSED, HIDDEN_FOR_TOTAL, 20]),
        ([4, 4, 9, 20], [SUPPRESSED, SUPPRESSED, HIDDEN_FOR_TOTAL, 20]),
        # Two "<5" summing to 5 may be 1 and 4, 2 and 3: left as they are.
        ([2, 3, 9, 20], [SUPPRESSED, SUPPRESSED, 9, 20]),
    ],
)
def test_no_hidden_count_follows_from_the_total_and_the_rule(counts, printed):
    assert suppress(counts, total_printed=True) == printed
    # Brute force: every way of filling the hidden cells that prints the same leaves each "<5" more than one value.
    hidden = [i for i, value in enumerate(printed) if value in (SUPPRESSED, HIDDEN_FOR_TOTAL)]
    total = sum(counts[i] for i in hidden)
    ranges = [range(1, 5) if printed[i] == SUPPRESSED else range(5, total + 1) for i in hidden]
    fillings = [f for f in itertools.product(*ranges) if sum(f) == total]
    for position, i in enumerate(hidden):
        if printed[i] == SUPPRESSED:
            assert len({filling[position] for filling in fillings}) > 1, (counts, i)


def test_the_recap_suppresses_its_tables_and_total(recap_service, recorder):
    for name in NAMES[:6]:
        report(recap_service, recorder, name=name, types=("fisik", "psikis"))
    report(recap_service, recorder, name=NAMES[6], sex=Sex.MALE, types=("fisik",))

    recap = monthly_recap(Case.objects.all(), 2025, 3, kecamatan=Kecamatan.objects.none())
    tables = printed(recap)

    assert recap.total == 7
    # 1 boy: the 6 girls would give him away from the total of 7, so they are hidden as well.
    assert tables["Jenis kelamin korban"] == {"Laki-laki": SUPPRESSED, "Perempuan": HIDDEN_FOR_TOTAL, "Belum diisi": 0}
    assert next(t for t in recap.tables if t.caption == "Jenis kelamin korban").total == 7
    # Rows that may share a case have no total, so a lone small count stands alone.
    assert tables["Jenis kekerasan"]["Fisik"] == 7
    assert tables["Jenis kekerasan"]["Psikis"] == 6
    assert next(t for t in recap.tables if t.caption == "Jenis kekerasan").total is None


def test_a_large_count_hidden_for_the_total_is_marked_and_explained_under_its_table(recap_service, recorder):
    # The finding: "Laki-laki <5 · Perempuan <5 · Jumlah 22" read as fewer than five women.
    for number in range(18):
        report(recap_service, recorder, name=f"Korban {number}")
    for number in range(4):
        report(recap_service, recorder, name=f"Korban laki-laki {number}", sex=Sex.MALE)

    recap = monthly_recap(Case.objects.all(), 2025, 3, kecamatan=Kecamatan.objects.none())

    sexes = next(t for t in recap.tables if t.caption == "Jenis kelamin korban")
    assert dict(sexes.rows) == {"Laki-laki": "<5", "Perempuan": "*", "Belum diisi": 0}
    assert sexes.total == 22
    assert sexes.footnote == "* disembunyikan agar angka <5 di tabel ini tidak dapat dihitung dari jumlahnya."
    ages = next(t for t in recap.tables if t.caption == "Kelompok umur korban")
    assert dict(ages.rows)["6-12"] == 22 and ages.footnote == ""  # nothing hidden, nothing to explain


def test_a_total_under_5_is_suppressed(recap_service, recorder):
    report(recap_service, recorder, name=NAMES[0])

    recap = monthly_recap(Case.objects.all(), 2025, 3, kecamatan=Kecamatan.objects.none())

    assert recap.total == SUPPRESSED
    assert next(t for t in recap.tables if t.caption == "Jenis kelamin korban").total == SUPPRESSED


def test_the_number_of_queries_does_not_grow_with_the_cases(client, recap_service, recorder, kecamatan):
    def add(names):
        for index, name in enumerate(names):
            case = report(
                recap_service, recorder, name=name, kecamatan=list(kecamatan.values())[index % 3],
                relations=("orang_tua", "keluarga")[: index % 3],
            )
            refer(case, recorder, "kesehatan")

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("cases:recap"), {"bulan": MONTH}).status_code == 200
        return len(context.captured_queries)

    client.force_login(recorder)
    client.get(reverse("cases:recap"))  # the first request after logging in saves the session
    add([f"Korban {n}" for n in range(3)])
    with_3 = queries()
    add([f"Korban {n}" for n in range(3, 30)])

    assert queries() == with_3


# Months.


def test_a_month_is_read_from_yyyy_mm_up_to_this_month():
    today = datetime(2026, 11, 28).date()
    assert parse_month("2026-11", today) == (2026, 11)
    assert parse_month("2000-01", today) == (2000, 1)
    assert parse_month("", today) == (2026, 11)
    for value in ["2026-12", "1999-12", "2026-13", "2026-00", "2026-1", "11-2026", "2026-11-01", "０２０２-11"]:
        with pytest.raises(ValueError):
            parse_month(value, today)


# The pages and files.


@pytest.fixture
def month_of_cases(recap_service, recorder, kecamatan):
    """Six girls and one boy in March 2025: the boy's count is under 5, and so hides the girls' too.

    Five of them in Ciamis, one in Sukadana and one in Cikoneng: the two counts under 5 would sum to 2 beside the
    total, which makes each 1, so Ciamis is hidden too.
    """
    for name in NAMES[:5]:
        report(recap_service, recorder, name=name, kecamatan=kecamatan["Ciamis"])
    report(recap_service, recorder, name=NAMES[5], kecamatan=kecamatan["Sukadana"])
    report(recap_service, recorder, name="Andi Pratama", sex=Sex.MALE, kecamatan=kecamatan["Cikoneng"])
    return [*NAMES[:6], "Andi Pratama"]


def test_the_page_shows_the_suppressed_tables_and_no_name(client, recorder, month_of_cases):
    client.force_login(recorder)

    response = client.get(reverse("cases:recap"), {"bulan": MONTH})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Maret 2025" in html
    assert '<th scope="row" class="fw-normal">Laki-laki</th><td class="text-end">&lt;5</td>' in html
    assert '<th scope="row" class="fw-normal">Ciamis</th><td class="text-end">*</td>' in html
    assert '<th scope="row" class="fw-normal">Panjalu</th><td class="text-end">0</td>' in html
    assert html.count("<caption") == len(response.context["recap"].tables)
    assert "&lt;5: kurang dari 5" in html
    assert '<th scope="row" class="fw-normal">Perempuan</th><td class="text-end">*</td>' in html
    # Under each table with a "*": the sexes' and the kecamatan's.
    assert html.count("* disembunyikan agar angka &lt;5 di tabel ini tidak dapat dihitung dari jumlahnya.") == 2
    assert f'href="{reverse("cases:recap_pdf")}?bulan={MONTH}"' in html
    for name in month_of_cases:
        assert name not in html
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_a_malformed_month_shows_an_error_and_this_months_recap(client, recorder, recap_service):
    client.force_login(recorder)

    response = client.get(reverse("cases:recap"), {"bulan": "Maret"})

    assert response.status_code == 200
    assert "Bulan “Maret” tidak dikenali" in response.content.decode()
    today = datetime.now(WIB).date()
    assert (response.context["recap"].year, response.context["recap"].month) == (today.year, today.month)


@pytest.mark.parametrize("name", ["cases:recap_pdf", "cases:recap_xlsx"])
def test_an_export_of_a_malformed_month_is_refused(client, recorder, recap_service, name):
    client.force_login(recorder)

    response = client.get(reverse(name), {"bulan": "2025-3"})

    assert response.status_code == 400
    assert "tidak dikenali" in response.content.decode()
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_the_pdf_prints_the_same_tables_and_logs_the_export(client, recorder, recap_service, month_of_cases):
    client.force_login(recorder)

    response = client.get(reverse("cases:recap_pdf"), {"bulan": MONTH})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="rekap-p2tp2a-2025-03.pdf"' in response["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Laki-laki <5" in text
    assert "Perempuan *" in text
    assert "* disembunyikan agar angka <5 di tabel ini tidak dapat dihitung dari jumlahnya." in text
    assert "Ciamis *" in text
    for name in month_of_cases:
        assert name not in text
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (log.case, log.unit, log.user, log.action, log.what) == (
        None, recap_service.unit, recorder, AccessLog.Action.EXPORT, "Rekap bulanan 2025-03",
    )


def test_the_xlsx_writes_the_same_tables_and_logs_the_export(client, recorder, recap_service, month_of_cases):
    client.force_login(recorder)

    response = client.get(reverse("cases:recap_xlsx"), {"bulan": MONTH})

    assert response.status_code == 200
    assert 'filename="rekap-p2tp2a-2025-03.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["Laki-laki", "<5"] in rows
    assert ["Perempuan", "*"] in rows
    assert ["* disembunyikan agar angka <5 di tabel ini tidak dapat dihitung dari jumlahnya."] in rows
    assert ["Ciamis", "*"] in rows
    assert ["Jumlah kasus yang diterima", 7] in rows  # a number, not text
    assert ["Panjalu", 0] in rows
    cells = " ".join(str(cell) for row in rows for cell in row)
    for name in month_of_cases:
        assert name not in cells
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (log.case, log.unit, log.action, log.what) == (None, recap_service.unit, AccessLog.Action.EXPORT, "Rekap bulanan 2025-03")


# Who may see it.


@pytest.mark.parametrize("name", ["cases:recap", "cases:recap_pdf", "cases:recap_xlsx"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["cases:recap", "cases:recap_pdf", "cases:recap_xlsx"])
def test_a_faskes_user_finds_no_recap(client, agency, recap_service, make_user, name):
    client.force_login(make_user(agency, Role.FASKES))

    assert client.get(reverse(name)).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_an_officer_of_a_unit_without_p2tp2a_finds_no_recap(client, recap_service, government, make_user):
    health = Unit.objects.create(code="dinkes", name="Dinas Kesehatan", kind=Unit.Kind.AGENCY, parent=government)
    client.force_login(make_user(health, Role.OFFICER))

    assert client.get(reverse("cases:recap")).status_code == 404
