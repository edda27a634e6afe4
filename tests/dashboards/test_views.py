"""The dashboard's page (/dasbor/): who reads it and which services, the links of its figures to the registers
and what the registers then list, the P2TP2A's small counts, and the queries it costs."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.roles import Role

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:index")


def page(client, user, query=""):
    client.force_login(user)
    return client.get(f"{URL}{query}")


def text(response):
    """The page's text with tags and runs of white space dropped, for its figures in order."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# Who reads it.


def test_it_sends_the_anonymous_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["officer", "faskes_user", "storekeeper"])
def test_it_refuses_whom_leads_no_service(client, services, who, request):
    assert page(client, request.getfixturevalue(who)).status_code == 403


def test_a_head_of_another_agency_finds_no_service_of_this_one(client, services, other_head, other_case_service):
    assert page(client, other_head, f"?layanan={services['cases'].slug}").status_code == 404
    response = page(client, other_head)
    assert response.status_code == 200
    assert response.context["service"] == other_case_service
    assert services["cases"].name not in response.content.decode()


def test_a_head_of_one_service_sees_that_service_only(client, services, ketua, kabid):
    response = page(client, ketua)
    assert response.status_code == 200 and response.context["service"] == services["cases"]
    assert response.context["services"] == [services["cases"]]
    assert page(client, ketua, f"?layanan={services['identitas'].slug}").status_code == 404
    assert page(client, kabid).context["service"] == services["identitas"]


def test_the_agency_head_sees_the_agencys_services_side_by_side_each_leading_to_its_own(client, services, agency_head):
    response = page(client, agency_head)
    assert response.status_code == 200
    assert [row.service for row in response.context["rows"]] == sorted(services.values(), key=lambda s: s.name)
    content = response.content.decode()
    for service in services.values():
        assert f'href="{URL}?layanan={service.slug}"' in content
    assert page(client, agency_head, f"?layanan={services['alokon'].slug}").context["service"] == services["alokon"]


def test_the_start_page_links_each_heads_dashboard(client, services, ketua, officer):
    client.force_login(ketua)
    assert f'href="{URL}?layanan={services["cases"].slug}"' in client.get(reverse("home")).content.decode()
    client.force_login(officer)
    assert URL not in client.get(reverse("home")).content.decode()


# The figures' links and what the registers list behind them.


def test_a_steps_figure_lists_its_records_in_the_register(client, services, record, agency_head):
    now = timezone.now()
    waiting = [record("alokon", "spmb", now - timedelta(days=2), due=now + timedelta(days=3)) for _n in range(2)]
    late = record("alokon", "packing", now - timedelta(days=5), due=now - timedelta(hours=2))
    record("alokon", "selesai", now - timedelta(days=9), now - timedelta(days=1))
    response = page(client, agency_head, f"?layanan={services['alokon'].slug}")
    spmb = next(row for row in response.context["steps"] if row.label.startswith("2."))
    assert (spmb.open.text, spmb.open.url) == (2, f"{reverse('alokon:distributions')}?status=spmb")
    assert f'<a href="{spmb.open.url}">2</a>' in response.content.decode()
    listed = client.get(spmb.open.url).context["page"].object_list
    assert sorted(d.pk for d in listed) == sorted(d.pk for d in waiting)

    overdue = response.context["overdue"]
    assert overdue.text == 1
    assert [d.pk for d in client.get(overdue.url).context["page"].object_list] == [late.pk]
    opened = response.context["open"]
    assert opened.text == 3
    assert len(client.get(opened.url).context["page"].object_list) == 3


def test_the_overdue_cases_link_to_the_registers_overdue_filter(client, services, record, ketua):
    now = timezone.now()
    late = [record("cases", "outreach", now - timedelta(days=20), due=now - timedelta(hours=n + 1)) for n in range(6)]
    record("cases", "intake", now - timedelta(days=1), due=now + timedelta(days=5))
    response = page(client, ketua)
    overdue = response.context["overdue"]
    assert overdue.text == 6
    assert sorted(c.pk for c in client.get(overdue.url).context["rows"]) == sorted(c.pk for c in late)


def test_the_facilitations_overdue_figure_lists_them_and_no_step_is_linked(client, services, record, kabid):
    now = timezone.now()
    late = record("identitas", "record", now - timedelta(days=2), due=now - timedelta(hours=3))
    record("identitas", "outreach", now - timedelta(hours=2), due=now + timedelta(hours=3))
    response = page(client, kabid)
    assert all(row.open.url is None for row in response.context["steps"])  # the register has no filter by step
    assert response.context["due_soon"].text == 1 and response.context["due_soon"].url is None
    assert [f.pk for f in client.get(response.context["overdue"].url).context["rows"]] == [late.pk]


