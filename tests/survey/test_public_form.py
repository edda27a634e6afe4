"""The public survey form of a service (survey:public): anyone answers; refusals save nothing."""

import pytest
from django.urls import reverse

from portal.survey.models import Response
from portal.survey.services import RATE_LIMIT, address_hash

pytestmark = pytest.mark.django_db


def url(service):
    return reverse("survey:public", args=[service.slug])


def test_it_shows_the_nine_elements_as_labelled_radio_groups_without_login(client, service):
    response = client.get(url(service))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<fieldset") >= 10  # nine elements and the sex
    assert "<legend" in page and "1. Persyaratan" in page and "9. Sarana dan prasarana" in page
    assert "Sangat mahal" in page and "Dikelola dengan baik" in page and "Sangat sopan dan ramah" in page
    assert "D1-D3-D4" in page and "SD ke bawah" in page and "POLRI" in page
    assert 'name="website"' in page  # the honeypot


def test_an_unknown_service_is_404(client, db):
    assert client.get(reverse("survey:public", args=["tidak-ada"])).status_code == 404


def test_it_saves_an_answer_and_thanks(client, service, answer_data):
    response = client.post(url(service), answer_data(biaya="4", comment="Cepat dan ramah."))
    assert response.status_code == 302 and response["Location"] == reverse("survey:thanks")
    saved = Response.objects.get()
    assert (saved.service, saved.biaya, saved.persyaratan, saved.sex, saved.comment) == (
        service, 4, 3, "P", "Cepat dan ramah."
    )
    assert saved.invitation is None
    # The address is kept only as its HMAC.
    assert saved.client_hash == address_hash("127.0.0.1") and "127.0.0.1" not in saved.client_hash
    assert "Terima kasih" in client.get(reverse("survey:thanks")).content.decode()


@pytest.mark.parametrize("changes, message", [
    ({"waktu": "5"}, "Pilih salah satu dari empat jawaban yang tersedia."),
    ({"waktu": "0"}, "Pilih salah satu dari empat jawaban yang tersedia."),
    ({"sarana": ""}, "Pilih salah satu jawaban."),
    ({"comment": "x" * 2001}, "paling banyak 2000 karakter"),
    ({"education": "s3"}, "bukan salah satu dari pilihan yang tersedia"),
    ({"sex": ""}, "Pilih jenis kelamin."),
])
def test_invalid_input_saves_nothing_and_says_why_in_indonesian(client, service, answer_data, changes, message):
    data = answer_data(**changes)
    if data.get("sarana") == "":
        del data["sarana"]
    response = client.post(url(service), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Belum tersimpan. Periksa:" in page
    assert message in page
    assert not Response.objects.exists()


def test_the_honeypot_pretends_success_and_saves_nothing(client, service, answer_data):
    response = client.post(url(service), answer_data(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == reverse("survey:thanks")
    assert not Response.objects.exists()


def test_one_address_answers_at_most_the_limit_in_an_hour(client, service, answer_data):
    for _ in range(RATE_LIMIT):
        assert client.post(url(service), answer_data()).status_code == 302
    response = client.post(url(service), answer_data())
    assert response.status_code == 429
    assert "Terlalu banyak jawaban survei" in response.content.decode()
    assert Response.objects.count() == RATE_LIMIT
    # Another address still answers.
    assert client.post(url(service), answer_data(), REMOTE_ADDR="10.1.2.3").status_code == 302
    assert Response.objects.count() == RATE_LIMIT + 1


def test_the_form_fits_a_phone_with_the_portals_layout(client, service):
    page = client.get(url(service)).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "form-check" in page and "<table" not in page
