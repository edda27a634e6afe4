"""The mechanism shared by every document made off the request, tried on the evaluation's figures (a kind without
a person's identity, see test_cases.py and test_identitas.py for those): asked once and made once, made again only
when it changed, retried and then shown to the admin when it fails, expired and swept away."""

import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.core.files.storage import storages
from django.shortcuts import resolve_url
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.downloads import services, tasks
from portal.downloads.models import GeneratedFile
from portal.evaluation import documents
from portal.models import Service
from portal.roles import Role
from portal.workflow import DONE
from tests.concurrency import together
from tests.downloads.flow import ask, asked_file, content, download
from tests.testapp.models import Ticket

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
KIND = "evaluation.figures"
FIELDS = {"layanan": "tiket-dinas", "periode": "2026-Q3", "per_petugas": ""}
FAKE_PDF = b"%PDF-1.4 evaluasi uji"


@pytest.fixture
def service(agency):
    return Service.objects.create(slug="tiket-dinas", name="Layanan Tiket Dinas", unit=agency, app="testapp")


@pytest.fixture
def head(agency, make_user):
    """A Kepala Bidang of the service's unit: evaluates it."""
    return make_user(agency, Role.HEAD)


@pytest.fixture
def renders(monkeypatch):
    """The evaluation's renderer replaced by one that counts its calls (each call's service slug)."""
    calls = []

    def render(service, figures, **kwargs):
        calls.append(service.slug)
        return FAKE_PDF

    monkeypatch.setattr(documents, "evaluation_pdf", render)
    return calls


@pytest.fixture
def failing(monkeypatch):
    """The evaluation's renderer replaced by one that always fails; the list of its calls."""
    calls = []

    def render(service, figures, **kwargs):
        calls.append(service.slug)
        raise OSError("font cache unreadable")

    monkeypatch.setattr(documents, "evaluation_pdf", render)
    return calls


def ticket(service, division, created):
    return Ticket.objects.create(
        service=service, unit=division, title="Permohonan", created_at=created, status=DONE,
        status_changed_at=created + timedelta(hours=2),
    )


def test_asking_twice_for_the_same_figures_gives_the_same_file_made_once(client, service, head, renders):
    client.force_login(head)

    first = asked_file(ask(client, KIND, FIELDS))
    second = asked_file(ask(client, KIND, FIELDS))

    assert first.pk == second.pk and GeneratedFile.objects.count() == 1
    assert renders == ["tiket-dinas"]
    assert content(download(client, first)) == FAKE_PDF


def test_a_task_run_again_makes_nothing_more(client, service, head, renders):
    client.force_login(head)
    row = asked_file(ask(client, KIND, FIELDS))
    made = row.file.name

    tasks.render.delay(row.pk)  # a redelivery, or the sweep queueing it again
    assert services.file_render(row.pk) is False

    row.refresh_from_db()
    assert renders == ["tiket-dinas"] and row.attempts == 1 and row.file.name == made


def test_changed_figures_are_a_new_file(client, service, head, division, renders):
    client.force_login(head)
    first = asked_file(ask(client, KIND, FIELDS))

    ticket(service, division, datetime(2026, 8, 4, 9, tzinfo=WIB))
    second = asked_file(ask(client, KIND, FIELDS))

    assert second.pk != first.pk and renders == ["tiket-dinas", "tiket-dinas"]
    # Per officer is another document of the same figures.
    third = asked_file(ask(client, KIND, {**FIELDS, "per_petugas": "1"}))
    assert third.pk not in (first.pk, second.pk)


def test_made_eagerly_the_status_page_offers_it_at_once_named_by_the_service_and_period(client, service, head):
    client.force_login(head)
    response = ask(client, KIND, FIELDS)
    row = asked_file(response)

    page = client.get(response["Location"])

    assert page.status_code == 200 and "Refresh" not in page
    text = page.content.decode()
    assert reverse("downloads:download", args=[row.pk]) in text and ">Unduh</a>" in text
    assert row.label == "Evaluasi kinerja Layanan Tiket Dinas Triwulan III 2026"
    file = download(client, row)
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert file["Content-Disposition"] == 'attachment; filename="evaluasi-kinerja-tiket-dinas-2026-q3.pdf"'
    assert content(file).startswith(b"%PDF")


def test_while_it_is_made_the_status_page_reloads_itself_and_offers_no_file(client, service, head, renders):
    client.force_login(head)
    # Asked without running the commit's callbacks: the task is queued, not yet run, as with a busy worker.
    response = client.post(reverse("downloads:create", args=[KIND]), FIELDS)
    row = asked_file(response)

    page = client.get(response["Location"])

    assert row.status == GeneratedFile.Status.WAITING and renders == []
    assert page.status_code == 200 and page["Refresh"] == "2"
    assert "menunggu giliran" in page.content.decode() and ">Unduh</a>" not in page.content.decode()
    assert download(client, row)["Location"] == response["Location"]