def test_the_ikm_links_to_the_survey_page_of_its_quarter(client, services, kabid):
    response = page(client, kabid)
    row = response.context["ikm"][0]
    assert row["url"] == f"{reverse('survey:index')}?layanan={services['identitas'].slug}&periode={row['quarter'].code}"
    assert client.get(row["url"]).status_code == 200


# The P2TP2A's small counts.


def test_the_p2tp2a_prints_counts_under_5_as_the_recap_does(client, services, record, ketua):
    now = timezone.now()
    for _n in range(3):
        record("cases", "report", now - timedelta(hours=5), due=now + timedelta(hours=2))
    for _n in range(6):
        record("cases", "intake", now - timedelta(days=3), due=now + timedelta(days=4))
    for _n in range(2):
        record("cases", "selesai", now - timedelta(days=3), now - timedelta(minutes=5), due=now + timedelta(days=1))
    response = page(client, ketua)
    steps = {row.label[:2]: row for row in response.context["steps"]}
    # 3 and 6 of 9: a lone "<5" beside its total would be 9 - 6, so the 6 is hidden too.
    assert (steps["1."].open.text, steps["2."].open.text, steps["3."].open.text) == ("<5", "*", 0)
    assert response.context["steps_total"].open.text == 9
    assert (response.context["due_soon"].text, response.context["overdue"].text) == ("<5", 0)
    year = response.context["year"]
    assert (year.completed.text, year.share) == ("<5", "–")
    assert sorted(str(row.completed.text) for row in response.context["months"]) == ["0"] * 11 + ["<5"]
    content = text(response)
    assert "&lt;5" in response.content.decode() and " 3 " not in content.split("Berjalan per langkah")[1][:2000]
    # The chart draws no bar for a hidden count: its length would give it away.
    bars = response.context["charts"]["open"].bars
    assert [(bar.text, bar.width) for bar in bars[:3]] == [("<5", 0), ("*", 0), ("0", 0)]


def test_other_services_print_their_small_counts(client, services, record, kabid):
    now = timezone.now()
    for _n in range(3):
        record("identitas", "report", now - timedelta(hours=5), due=now + timedelta(hours=2))
    response = page(client, kabid)
    assert response.context["steps"][0].open.text == 3 and response.context["due_soon"].text == 3
    assert response.context["charts"]["open"].bars[0].width > 0


def test_the_summary_hides_the_p2tp2as_small_counts_only(client, services, record, agency_head):
    now = timezone.now()
    for app in ("cases", "identitas"):
        for _n in range(2):
            record(app, "report", now - timedelta(hours=5), due=now - timedelta(hours=1))
    rows = {row.service.app: row for row in page(client, agency_head).context["rows"]}
    assert (rows["cases"].open.text, rows["cases"].overdue.text) == ("<5", "<5")
    assert (rows["identitas"].open.text, rows["identitas"].overdue.text) == (2, 2)


# What the page costs.


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _seed(record, log, count):
    """`count` records of each service over the year: open ones in several steps, completed ones with steps."""
    now = timezone.now()
    for n in range(count):
        created = now - timedelta(days=1 + n * 300 // count)
        for app, steps in (("cases", ["report", "intake", "outreach"]), ("identitas", ["report", "record"]),
                           ("alokon", ["request", "spmb"])):
            if n % 3:
                done = record(app, "selesai", created, created + timedelta(hours=30), due=created + timedelta(days=1))
                log(done, [("", steps[0], created), (steps[0], steps[1], created + timedelta(hours=5)),
                           (steps[1], "selesai", created + timedelta(hours=30))])
            else:
                record(app, steps[n % len(steps)], created, due=created + timedelta(days=n % 4))


@pytest.mark.parametrize("who", ["ketua", "agency_head"])
def test_the_queries_do_not_grow_with_the_records(client, services, record, log, complaint, who, request):
    client.force_login(request.getfixturevalue(who))
    urls = [URL, f"{URL}?layanan={services['alokon'].slug}"] if who == "agency_head" else [URL]
    _seed(record, log, 5)
    for url in urls:
        _queries(client, url)  # the session's first page reads more than any later one
    small = [_queries(client, url) for url in urls]
    _seed(record, log, 45)
    for service in services.values():
        complaint(service, timezone.now() - timedelta(days=3))
    assert [_queries(client, url) for url in urls] == small


def test_the_pages_role_rests_on_the_heads_roles(services):
    assert set(Role.HEADS) == {Role.HEAD, Role.AGENCY_HEAD}
