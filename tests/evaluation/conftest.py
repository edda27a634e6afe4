"""Fixtures of the evaluation's tests: a service of the agency run by the test SOP app (tickets, handled in the
division), its rule, and records seeded with their times, transitions and complaints.

The agency works Mon-Thu 08.00-14.45 and Fri 08.00-11.00 (WIB); Monday 17 August 2026 is Independence Day.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from portal.complaints.models import Complaint
from portal.evaluation.models import EvaluationRule
from portal.models import Service, TransitionLog
from portal.periods import Quarter
from portal.roles import Office, Role
from portal.workflow import DONE
from tests.testapp.models import Ticket

WIB = ZoneInfo("Asia/Jakarta")
Q3 = Quarter(2026, 3)
START, END = datetime(2026, 7, 1, tzinfo=WIB), datetime(2026, 10, 1, tzinfo=WIB)
# A person served: their name must never reach the figures, the page, the PDF or a file name.
VICTIM = "Sulastri Wiraatmaja"


def wib(*args):
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def service(agency):
    return Service.objects.create(slug="tiket-dinas", name="Layanan Tiket Dinas", unit=agency, app="testapp")


@pytest.fixture
def rule(service):
    return EvaluationRule.objects.create(
        service=service, signer=EvaluationRule.Signer.DIRECT_SUPERIOR, words="Evaluasi oleh atasan langsung"
    )


@pytest.fixture
def named(make_user):
    def make(unit, role, first, last, office=""):
        user = make_user(unit, role, office=office)
        user.first_name, user.last_name = first, last
        user.save()
        return user

    return make


@pytest.fixture
def superior(agency, named):
    """A Kepala Bidang of the agency, the service's unit: its direct superior."""
    return named(agency, Role.HEAD, "Ratna", "Kusumawati")


@pytest.fixture
def worker(division, named):
    return named(division, Role.OFFICER, "Nining", "Sumarni")


@pytest.fixture
def kabid(division, named):
    return named(division, Role.HEAD, "Agus", "Setiawan")


@pytest.fixture
def make_ticket(service, division):
    def make(created, done=None, due=None, status=None, **fields):
        return Ticket.objects.create(
            service=service, unit=division, title=VICTIM, created_at=created, due_at=due,
            status=status or (DONE if done else "processed"), status_changed_at=done or created, **fields,
        )

    return make


@pytest.fixture
def log(division):
    def write(ticket, steps):
        """steps: [(from, to, at, actor)]."""
        content_type = ContentType.objects.get_for_model(Ticket)
        return [
            TransitionLog.objects.create(
                content_type=content_type, object_id=ticket.pk, unit=division, transition=to,
                from_status=from_, to_status=to, at=at, actor=actor,
            )
            for from_, to, at, actor in steps
        ]

    return write


@pytest.fixture
def desk(agency):
    return Service.objects.create(slug="pengaduan", name="Pengaduan Dinas", unit=agency, app="complaints")


@pytest.fixture
def complaint(desk, agency):
    numbers = iter(range(1, 1000))

    def make(about, created, first_response=None, due=None, done=None):
        return Complaint.objects.create(
            service=desk, unit=agency, about=about, year=created.year, sequence=next(numbers), channel="portal",
            text="Isi pengaduan", name=VICTIM, follow_up_digest="x", created_at=created,
            first_response_at=first_response, due_at=due, status=DONE if done else "received",
            status_changed_at=done or created,
        )

    return make


__all__ = ["Office", "Q3", "START", "END", "VICTIM", "wib"]
