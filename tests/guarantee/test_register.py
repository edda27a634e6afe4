"""The register of records past their time standard (guarantee:register and its PDF): its rows and counts, who
reads it, and what it costs."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.guarantee import documents, selectors
from portal.guarantee.models import MissedStandard
from portal.guarantee.policy import lateness, record_key
from portal.models import Unit
from portal.roles import Role
from portal.periods import Quarter
from tests.guarantee.conftest import NAMES, wib

pytestmark = pytest.mark.django_db

REGISTER = reverse("guarantee:register")
PDF = reverse("guarantee:register_pdf")
Q3 = Quarter(2026, 3)
# The moment the register is read in the recomputation: Monday 14 September 2026, 09.00 WIB.
NOW = wib(2026, 9, 14, 9, 0)


@pytest.fixture
def seeded(ticket):
    """A ticket closed late across a weekend and a holiday, one open and overdue, one closed in time, one due in
    the next quarter (late), as (due, done) pairs."""
    return {
        # Due Friday 14 August 10.00, done Tuesday 18 August 09.00: Friday 10-11, Monday 17 August is Independence
        # Day, Tuesday 08-09: 120 working minutes.
        "late": ticket(wib(2026, 8, 14, 10, 0), wib(2026, 8, 18, 9, 0)),
        # Due Thursday 10 September 10.00, open at NOW: Thursday 10.00-14.45, Friday 08-11, Monday 08-09: 525.
        "open": ticket(wib(2026, 9, 10, 10, 0)),
        "in_time": ticket(wib(2026, 9, 15, 14, 0), wib(2026, 9, 15, 10, 0)),
        "next_quarter": ticket(wib(2026, 10, 5, 10, 0), wib(2026, 10, 6, 10, 0)),
    }


def page(client, user, **query):
    client.force_login(user)
    return client.get(REGISTER, query)


def test_its_rows_and_counts_are_the_records_due_in_the_quarter_that_missed_their_standard(seeded, service, head):
    start, end = wib(2026, 7, 1), wib(2026, 10, 1)
    records = list(seeded.values())
    due = [r for r in records if start <= r.due_at < end]
    late = [r for r in due if (r.is_open and r.due_at < NOW) or (not r.is_open and r.status_changed_at > r.due_at)]
    register = selectors.register(service, Q3, head, now=NOW)
    assert [row.record.pk for row in register.rows] == [r.pk for r in sorted(late, key=lambda r: (r.due_at, r.pk))]
    assert (register.due_count, register.missed_count, register.within_count) == (len(due), len(late), 1)
    assert round(register.within_share, 1) == 33.3
    by_pk = {row.record.pk: row for row in register.rows}
    assert (by_pk[seeded["late"].pk].late_minutes, by_pk[seeded["late"].pk].working_time) == (120, True)
    assert by_pk[seeded["late"].pk].done_at == seeded["late"].status_changed_at
    assert (by_pk[seeded["open"].pk].late_minutes, by_pk[seeded["open"].pk].done_at) == (525, None)
    assert by_pk[seeded["late"].pk].late_words == "2 jam kerja"


def test_a_unit_without_service_hours_counts_calendar_time():
    assert lateness(wib(2026, 8, 14, 10, 0), wib(2026, 8, 18, 9, 0), None) == (4 * 24 * 60 - 60, False)


def test_the_page_shows_the_rows_the_reasons_and_the_decisions(client, seeded, service, promise, leader):
    MissedStandard.objects.create(
        **record_key(seeded["late"]), service=service, unit=seeded["late"].unit, record_number="x",
        due_at=seeded["late"].due_at, reason="Petugas sakit <script>alert(1)</script>", reason_at=timezone.now(),
        decision=MissedStandard.Decision.NONE, no_compensation_reason="Pemohon menolak", decided_at=timezone.now(),
    )
    response = page(client, leader, layanan=service.slug, periode="2026-Q3")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Petugas sakit &lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert(1)" not in text
    assert "Tidak ada kompensasi: Pemohon menolak" in text
    assert "belum selesai" in text and "belum ditulis" in text
    assert "14 Agustus 2026" in text  # Indonesian dates
    assert f'href="{seeded["late"].get_absolute_url()}"' in text
    register = response.context["register"]
    assert (register.due_count, register.missed_count) == (3, 2)


def test_the_pdf_renders_under_a_name_of_the_service_and_period_only(client, seeded, service, promise, leader):
    client.force_login(leader)
    response = client.get(PDF, {"layanan": service.slug, "periode": "2026-Q3"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert "register-jaminan-tiket-dinas-2026-q3.pdf" in disposition
    assert NAMES["first_name"] not in disposition and NAMES["last_name"] not in disposition


def test_a_script_in_a_reason_is_escaped_in_the_pdfs_html(seeded, service, promise, head):
    MissedStandard.objects.create(
        **record_key(seeded["late"]), service=service, unit=seeded["late"].unit, record_number="x",
        due_at=seeded["late"].due_at, reason="<script>alert(1)</script>", reason_at=timezone.now(),
    )
    html = render_to_string(documents.TEMPLATE, {"register": selectors.register(service, Q3, head, now=NOW)})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html


def test_a_period_not_understood_shows_the_current_quarter_with_a_message(client, service, leader):
    response = page(client, leader, layanan=service.slug, periode="2026-Q9")
    assert response.status_code == 200
    assert response.context["quarter"] == Quarter.of(timezone.localdate())
    assert "tidak dikenali" in response.content.decode()
    client.force_login(leader)
    assert client.get(PDF, {"layanan": service.slug, "periode": "kemarin"}).status_code == 404


def test_anonymous_visitors_go_to_the_login(client, service):
    for url in (REGISTER, PDF):
        response = client.get(url, {"layanan": service.slug})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.STOREKEEPER, Role.FASKES, Role.ADMIN])
def test_users_who_neither_serve_nor_lead_are_refused(client, agency, make_user, service, role):
    assert page(client, make_user(agency, role), layanan=service.slug).status_code == 403


def test_an_outsider_does_not_find_the_service(client, government, make_user, service):
    other = Unit.objects.create(code="dinas-lain", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=government)
    assert page(client, make_user(other, Role.HEAD), layanan=service.slug).status_code == 404
    assert page(client, make_user(other, Role.OFFICER), layanan=service.slug).status_code == 404
    client.force_login(make_user(other, Role.HEAD))
    assert client.get(PDF, {"layanan": service.slug}).status_code == 404


def test_a_member_below_the_services_unit_does_not_find_it(client, head, officer, service):
    assert page(client, head, layanan=service.slug).status_code == 404  # the head is the division's
    assert page(client, officer, layanan=service.slug).status_code == 404


@pytest.mark.parametrize("role", [Role.OFFICER, Role.HEAD])
def test_officers_and_heads_of_the_services_unit_and_above_read_it(client, agency, government, make_user, service, role):
    assert page(client, make_user(agency, role), layanan=service.slug).status_code == 200
    assert page(client, make_user(government, role), layanan=service.slug).status_code == 200


@pytest.mark.parametrize("missed", [5, 60])
def test_its_queries_do_not_grow_with_the_rows(client, agency, make_user, service, promise, ticket, missed,
                                               django_assert_num_queries):
    reader = make_user(agency, Role.HEAD)
    for number in range(missed):
        record = ticket(wib(2026, 8, 3, 9, 0) + timedelta(days=number % 20), wib(2026, 9, 30, 10, 0))
        if number % 2:
            MissedStandard.objects.create(
                **record_key(record), service=service, unit=record.unit, record_number=str(record.pk),
                due_at=record.due_at, reason="Alasan", reason_at=timezone.now(),
            )
    client.force_login(reader)
    # session, user, memberships, unit tree, services; the counts, the rows, their MissedStandard rows, the
    # promise; the division's calendar (its hours, walked up to the agency's, and the days off).
    with django_assert_num_queries(QUERIES):
        response = client.get(REGISTER, {"layanan": service.slug, "periode": "2026-Q3"})
    assert len(response.context["register"].rows) == missed


QUERIES = 18  # with the bell's unread count (portal.notifications)
