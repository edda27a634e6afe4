"""Offices and a team member from another unit, on a P2TP2A case.

A step the SOP gives to the Ketua is taken by the holder of the office of Ketua or Sekretaris of the case's
P2TP2A, or by whoever acts for them (Plt.) within the appointment's dates; the letters print "Plt." before the
acting holder's jabatan. A social worker of the Dinas Sosial, put on a case's team, sees and works that case
only.
"""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases import services
from cases.documents import closure_report_pdf
from cases.models import Case
from portal import identity
from portal.models import Membership, Unit, access_for
from portal.roles import Office, Role
from portal.selectors import worklist
from portal.services import available_transitions

from .conftest import current

pytestmark = pytest.mark.django_db


def waiting_for(user):
    return set(Case.objects.filter(access_for(user).waiting_filter(Case)))


@pytest.fixture
def acting_chair(p2tp2a, make_user):
    """A Kepala Bidang of the P2TP2A, appointed Plt. Ketua from yesterday to tomorrow."""
    user = make_user(p2tp2a, Role.OFFICER, username="plt_ketua")
    today = timezone.localdate()
    Membership.objects.create(
        user=user, unit=p2tp2a, role=Group.objects.get(name=Role.HEAD), office=Office.CHAIR, acting=True,
        office_from=today - timedelta(days=1), office_until=today + timedelta(days=1), title="Ketua P2TP2A",
    )
    return user


def test_an_acting_holder_closes_within_the_dates_and_signs_as_plt(case_at, acting_chair, officers, fire):
    case = case_at("closure")
    services.notes_update(
        case, actor=officers["social_worker"], expected_status="closure", field="closure_summary", text="Selesai."
    )
    assert case in waiting_for(acting_chair)
    fire(case, "closure", acting_chair)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(closure_report_pdf(current(case)))).pages)
    assert "Plt. Ketua P2TP2A" in text


def test_an_appointment_that_ended_acts_no_more(case_at, acting_chair, refused, fire):
    Membership.objects.filter(user=acting_chair, acting=True).update(
        office_from=date(2020, 1, 1), office_until=timezone.localdate() - timedelta(days=1)
    )
    case = case_at("closure")
    assert case not in waiting_for(acting_chair)
    with refused(case, match="dilakukan oleh Ketua \\(pemegang jabatan Ketua atau Sekretaris"):
        fire(case, "closure", acting_chair)


def test_a_head_of_the_p2tp2a_without_its_office_takes_no_head_step(case_at, p2tp2a, make_user, refused, fire):
    head = make_user(p2tp2a, Role.HEAD, username="kepala_tanpa_jabatan")
    case = case_at("closure")
    assert available_transitions(current(case), head) == []
    with refused(case, match="pemegang jabatan Ketua atau Sekretaris"):
        fire(case, "closure", head)
    assert not identity.reads_identity(head, current(case))
    [work] = worklist(head)
    assert work.observing  # the start page lists the service among those the head observes


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"role": Role.OFFICER, "office": Office.CHAIR}, "dipegang dengan peran"),
        ({"role": Role.HEAD, "office": Office.CHAIR, "acting": True}, "Plt. menjabat dalam tanggal tertentu"),
        ({"role": Role.HEAD, "office": "", "acting": True}, "Pilih jabatannya"),
        (
            {"role": Role.HEAD, "office": Office.CHAIR, "office_from": date(2026, 5, 1), "office_until": date(2026, 4, 1)},
            "tidak boleh sebelum",
        ),
        ({"role": Role.HEAD, "office": Office.CHAIR}, "sudah dijabat"),  # the chair fixture holds it already
    ],
)
def test_a_membership_names_an_office_its_role_holds_with_dates_that_make_sense(
    chair, p2tp2a, make_user, fields, error
):
    user = make_user(p2tp2a, Role.OFFICER, username="calon")
    membership = Membership(user=user, unit=p2tp2a, **{**fields, "role": Group.objects.get(name=fields["role"])})
    with pytest.raises(ValidationError, match=error):
        membership.full_clean()


def test_a_new_definitive_holder_follows_when_the_last_ones_dates_end(chair, p2tp2a, make_user):
    Membership.objects.filter(user=chair).update(office_until=date(2026, 6, 30))
    successor = make_user(p2tp2a, Role.OFFICER, username="ketua_baru")
    Membership(
        user=successor, unit=p2tp2a, role=Group.objects.get(name=Role.HEAD), office=Office.CHAIR,
        office_from=date(2026, 7, 1),
    ).full_clean()


# A social worker of another agency on a case's team.


@pytest.fixture
def social_services(government):
    return Unit.objects.create(code="dinsos", name="Dinas Sosial Contoh", kind=Unit.Kind.AGENCY, parent=government)


@pytest.fixture
def guest(social_services, make_user):
    return make_user(social_services, Role.OFFICER, username="peksos_dinsos")


def test_a_social_worker_of_the_dinas_sosial_works_the_one_case_she_is_put_on(
    new_case, chair, guest, officers, fire, client
):
    case, other = new_case(), new_case()
    assert guest in services.team_candidates(case)
    services.team_assign(case, actor=chair, expected_status="report", user=guest, function="social_worker")

    assert set(Case.objects.visible_to(guest)) == {case}
    assert identity.reads_identity(guest, current(case)) and not identity.reads_identity(guest, current(other))
    # The outreach is her step on her case: her worklist shows it and the engine lets her take it.
    Case.objects.filter(pk=case.pk).update(status="outreach")
    assert waiting_for(guest) == {case}
    assert [t.name for t in available_transitions(current(case), guest)] == ["outreach"]
    [work] = worklist(guest)
    assert work.service == case.service and [record.pk for record in work.waiting] == [case.pk]
    client.force_login(guest)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[other.pk])).status_code == 404


def test_taken_off_the_team_she_sees_the_case_no_more(new_case, chair, guest, client):
    case = new_case()
    member = services.team_assign(case, actor=chair, expected_status="report", user=guest, function="social_worker")
    services.team_end(member, actor=chair, expected_status="report")
    assert not Case.objects.visible_to(guest).exists()
    assert worklist(guest) == []
    client.force_login(guest)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
