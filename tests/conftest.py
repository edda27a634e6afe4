"""Fixtures shared by the whole suite: a small unit tree and users holding roles in it.

    government (pemkab)
    └── agency (dinas): Mon-Thu 08.00-14.45, Fri 08.00-11.00
        ├── division (bidang)
        └── uptd

Only the agency has service hours, so the division and the UPTD work the agency's.
"""

from datetime import time
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal.models import Membership, ServiceHours, Unit
from portal.roles import Role

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
    """make_user(unit, role): a new user holding `role` (a portal.roles.Role name) in `unit`."""
    numbers = count(1)

    def make(unit, role, *, username=None):
        username = username or f"pengguna{next(numbers)}"
        user = get_user_model().objects.create_user(username=username, password="sandi-uji-panjang")
        Membership.objects.create(user=user, unit=unit, role=Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def officer(division, make_user):
    """An officer (Petugas) of the division."""
    return make_user(division, Role.OFFICER)


@pytest.fixture
def head(division, make_user):
    """A head (Kepala Bidang) of the division."""
    return make_user(division, Role.HEAD)
