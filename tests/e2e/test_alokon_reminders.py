"""ALOKON's report reminder tried as a faskes would on the demo data (issue 22): the demo leaves a faskes of
Kecamatan Ciamis without last month's report; the reminder round on the 12th tells it by the bell and by e-mail; it
follows the reminder to the report's page and files it there, and the day after the 15th it hears nothing more.
No notification of the round names a person the demo's cases or PPKS records hold, beyond a faskes' name. Every page is checked with axe
and on a phone (check_page)."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from alokon.demo import faskes_username
from alokon.models import Facility, MonthlyReport
from cases.models import Reporter as CaseReporter
from cases.models import Victim
from identitas.models import Person
from identitas.models import Reporter as PpksReporter
from portal.notifications import reminders
from portal.notifications.models import Kind, Notification
from tests.e2e.conftest import check_page, log_in, saved
from tests.e2e.test_alokon import unreported_faskes

pytestmark = pytest.mark.e2e

ADDRESS = "faskes.ciamis@contoh.id"


def identities():
    """The names and NIKs of the demo's victims, reporters and PPKS persons."""
    words = set(PpksReporter.objects.values_list("name", flat=True))
    for model in (Victim, CaseReporter, Person):
        for name, nik in model.objects.values_list("name", "nik"):
            words |= {name, nik}
    return words - {""}


def test_a_faskes_hears_its_report_is_due_follows_the_bell_and_files_it(page, login, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())
    number, facility, last_month = unreported_faskes()
    username = faskes_username(number)
    account = facility.accounts.get(user__username=username).user
    account.email = ADDRESS
    account.save(update_fields=["email"])

    # The round on the 12th of this month, three days before last month's report is due.
    now = timezone.localtime().replace(day=12, hour=9, minute=0, second=0, microsecond=0)
    mail.outbox.clear()
    reminders.run(now)
    due_on = MonthlyReport(month=last_month).due_on
    text = (f"Laporan pemakaian alokon {facility.name} bulan {date_format(last_month, 'F Y')} "
            f"jatuh tempo {date_format(due_on, 'j F Y')}.")
    assert list(Notification.objects.filter(kind=Kind.REPORT_DUE, user=account).values_list("text", flat=True)) == [text]
    assert [(email.to, email.subject) for email in mail.outbox if email.subject == text] == [([ADDRESS], text)]
    # A faskes may be named (a midwife's practice bears her name: "PMB Bidan Enung Nurhayati", and a PPKS person of
    # the demo is a "Nurhayati"): what remains of a text without the faskes' names names no one.
    people, faskes = identities(), Facility.objects.values_list("name", flat=True)
    assert len(people) > 10
    for notification in Notification.objects.values_list("text", flat=True):
        rest = notification
        for name in sorted(faskes, key=len, reverse=True):
            rest = rest.replace(name, "")
        assert not any(word in rest for word in people), notification

    log_in(page, login, username)
    unread = Notification.objects.filter(user=account, read_at__isnull=True).count()
    page.get_by_role("link", name=f"Notifikasi {unread} belum dibaca").click()
    expect(page.get_by_role("heading", level=1, name="Notifikasi")).to_be_visible()
    check_page(page)

    page.get_by_role("link", name=text).click()
    expect(page.get_by_role("heading", level=1, name=f"Laporan bulanan {date_format(last_month, 'F Y')}")).to_be_visible()
    assert page.url.endswith(f"/alokon/laporan/{facility.pk}/{last_month:%Y-%m}/baru/")
    expect(page.get_by_role("link", name=f"Notifikasi {unread - 1} belum dibaca")).to_be_visible()
    check_page(page)
    page.get_by_label("Koordinasi dengan UPTD P5A bulan ini").fill("Rapat minilok di UPTD.")
    page.get_by_role("button", name="Kirim laporan").click()
    saved(page, "Laporan bulanan terkirim.")
    assert MonthlyReport.objects.filter(facility=facility, month=last_month).exists()

    # Filed: the day after the 15th brings it no "late" reminder.
    reminders.run(now.replace(day=16))
    assert Notification.objects.filter(kind=Kind.REPORT_DUE, user=account).count() == 1
