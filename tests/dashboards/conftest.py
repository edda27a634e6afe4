"""Fixtures of the dashboards' tests, on top of tests/conftest.py (government > agency, with its service hours):
the three SOP services of one agency, the heads who read them and those who do not, and records seeded as rows
with the times the tests count from.

    government (pemkab)
    └── agency (dinas): `alokon_service`; `agency_head` (Kepala Dinas), `storekeeper`, a faskes
        ├── division (Bidang Rehdayasos): `identitas_service`; `kabid`, `officer`
        └── p2tp2a: `case_service`; `ketua`
    other_government > other_agency: `other_case_service`; `other_head` (its Kepala Dinas)
"""

from datetime import datetime
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from alokon.models import Distribution, Facility, FacilityAccount
from cases.models import Case
from identitas.models import Facilitation, PpksCategory
from portal.complaints.models import Complaint
from portal.models import Kecamatan, Service, TransitionLog, Unit
from portal.roles import Office, Role

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args):
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def p2tp2a(agency):
    return Unit.objects.create(code="p2tp2a", name="UPTD P2TP2A", short_name="P2TP2A", kind=Unit.Kind.TECHNICAL_UNIT,
                               parent=agency)


@pytest.fixture
def case_service(p2tp2a):
    return Service.objects.create(slug="p2tp2a", name="Pendampingan Korban P2TP2A", unit=p2tp2a, app="cases")


@pytest.fixture
def identitas_service(division):
    return Service.objects.create(slug="identitas", name="Fasilitasi Identitas PPKS", unit=division, app="identitas")


@pytest.fixture
def alokon_service(agency):
    return Service.objects.create(slug="alokon", name="Penyaluran Alokon", unit=agency, app="alokon")


@pytest.fixture
def services(case_service, identitas_service, alokon_service):
    return {"cases": case_service, "identitas": identitas_service, "alokon": alokon_service}


@pytest.fixture
def agency_head(agency, make_user):
    return make_user(agency, Role.AGENCY_HEAD, username="kepala_dinas", office=Office.AGENCY_HEAD)


@pytest.fixture
def ketua(p2tp2a, make_user):
    return make_user(p2tp2a, Role.HEAD, username="ketua", office=Office.CHAIR)


@pytest.fixture
def kabid(division, make_user):
    return make_user(division, Role.HEAD, username="kabid", office=Office.DIVISION_HEAD)


@pytest.fixture
def storekeeper(agency, make_user):
    return make_user(agency, Role.STOREKEEPER, username="pengelola")


@pytest.fixture
def kecamatan(government):
    return Kecamatan.objects.create(regency=government, name="Kawali", code="32.07.08")


@pytest.fixture
def facility(agency, kecamatan):
    return Facility.objects.create(
        unit=agency, registration_number="32070801", name="Puskesmas Kawali", kind=Facility.Kind.PUSKESMAS,
        kecamatan=kecamatan,
    )


@pytest.fixture
def faskes_user(facility):
    user = get_user_model().objects.create_user(username="faskes_kawali", password="sandi-uji-panjang")
    FacilityAccount.objects.create(user=user, facility=facility)
    return user


@pytest.fixture
def other_agency(db):
    government = Unit.objects.create(code="pemkab-lain", name="Pemkab Lain", kind=Unit.Kind.GOVERNMENT)
    return Unit.objects.create(code="dinas-lain", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=government)


@pytest.fixture
def other_case_service(other_agency):
    return Service.objects.create(slug="p2tp2a-lain", name="P2TP2A Kabupaten Lain", unit=other_agency, app="cases")


@pytest.fixture
def other_head(other_agency, other_case_service, make_user):
    return make_user(other_agency, Role.AGENCY_HEAD, username="kepala_dinas_lain", office=Office.AGENCY_HEAD)


@pytest.fixture
def record(services, facility, officer):
    """record(app, status, created, changed=None, due=None): a record of the agency's service of `app` as a row, at
    the times given (`changed`: when it reached `status`, default `created`)."""
    numbers = count(1)
    category = PpksCategory.objects.get_or_create(code="terlantar", defaults={"name": "Terlantar"})[0]

    def make(app, status, created, changed=None, due=None):
        service = services[app]
        times = {"service": service, "unit": service.unit, "status": status, "created_at": created,
                 "status_changed_at": changed or created, "due_at": due}
        if app == "cases":
            return Case.objects.create(**times, year=created.year, sequence=next(numbers), channel="masyarakat")
        if app == "identitas":
            return Facilitation.objects.create(
                **times, year=created.year, sequence=next(numbers), channel="langsung", received_at=created,
                category=category, officer=officer,
            )
        return Distribution.objects.create(**times, facility=facility)

    return make


@pytest.fixture
def log():
    """log(record, [(from, to, at)]): the record's TransitionLog rows."""

    def write(record, steps):
        content_type = ContentType.objects.get_for_model(record)
        TransitionLog.objects.bulk_create(
            TransitionLog(content_type=content_type, object_id=record.pk, unit=record.unit, transition=to,
                          from_status=from_, to_status=to, at=at)
            for from_, to, at in steps
        )

    return write


@pytest.fixture
def complaint(agency):
    """complaint(about, created, status="check", due=None): a complaint about a service, recorded at its desk."""
    desk = Service.objects.create(slug="pengaduan", name="Pengaduan Dinas", unit=agency, app="complaints")
    numbers = count(1)

    def make(about, created, status="check", due=None):
        return Complaint.objects.create(
            service=desk, unit=agency, about=about, year=created.year, sequence=next(numbers), channel="portal",
            text="Isi pengaduan", follow_up_digest="x", created_at=created, due_at=due, status=status,
            status_changed_at=created,
        )

    return make