def test_the_file_lies_in_the_private_storage_under_a_random_name(client, service, head, renders):
    client.force_login(head)
    row = asked_file(ask(client, KIND, FIELDS))

    assert re.fullmatch(r"downloads/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", row.file.name)
    assert storages["private"].exists(row.file.name) and not storages["default"].exists(row.file.name)


# Who gets in.


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_made(client, service, head, renders):
    row = GeneratedFile.objects.create(
        user=head, kind=KIND, params=FIELDS, label="x", file_name="x.pdf", key="k", created_at=timezone.now(),
    )
    login = resolve_url("login")
    for response in (
        ask(client, KIND, FIELDS),
        client.get(reverse("downloads:status", args=[row.pk])),
        download(client, row),
    ):
        assert response.status_code == 302 and response["Location"].startswith(login)
    assert GeneratedFile.objects.count() == 1 and renders == []


def test_another_users_file_is_not_found_even_for_a_head_of_the_same_unit(client, service, head, agency, make_user):
    client.force_login(head)
    row = asked_file(ask(client, KIND, FIELDS))

    client.force_login(make_user(agency, Role.HEAD))

    assert client.get(reverse("downloads:status", args=[row.pk])).status_code == 404
    assert download(client, row).status_code == 404


def test_whom_evaluates_nothing_is_refused_and_nothing_is_made(client, service, agency, make_user, renders):
    client.force_login(make_user(agency, Role.OFFICER))

    assert ask(client, KIND, FIELDS).status_code == 403
    assert not GeneratedFile.objects.exists() and renders == []


@pytest.mark.parametrize(("kind", "fields"), [
    ("tidak.ada", FIELDS),
    (KIND, {"layanan": "tiket-dinas"}),
    (KIND, {**FIELDS, "periode": "<script>"}),
    (KIND, {**FIELDS, "layanan": "lain"}),
    (KIND, {**FIELDS, "per_petugas": "semua"}),
    ("cases.closure_report", {"pk": "1 OR 1=1"}),
])
def test_an_unknown_kind_or_source_is_not_found_and_nothing_is_made(client, service, head, kind, fields, renders):
    client.force_login(head)

    assert ask(client, kind, fields).status_code == 404
    assert not GeneratedFile.objects.exists() and renders == []


def test_asking_needs_a_post(client, service, head, renders):
    client.force_login(head)
    assert client.get(reverse("downloads:create", args=[KIND]), FIELDS).status_code == 405
    assert not GeneratedFile.objects.exists()


def test_an_asker_who_lost_the_right_finds_their_file_gone(client, service, head, renders):
    client.force_login(head)
    row = asked_file(ask(client, KIND, FIELDS))

    head.memberships.update(role=Group.objects.get(name=Role.OFFICER))

    assert client.get(reverse("downloads:status", args=[row.pk])).status_code == 404
    assert download(client, row).status_code == 404


def test_a_task_for_an_asker_who_lost_the_right_makes_no_file(client, service, head, renders):
    client.force_login(head)
    row = asked_file(client.post(reverse("downloads:create", args=[KIND]), FIELDS))  # queued, not yet made
    head.memberships.all().delete()

    tasks.render.delay(row.pk)

    row.refresh_from_db()
    assert row.status == GeneratedFile.Status.FAILED and not row.file and renders == []
    assert row.attempts == 1 and row.last_error.startswith("PermissionDenied")


# Failures: retried, then shown to the admin, never lost.


def test_a_failing_render_is_retried_then_failed_and_shown_on_its_page(client, service, head, failing):
    client.force_login(head)

    row = asked_file(ask(client, KIND, FIELDS))

    assert len(failing) == GeneratedFile.MAX_ATTEMPTS
    assert (row.status, row.attempts, row.file.name) == (GeneratedFile.Status.FAILED, GeneratedFile.MAX_ATTEMPTS, "")
    assert row.last_error == "OSError: font cache unreadable" and row.finished_at is not None
    page = client.get(reverse("downloads:status", args=[row.pk]))
    assert page.status_code == 200 and "Refresh" not in page
    text = page.content.decode()
    assert "gagal dibuat" in text and "Coba lagi" in text and ">Unduh</a>" not in text
    assert download(client, row).status_code == 302


