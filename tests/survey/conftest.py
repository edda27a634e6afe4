"""Fixtures of the survey's tests: a service of the agency (the test SOP app's tickets) and answers to it."""

import pytest
from django.utils import timezone

from portal.models import Service
from portal.survey.elements import ELEMENT_CODES
from portal.survey.models import Response
from portal.survey.services import address_hash
from portal.workflow import DONE
from tests.testapp.models import Ticket


@pytest.fixture
def service(agency):
    """A service run by the agency: its heads oversee its survey."""
    return Service.objects.create(slug="tiket-dinas", name="Layanan Tiket Dinas", unit=agency, app="testapp")


@pytest.fixture
def answer_data():
    """answer_data(**changes): a complete POST of the survey form."""

    def data(**changes):
        values = dict.fromkeys(ELEMENT_CODES, "3")
        values.update(sex="P", age_band="30-39", education="sma", occupation="wirausaha", comment="", website="")
        values.update(changes)
        return values

    return data


@pytest.fixture
def make_responses():
    """make_responses(service, rows, at=None, **profile): saved answers, one per row of nine values."""

    def make(service, rows, *, at=None, comment="", **profile):
        at = at or timezone.now()
        fields = {"sex": "L", "age_band": "20-29", "education": "s1", "occupation": "pns"} | profile
        return Response.objects.bulk_create(
            Response(
                service=service, submitted_at=at, comment=comment, client_hash=address_hash(f"10.0.0.{number}"),
                **dict(zip(ELEMENT_CODES, values, strict=True)), **fields,
            )
            for number, values in enumerate(rows)
        )

    return make


@pytest.fixture
def completed_ticket(service, division):
    """completed_ticket(at=None): a ticket of `service` that reached its final status at `at`."""

    def make(at=None, status=DONE):
        at = at or timezone.now()
        return Ticket.objects.create(
            service=service, unit=division, title="Tiket selesai", status=status, status_changed_at=at, created_at=at
        )

    return make
