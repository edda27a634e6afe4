"""Fixtures for the complaint desk, on top of tests/conftest.py.

    government (pemkab)
    └── agency (dinas): the desk's service runs here; Mon-Thu 08.00-14.45, Fri 08.00-11.00
        ├── division (bidang): `about` (a service of the division) runs here; `officer` and `head` work here
        └── uptd: complaints about no one service are handled here (`general_officer`)

    team_desk      the agency's desk, handled as Ciamis' standard prints it (cek data ... koordinasi)
    escalation     a second agency's desk, handled as Purwakarta's (officer responds, official settles)
"""

import pytest

from portal.complaints import services
from portal.complaints.models import Complaint, Desk
from portal.models import Service, ServiceHours, Unit
from portal.roles import Role
from tests.conftest import AGENCY_HOURS


@pytest.fixture
def about(division):
    return Service.objects.create(slug="layanan-bidang", name="Layanan Bidang", unit=division, app="testapp")


@pytest.fixture
def team_desk(agency, uptd, about):
    service = Service.objects.create(slug="pengaduan-dinas", name="Pengaduan Dinas", unit=agency, app="complaints")
    return Desk.objects.create(service=service, procedure=Desk.Procedure.TEAM_REVIEW, general_unit=uptd)


@pytest.fixture
def other_agency(government):
    unit = Unit.objects.create(code="dinas2", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=government)
    for weekday, opens, closes in AGENCY_HOURS:
        ServiceHours.objects.create(unit=unit, weekday=weekday, opens=opens, closes=closes)
    return unit


@pytest.fixture
def other_division(other_agency):
    return Unit.objects.create(code="bidang2", name="Bidang Lain", kind=Unit.Kind.DIVISION, parent=other_agency)


@pytest.fixture
def escalation(other_agency, other_division):
    service = Service.objects.create(slug="pengaduan-dinas2", name="Pengaduan Dinas Lain", unit=other_agency,
                                     app="complaints")
    Service.objects.create(slug="layanan-lain", name="Layanan Lain", unit=other_division, app="testapp")
    return Desk.objects.create(service=service, procedure=Desk.Procedure.OFFICER_RESPONSE, general_unit=other_division)


@pytest.fixture
def general_officer(uptd, make_user):
    return make_user(uptd, Role.OFFICER)


@pytest.fixture
def submit():
    """submit(desk, about=None, address="10.0.0.1", now=None, **fields): a complaint sent from the public form;
    returns (complaint, code)."""

    def make(desk, about=None, address="10.0.0.1", now=None, **fields):
        fields.setdefault("text", "Pelayanan lambat.")
        fields.setdefault("email", "pengadu@example.org")
        return services.complaint_submit(
            desk=desk, complaint=Complaint(about=about, **fields), client_address=address, now=now,
        )

    return make