def test_a_failed_file_is_listed_in_the_admin_with_its_error_and_made_again_by_its_action(
    client, admin_client, service, head, failing, monkeypatch,
):
    client.force_login(head)
    row = asked_file(ask(client, KIND, FIELDS))

    listing = admin_client.get(reverse("admin:downloads_generatedfile_changelist"), {"status__exact": "gagal"})
    assert listing.status_code == 200 and row.label in listing.content.decode()
    detail = admin_client.get(reverse("admin:downloads_generatedfile_change", args=[row.pk])).content.decode()
    assert "OSError: font cache unreadable" in detail

    monkeypatch.setattr(documents, "evaluation_pdf", lambda service, figures, **kwargs: FAKE_PDF)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin_client.post(reverse("admin:downloads_generatedfile_changelist"), {
            "action": "try_again", ACTION_CHECKBOX_NAME: [row.pk],
        })
    assert response.status_code == 302

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (GeneratedFile.Status.READY, 1, "")
    assert content(download(client, row)) == FAKE_PDF


def test_asking_again_after_a_failure_tries_again(client, service, head, failing, monkeypatch):
    client.force_login(head)
    row = asked_file(ask(client, KIND, FIELDS))
    monkeypatch.setattr(documents, "evaluation_pdf", lambda service, figures, **kwargs: FAKE_PDF)

    again = asked_file(ask(client, KIND, FIELDS))

    assert again.pk == row.pk and again.status == GeneratedFile.Status.READY and again.attempts == 1


def test_the_admin_only_tries_again_and_never_adds_or_changes(admin_client, service, head):
    assert admin_client.get(reverse("admin:downloads_generatedfile_add")).status_code == 403


# Expiry and the sweep.


def test_an_expired_file_is_refused_with_410_and_a_button_to_make_it_again(client, service, head, renders):
    client.force_login(head)
    row = asked_file(ask(client, KIND, FIELDS))
    GeneratedFile.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    for response in (client.get(reverse("downloads:status", args=[row.pk])), download(client, row)):
        assert response.status_code == 410
        text = response.content.decode()
        assert "sudah kedaluwarsa" in text and "Buat lagi" in text and not response.streaming
        assert f'action="{reverse("downloads:create", args=[KIND])}"' in text

    again = asked_file(ask(client, KIND, FIELDS))
    assert again.pk == row.pk and not again.is_expired() and renders == ["tiket-dinas", "tiket-dinas"]
    assert download(client, again).status_code == 200


def test_a_file_expires_a_day_after_it_is_made(client, service, head, renders):
    client.force_login(head)
    row = asked_file(ask(client, KIND, FIELDS))
    assert row.expires_at - row.finished_at == services.FILE_LIFETIME == timedelta(hours=24)


def test_the_sweep_deletes_expired_files_then_their_rows_and_queues_lost_tasks_again(
    client, service, head, division, renders,
):
    client.force_login(head)
    now = timezone.now()
    expired = asked_file(ask(client, KIND, FIELDS))
    GeneratedFile.objects.filter(pk=expired.pk).update(expires_at=now - timedelta(minutes=1))
    old = asked_file(ask(client, KIND, {**FIELDS, "per_petugas": "1"}))
    GeneratedFile.objects.filter(pk=old.pk).update(expires_at=now - services.ROW_LIFETIME - timedelta(minutes=1))
    ticket(service, division, datetime(2026, 8, 4, 9, tzinfo=WIB))
    fresh = asked_file(ask(client, KIND, FIELDS))
    lost = asked_file(client.post(reverse("downloads:create", args=[KIND]), {**FIELDS, "periode": "2026-Q2"}))
    GeneratedFile.objects.filter(pk=lost.pk).update(created_at=now - services.LOST_AFTER - timedelta(minutes=1))
    files = {row.pk: row.file.name for row in (expired, old, fresh)}

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.sweep.delay().get() == {"files": 2, "rows": 1, "lost": 1}

    assert not storages["private"].exists(files[expired.pk]) and not storages["private"].exists(files[old.pk])
    assert storages["private"].exists(files[fresh.pk])
    assert set(GeneratedFile.objects.values_list("pk", flat=True)) == {expired.pk, fresh.pk, lost.pk}
    assert client.get(reverse("downloads:status", args=[expired.pk])).status_code == 410
    assert GeneratedFile.objects.get(pk=lost.pk).status == GeneratedFile.Status.READY


# Two workers at once, on real PostgreSQL connections.


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("require_postgresql")
def test_two_workers_given_the_same_file_at_once_make_it_once(service, head, monkeypatch):
    calls = []

    def slow(service, figures, **kwargs):
        calls.append(service.slug)
        time.sleep(0.5)  # long enough for the other worker to reach the row while this one holds it
        return FAKE_PDF

    monkeypatch.setattr(documents, "evaluation_pdf", slow)
    row = GeneratedFile.objects.create(
        user=head, kind=KIND, params=FIELDS, label="Evaluasi", file_name="evaluasi.pdf", key="sama",
        created_at=timezone.now(),
    )

    outcomes = together(lambda: services.file_render(row.pk), lambda: services.file_render(row.pk))

    assert sorted(outcomes) == [False, True] and calls == ["tiket-dinas"]
    row.refresh_from_db()
    assert row.status == GeneratedFile.Status.READY and row.attempts == 1
