"""Fixtures for the PPKS identity facilitation, on top of tests/conftest.py (government > agency, with its hours).

    government (pemkab)
    └── agency (dinas): Mon-Thu 08.00-14.45, Fri 08.00-11.00, worked by every unit below
        ├── rehdayasos (bidang): `identitas_service` runs here; `kabid` and `team` work here
        └── division (bidang): `outside_officer` works here, outside the service

Users (each a fresh user holding one role through a Membership):
    kabid            Role.HEAD of Rehdayasos: reviews reports, reads every identity
    team             three officers (Role.OFFICER) of Rehdayasos: the Tim Kerja, who read every identity
    agency_head      Role.AGENCY_HEAD of the agency: an observer, sees the register, reads no identity
    outside_officer  an officer of another division: sees nothing of the service
    faskes_user      Role.FASKES in the agency: no business here

Helpers (fixtures returning functions):
    new_facilitation(**fields)     recorded through identitas.services.facilitation_create (status "report")
    fire(record, name, actor)      portal.services.transition_fire from the record's current status
    take(record, actor, name, **fields)  the step taken through its form, as the page does (step_take)
    facilitation_at(status)        a facilitation walked through the real steps until it waits in `status`; the
                                   population record, requested in step 3, arrives in step 5 unless obtained=False
    refused(record, match)         a context manager: the block must raise TransitionError and change nothing
"""

from contextlib import contextmanager
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from identitas import services
from identitas.policy import agency_minutes
from identitas.models import (
    AccessLog,
    DisdukcapilWait,
    Facilitation,
    FollowUp,
    IssuedDocument,
    Notes,
    Person,
    PpksCategory,
    Reporter,
    RequirementWaiver,
)
from portal.models import Kecamatan, Service, TransitionLog, Unit
from portal.roles import Office, Role
from portal.services import attachment_add, step_take, transition_fire
from portal.workflow import TransitionError


@pytest.fixture
def rehdayasos(agency):
    return Unit.objects.create(
        code="rehdayasos", name="Bidang Rehabilitasi dan Pemberdayaan Sosial", short_name="Rehdayasos",
        kind=Unit.Kind.DIVISION, parent=agency,
    )


@pytest.fixture
def identitas_service(rehdayasos):
    return Service.objects.create(
        slug="identitas-ppks", name="Fasilitasi Pembuatan Identitas Kependudukan bagi PPKS Terlantar",
        unit=rehdayasos, app="identitas",
    )


@pytest.fixture
def kabid(rehdayasos, make_user):
    return make_user(rehdayasos, Role.HEAD, username="kabid", office=Office.DIVISION_HEAD)


@pytest.fixture
def team(rehdayasos, make_user):
    return [make_user(rehdayasos, Role.OFFICER, username=f"tim{n}") for n in (1, 2, 3)]


@pytest.fixture
def agency_head(agency, make_user):
    return make_user(agency, Role.AGENCY_HEAD, username="kadis", office=Office.AGENCY_HEAD)


@pytest.fixture
def outside_officer(division, make_user):
    return make_user(division, Role.OFFICER, username="luar")


@pytest.fixture
def faskes_user(agency, make_user):
    return make_user(agency, Role.FASKES, username="faskes")


@pytest.fixture
def kecamatan(government):
    return Kecamatan.objects.create(regency=government, name="Kecamatan Contoh")


@pytest.fixture
def category(db):
    return PpksCategory.objects.get(code="lanjut_usia_telantar")


WIB = ZoneInfo("Asia/Jakarta")


def wib(*args):
    return datetime(*args, tzinfo=WIB)


@contextmanager
def now_is(moment):
    """The services' clock at `moment`: django.utils.timezone.now is what they read. (The demo moves the whole
    clock with time-machine; a test needs only the services' reading of it.)"""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


# A valid NIK of a man born 1 January 1950 in regency 32.14.
NIK = "3214010101500001"


@pytest.fixture
def new_facilitation(identitas_service, team, category):
    """new_facilitation(by=None, received_at=None, **person): a report recorded in step 1 by the first officer."""

    def create(*, by=None, received_at=None, report="Seorang lansia tidur di emperan pasar.", **person):
        person.setdefault("name", "Mbah Karta")
        person.setdefault("sex", "L")
        person.setdefault("estimated_age", 75)
        return services.facilitation_create(
            service=identitas_service,
            actor=by or team[0],
            facilitation=Facilitation(
                channel=Facilitation.Channel.PHONE, received_at=received_at or timezone.now(), category=category
            ),
            person=Person(**person),
            reporter=Reporter(name="Ketua RT 02", contact="0812-0000-0000", relation="Tetangga"),
            report=report,
        )

    return create


