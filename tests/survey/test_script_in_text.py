"""Script typed into the survey never runs or leaks: the comment is kept as typed and shown escaped on the heads'
IKM page and in the admin; a refused form comes back escaped; a value outside a choice saves nothing.

Fields: the comment (through the service's public link and through a one-time link), the profile's choices (sex,
age, education, occupation), the nine elements, the honeypot, and the IKM page's period."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from portal.roles import Role
from portal.survey.elements import ELEMENT_CODES
from portal.survey.models import Response
from portal.survey.services import invitation_create

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"
INDEX = reverse("survey:index")


def assert_escaped(page, typed=SCRIPT):
    """What was typed shows on the page as text, and no tag of it is left for the browser."""
    assert escape(typed) in page
    assert_no_raw_tags(page)


def assert_no_raw_tags(page):
    assert "<script>alert" not in page and "<img src=x" not in page


@pytest.fixture
def agency_head(agency, make_user):
    return make_user(agency, Role.AGENCY_HEAD)


@pytest.fixture(params=["public", "invitation"])
def form_url(request, service, completed_ticket):
    """The service's public link, or the one-time link of a completed record."""
    if request.param == "public":
        return reverse("survey:public", args=[service.slug])
    return reverse("survey:answer", args=[invitation_create(service=service, record=completed_ticket()).token])


def test_a_script_comment_is_kept_as_typed_and_shown_escaped(client, form_url, service, answer_data, agency_head, admin_client):
    assert client.post(form_url, answer_data(comment=SCRIPT)).status_code == 302
    saved = Response.objects.get()
    assert saved.comment == SCRIPT
    assert_no_raw_tags(client.get(reverse("survey:thanks")).content.decode())
    client.force_login(agency_head)
    assert_escaped(client.get(INDEX, {"layanan": service.slug}).content.decode())
    assert_escaped(admin_client.get(reverse("admin:survey_response_change", args=[saved.pk])).content.decode())


def test_a_script_comment_in_a_refused_form_comes_back_escaped_and_saves_nothing(client, form_url, answer_data):
    data = answer_data(comment=SCRIPT)
    del data["sarana"]
    response = client.post(form_url, data)
    assert response.status_code == 400
    assert_escaped(response.content.decode())
    assert not Response.objects.exists()


@pytest.mark.parametrize("field", ["sex", "age_band", "education", "occupation", *ELEMENT_CODES])
def test_script_in_place_of_a_choice_is_refused_and_not_repeated_raw(client, service, answer_data, field):
    response = client.post(reverse("survey:public", args=[service.slug]), answer_data(**{field: SCRIPT}))
    assert response.status_code == 400
    assert_no_raw_tags(response.content.decode())
    assert not Response.objects.exists()


def test_script_in_the_honeypot_saves_nothing(client, service, answer_data):
    response = client.post(reverse("survey:public", args=[service.slug]), answer_data(website=SCRIPT, comment=SCRIPT))
    assert response.status_code == 302 and not Response.objects.exists()


def test_script_in_the_ikm_pages_period_is_escaped(client, service, agency_head):
    client.force_login(agency_head)
    response = client.get(INDEX, {"layanan": service.slug, "periode": SCRIPT})
    assert response.status_code == 200 and "tidak dikenali" in response.content.decode()
    assert_escaped(response.content.decode(), SCRIPT[:20])  # the message repeats its first 20 characters
