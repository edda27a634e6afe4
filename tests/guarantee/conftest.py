"""Fixtures of the guarantee's tests, on top of tests/conftest.py: a service of the agency run by the test SOP app
(tickets), its promise of compensation, and tickets past or within their time standard.

The agency works Mon-Thu 08.00-14.45 and Fri 08.00-11.00 (WIB); the tickets are handled in the division, which
works the agency's hours.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from portal.guarantee.models import Promise
from portal.models import Service
from portal.roles import Role
from portal.workflow import DONE
from tests.testapp.models import Ticket

WIB = ZoneInfo("Asia/Jakarta")
# People's names the tests seed: none may reach an e-mail, a file name or the register.
NAMES = {"first_name": "Sulastri", "last_name": "Wiraatmaja"}


def wib(*args):
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def service(agency):
    return Service.objects.create(slug="tiket-dinas", name="Layanan Tiket Dinas", unit=agency, app="testapp")


@pytest.fixture
def promise(service):
    return Promise.objects.create(service=service, compensation=True, words="Jaminan kompensasi layanan")


@pytest.fixture
def named(make_user):
    """named(unit, role): a user with a seeded name."""

    def make(unit, role):
        user = make_user(unit, role)
        user.first_name, user.last_name = NAMES["first_name"], NAMES["last_name"]
        user.save()
        return user

    return make


@pytest.fixture
def head(division, named):
    return named(division, Role.HEAD)


@pytest.fixture
def officer(division, named):
    return named(division, Role.OFFICER)


@pytest.fixture
def ticket(service, division):
    """ticket(due_at, done_at=None, created_at=None): a ticket of the service; closed at `done_at`, else open."""

    def make(due_at, done_at=None, created_at=None, **fields):
        created_at = created_at or due_at.replace(hour=8, minute=0)
        return Ticket.objects.create(
            service=service, unit=division, title="Tiket", due_at=due_at, created_at=created_at,
            status=DONE if done_at else "processed", status_changed_at=done_at or created_at, **fields,
        )

    return make


@pytest.fixture
def leader(agency, named):
    """A Kepala Bidang of the agency (the service's unit): reads the register, decides on every record."""
    return named(agency, Role.HEAD)
