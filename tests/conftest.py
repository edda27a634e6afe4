"""Fixtures shared by the whole suite: a small unit tree and users holding roles in it.

    government (pemkab)
    └── agency (dinas): Mon-Thu 08.00-14.45, Fri 08.00-11.00
        ├── division (bidang)
        └── uptd

Only the agency has service hours, so the division and the UPTD work the agency's.
"""

import os
from datetime import time
from io import StringIO
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from portal.models import Membership, Service, ServiceHours, Unit
from portal.roles import Role
from tests.testapp.models import Ticket

AGENCY_HOURS = [
    (ServiceHours.Weekday.MONDAY, time(8), time(14, 45)),
    (ServiceHours.Weekday.TUESDAY, time(8), time(14, 45)),
    (ServiceHours.Weekday.WEDNESDAY, time(8), time(14, 45)),
    (ServiceHours.Weekday.THURSDAY, time(8), time(14, 45)),
    (ServiceHours.Weekday.FRIDAY, time(8), time(11)),
]


@pytest.fixture
def government(db):
    return Unit.objects.create(code="pemkab", name="Pemerintah Kabupaten Contoh", kind=Unit.Kind.GOVERNMENT)


@pytest.fixture
def agency(government):
    unit = Unit.objects.create(
        code="dinas", name="Dinas Contoh", short_name="Dinas", kind=Unit.Kind.AGENCY, parent=government
    )
    for weekday, opens, closes in AGENCY_HOURS:
        ServiceHours.objects.create(unit=unit, weekday=weekday, opens=opens, closes=closes)
    return unit


@pytest.fixture
def division(agency):
    return Unit.objects.create(code="bidang", name="Bidang Contoh", kind=Unit.Kind.DIVISION, parent=agency)


@pytest.fixture
def uptd(agency):
    return Unit.objects.create(code="uptd", name="UPTD Contoh", kind=Unit.Kind.TECHNICAL_UNIT, parent=agency)


@pytest.fixture
def make_user(db):
    """make_user(unit, role, office=""): a new user holding `role` (a portal.roles.Role name) in `unit`, and the
    office (portal.roles.Office) through it."""
    numbers = count(1)

    def make(unit, role, *, username=None, office=""):
        username = username or f"pengguna{next(numbers)}"
        user = get_user_model().objects.create_user(username=username, password="sandi-uji-panjang")
        Membership.objects.create(user=user, unit=unit, role=Group.objects.get(name=role), office=office)
        return user

    return make


@pytest.fixture
def portal_admin(agency, make_user):
    """The agency's Admin (Role.ADMIN, staff, no superuser): it keeps the agency and the units below."""
    user = make_user(agency, Role.ADMIN, username="admin_dinas")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def portal_admin_client(client, portal_admin):
    """Logged in as portal_admin (pytest-django's admin_client is a superuser's)."""
    client.force_login(portal_admin)
    return client


@pytest.fixture
def officer(division, make_user):
    """An officer (Petugas) of the division."""
    return make_user(division, Role.OFFICER)


@pytest.fixture
def head(division, make_user):
    """A head (Kepala Bidang) of the division."""
    return make_user(division, Role.HEAD)


@pytest.fixture
def ticket_service(government):
    """The test app's service, run at the top of the tree, so every unit's tickets belong to it."""
    return Service.objects.create(slug="tiket", name="Layanan Tiket", unit=government, app="testapp")


@pytest.fixture
def new_ticket(ticket_service):
    """new_ticket(unit, **fields): an unsaved Ticket of the test service, handled by `unit`."""

    def new(unit, **fields):
        fields.setdefault("title", "Permohonan uji")
        return Ticket(service=ticket_service, unit=unit, **fields)

    return new


@pytest.fixture
def require_postgresql(db):
    """For tests of real row locks and of PostgreSQL's query plans: skipped on SQLite, except in CI, where a skip
    would hide a wrong database."""
    if connection.vendor == "postgresql":
        return
    reason = f"row locking and query plans need PostgreSQL (DATABASE_URL=postgres://...); this run uses {connection.vendor}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the suite on PostgreSQL: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="class")
def demo_loaded(request, django_db_setup, django_db_blocker):
    """load_demo in demo mode, once for the test class that asks, rolled back after its last test; returns the
    moment the load began.

    The load takes seconds; each test still rolls back its own writes (it needs `db`), so the tests stay
    independent."""
    # Outside a class, pytest would build a class-scoped fixture again for every test.
    assert request.cls, "demo_loaded is for the tests of a class"
    with django_db_blocker.unblock(), transaction.atomic():
        started = timezone.now()
        with override_settings(DEMO_MODE=True):
            call_command("load_demo", stdout=StringIO())
        yield started
        transaction.set_rollback(True)
