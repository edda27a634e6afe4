"""The start page: a worklist of the services where the user's roles have a step."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from portal import selectors
from portal.models import Membership, Service
from portal.roles import Role
from portal.services import workflow_start
from tests.testapp.models import Ticket

pytestmark = pytest.mark.django_db


def worklist(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response


def work_for(response, slug="tiket"):
    return {work.service.slug: work for work in response.context["worklist"]}[slug]


def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_it_shows_only_services_where_the_users_role_has_a_step(client, ticket_service, government, make_user):
    Service.objects.create(slug="p2tp2a", name="Pelayanan P2TP2A", unit=government, app="cases")
    Service.objects.create(slug="alokon", name="Penyaluran Alokon", unit=government, app="alokon")
    page = worklist(client, make_user(government, Role.STOREKEEPER)).content.decode()
    assert "Penyaluran Alokon" in page
    assert "Pelayanan P2TP2A" not in page  # confidential, and no step of a storekeeper's
    assert "Layanan Tiket" not in page


def test_an_observer_has_no_worklist_but_sees_the_services_open_records_counted(
    client, ticket_service, government, division, officer, new_ticket, make_user, monkeypatch
):
    monkeypatch.setattr(Ticket.workflow, "observers", (Role.AGENCY_HEAD,))
    monkeypatch.delattr(Ticket.workflow, "access_roles", raising=False)  # a cached property: recomputed
    workflow_start(new_ticket(division, title="Tiket biasa"), actor=officer)
    late = workflow_start(new_ticket(division, title="Tiket terlambat"), actor=officer)
    Ticket.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    response = worklist(client, make_user(government, Role.AGENCY_HEAD))
    assert response.context["worklist"] == []
    [observed] = response.context["observed"]
    assert (observed.service, observed.open_count, observed.overdue_count) == (ticket_service, 2, 1)
    assert observed.start_url is None and observed.waiting == []
    page = response.content.decode()
    assert "Layanan yang Anda pantau" in page and "2 sedang berjalan" in page and "1 lewat waktu" in page
    assert "belum memiliki peran" not in page  # the Kepala Dinas was told they had no role at all
    assert "Tiket terlambat" not in page  # counts only: the records are the officers' and heads' work


def test_it_lists_the_records_waiting_for_the_users_step_earliest_due_first(
    client, ticket_service, division, officer, head, new_ticket
):
    workflow_start(new_ticket(division, title="Tiket kemudian"), actor=officer)
    sooner = workflow_start(new_ticket(division, title="Tiket mendesak"), actor=officer)
    Ticket.objects.filter(pk=sooner.pk).update(due_at=timezone.now() - timedelta(hours=1))
    work = work_for(worklist(client, officer))
    assert [t.title for t in work.waiting] == ["Tiket mendesak", "Tiket kemudian"]
    assert (work.waiting_count, work.overdue_count) == (2, 1)
    page = worklist(client, officer).content.decode()
    assert f'href="{sooner.get_absolute_url()}"' in page
    assert "lewat waktu" in page
    assert work_for(worklist(client, head)).waiting == []  # the officer's step, not the head's


def test_a_record_waiting_for_an_approval_is_not_offered_to_whoever_did_the_step_before(
    client, ticket_service, division, officer, head, new_ticket
):
    Membership.objects.create(user=officer, unit=division, role=Group.objects.get(name=Role.HEAD))
    ticket = workflow_start(new_ticket(division, summary="Ringkasan"), actor=officer)
    Ticket.objects.filter(pk=ticket.pk).update(status="decided")  # as if the officer had moved it there
    Ticket.objects.filter(pk=ticket.pk).update(status_changed_by=officer)
    assert work_for(worklist(client, officer)).waiting == []
    assert [t.pk for t in work_for(worklist(client, head)).waiting] == [ticket.pk]


def test_a_parent_and_a_child_unit_running_the_same_app_do_not_count_each_others_records(
    client, government, agency, division, make_user
):
    parent = Service.objects.create(slug="induk", name="Layanan Induk", unit=agency, app="testapp")
    child = Service.objects.create(slug="anak", name="Layanan Anak", unit=division, app="testapp")
    officer = make_user(agency, Role.OFFICER)
    workflow_start(Ticket(service=parent, unit=agency, title="a"), actor=officer)
    for title in ("b", "c"):
        workflow_start(Ticket(service=child, unit=division, title=title), actor=officer)
    response = worklist(client, officer)
    assert (work_for(response, "induk").waiting_count, work_for(response, "anak").waiting_count) == (1, 2)


def test_the_query_count_does_not_grow_with_the_records(
    client, ticket_service, division, officer, new_ticket, django_assert_max_num_queries
):
    def start(n):
        for number in range(n):
            workflow_start(new_ticket(division, title=f"t{number}"), actor=officer)

    # A full list (more than it shows) costs its counts too; from there on nothing grows.
    start(12)
    client.force_login(officer)
    client.get("/")
    with django_assert_max_num_queries(14) as first:
        client.get("/")
    start(48)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get("/")
    assert work_for(response).waiting_count == 60


def test_the_main_action_shows_to_a_role_that_starts_the_service(client, ticket_service, officer, head, monkeypatch):
    monkeypatch.setattr(Ticket, "get_start_url", classmethod(lambda cls, service: f"/tiket/baru/{service.slug}/"))
    monkeypatch.setattr(Ticket.workflow, "start_action", "Catat tiket baru")
    page = worklist(client, officer).content.decode()
    assert '<a class="btn btn-primary" href="/tiket/baru/tiket/">Catat tiket baru</a>' in page
    assert "/tiket/baru/" not in worklist(client, head).content.decode()


def test_an_empty_worklist_says_what_to_do_next(client, ticket_service, officer):
    assert "Tidak ada yang menunggu langkah Anda." in worklist(client, officer).content.decode()


def test_an_admin_without_steps_is_sent_to_the_admin_site(client, agency, make_user):
    admin = make_user(agency, Role.ADMIN)
    admin.is_staff = True
    admin.save()
    page = worklist(client, admin).content.decode()
    assert "Data induk (unit, pengguna, layanan) dikelola di halaman Admin." in page
    assert 'href="/admin/"' in page


def test_a_user_without_a_role_is_told_to_ask_the_admin(client, django_user_model):
    user = django_user_model.objects.create_user("tanpa-unit", password="x-long-password")
    assert "Minta admin portal" in worklist(client, user).content.decode()


def test_each_service_links_to_its_public_standard_and_sop(client, ticket_service, officer):
    page = worklist(client, officer).content.decode()
    assert 'href="/publik/layanan/tiket/"' in page
    assert 'href="/publik/layanan/tiket/sop/"' in page


def test_more_than_the_page_shows_links_to_the_whole_list_of_what_waits(
    client, ticket_service, division, officer, new_ticket, monkeypatch
):
    monkeypatch.setattr(Ticket, "get_list_url", classmethod(lambda cls, service: "/tiket/?layanan=tiket"))
    for n in range(11):
        workflow_start(new_ticket(division, title=f"Tiket {n}"), actor=officer)
    response = worklist(client, officer)
    work = work_for(response)
    assert (len(work.waiting), work.waiting_count) == (10, 11)
    assert work.waiting_url == "/tiket/?layanan=tiket&tugas=saya"
    page = response.content.decode()
    assert "11 menunggu langkah Anda" in page and "Ditampilkan 10 dari 11" in page
    assert 'href="/tiket/?layanan=tiket&amp;tugas=saya">Lihat semua yang menunggu Anda</a>' in page


def test_the_counts_stop_at_their_limit_and_say_there_are_more(
    client, ticket_service, division, officer, new_ticket, monkeypatch
):
    monkeypatch.setattr(selectors, "WORKLIST_COUNT_LIMIT", 12)
    for n in range(13):
        workflow_start(new_ticket(division, title=f"Tiket {n}"), actor=officer)
    Ticket.objects.update(due_at=timezone.now() - timedelta(hours=1))  # all overdue: that count is taken too
    response = worklist(client, officer)
    work = work_for(response)
    assert (work.waiting_count, work.waiting_more, work.overdue_count, work.overdue_more) == (12, True, 12, True)
    page = response.content.decode()
    assert "lebih dari 12 menunggu langkah Anda" in page and "lebih dari 12 lewat waktu" in page
    Ticket.objects.filter(pk__in=list(Ticket.objects.values_list("pk", flat=True)[:2])).update(due_at=None)
    work = work_for(worklist(client, officer))
    assert (work.waiting_count, work.waiting_more, work.overdue_count, work.overdue_more) == (12, True, 11, False)