def current(record):
    return Facilitation.objects.get(pk=record.pk)


def take(record, actor, transition, **fields):
    """Take the record's current step through its form (Step.form) as its page does, with `fields` by name;
    `transition` "simpan" saves them only. A refusal raises as on the page (StepRefused, TransitionError)."""
    record = current(record)
    data = {"transition": transition, "expected_status": record.status, **fields}
    form = record.workflow.step_form(record.step)(
        {f"langkah-{name}": value for name, value in data.items()}, record=record, user=actor
    )
    assert form.is_valid(), form.errors
    return step_take(record, form=form, actor=actor)


@pytest.fixture
def fire():
    def fire_(record, name, actor, note=""):
        record = current(record)
        return transition_fire(record, name=name, actor=actor, expected_status=record.status, note=note)

    return fire_


@pytest.fixture
def facilitation_at(new_facilitation, fire, kabid, team, kecamatan):
    """facilitation_at(status): a new facilitation taken through every step before `status` (the real services)."""

    def walk(status, *, obtained=True, **kwargs):
        record = new_facilitation(**kwargs)
        officer = team[0]
        for step in ("report", "review", "record", "outreach", "analysis", "accompaniment", "result_report", "archive"):
            record = current(record)
            if record.status == status:
                return record
            if step == "report":
                fire(record, "report", officer)
            elif step == "review":
                fire(record, "review.accept", kabid)
            elif step == "record":
                attachment_add(
                    record, kind="dtks_letter", file=ContentFile(b"%PDF-1.4 surat", name="dtks.pdf"), actor=officer
                )
                take(
                    record, officer, "record", population_recorded=Notes.Recorded.NO,
                    population_record=Facilitation.Requirement.REQUESTED, dtks_letter=Facilitation.Requirement.ATTACHED,
                )
            elif step == "outreach":
                take(
                    record, officer, "outreach", found_address="Pasar Rebo, kios 12", kecamatan=kecamatan.pk,
                    condition="Sehat, pendengaran kurang.", photo_consent=Notes.PhotoConsent.GIVEN,
                )
            elif step == "analysis":
                if obtained:  # Disdukcapil sent the population record asked of it in step 3
                    attachment_add(
                        record, kind="population_record", file=ContentFile(b"%PDF-1.4 rekam", name="rekam.pdf"),
                        actor=officer,
                    )
                take(record, officer, "analysis", needs_analysis="Perlu NIK dan KTP-el.")
            elif step == "accompaniment":
                services.document_add(
                    record, actor=officer, expected_status="accompaniment", kind="nik", number=NIK,
                    issued_on=timezone.localdate(),
                )
                fire(record, "accompaniment", officer)
            elif step == "result_report":
                take(
                    record, officer, "result_report", summary="NIK terbit.",
                    missed_reason="Disdukcapil ramai." if agency_minutes(record) > 300 else "",
                )
            elif step == "archive":
                for follow_up in FollowUp.objects.filter(facilitation=record):
                    services.follow_up_update(
                        record, actor=officer, expected_status="archive", kind=follow_up.kind,
                        state=FollowUp.State.DONE, done_on=timezone.localdate(),
                    )
                fire(record, "archive", officer)
        record = current(record)
        assert record.status == status, f"walked to {record.status}, not {status}"
        return record

    return walk


def record_state(record):
    """Everything stored about a facilitation, to compare before and after a refused write."""
    pk = record.pk
    return {
        "record": list(Facilitation.objects.filter(pk=pk).values()),
        "person": list(Person.objects.filter(pk=pk).values()),
        "reporter": list(Reporter.objects.filter(pk=pk).values()),
        "notes": list(Notes.objects.filter(pk=pk).values()),
        "documents": list(IssuedDocument.objects.filter(facilitation_id=pk).values()),
        "waits": list(DisdukcapilWait.objects.filter(facilitation_id=pk).values()),
        "follow_ups": list(FollowUp.objects.filter(facilitation_id=pk).values()),
        "waivers": list(RequirementWaiver.objects.filter(facilitation_id=pk).values()),
        "log": TransitionLog.objects.filter(object_id=pk).count(),
        "access": AccessLog.objects.filter(facilitation_id=pk).count(),
    }


@pytest.fixture
def refused():
    @contextmanager
    def check(record, match):
        before = record_state(record)
        with pytest.raises(TransitionError, match=match):
            yield
        assert record_state(record) == before

    return check
