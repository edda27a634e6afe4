"""The evaluation's pages: who reads and writes it, the draft, the signature by the rule's signer only, the frozen
signed evaluation with its PDF, the PDF and XLSX of the figures."""

from io import BytesIO

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from portal.evaluation import documents
from portal.evaluation.figures import Figures, quarter_figures
from portal.evaluation.models import Evaluation, EvaluationRule
from portal.models import Service, Unit
from portal.roles import Office, Role
from tests.downloads.flow import content, fetch
from tests.evaluation.conftest import Q3, VICTIM, wib

pytestmark = pytest.mark.django_db

INDEX = reverse("evaluation:index")
SAVE = reverse("evaluation:save")
SIGN = reverse("evaluation:sign")
QUERY = {"layanan": "tiket-dinas", "periode": "2026-Q3"}
SCRIPT = "<script>alert(1)</script>"


def post(client, user, url, version, **data):
    client.force_login(user)
    return client.post(url, {**QUERY, "version": version, **data}, follow=True)


def rows():
    return list(Evaluation.objects.order_by("pk").values())


@pytest.fixture
def records(make_ticket):
    make_ticket(wib(2026, 8, 3, 9), wib(2026, 8, 3, 12), due=wib(2026, 8, 5, 14, 45))
    make_ticket(wib(2026, 9, 3, 9), due=wib(2026, 9, 5, 14, 45))


def test_anonymous_visitors_are_sent_to_log_in(client, service):
    assert client.get(INDEX, QUERY).status_code == 302
    assert client.post(SAVE, {**QUERY, "version": 0}).status_code == 302


def test_an_officer_and_an_outsider_are_refused(client, service, rule, worker, make_user, government):
    other = Unit.objects.create(code="lain", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=government)
    outsider = make_user(other, Role.HEAD)
    client.force_login(worker)
    assert client.get(INDEX, QUERY).status_code == 403
    client.force_login(outsider)
    assert client.get(INDEX, QUERY).status_code == 404  # a service not theirs
    before = rows()
    assert client.post(SAVE, {**QUERY, "version": 0, "findings": "x"}).status_code == 404
    assert client.post(SIGN, {**QUERY, "version": 0}).status_code == 404
    assert rows() == before == []


def test_the_page_shows_the_figures_and_offers_the_draft(client, records, service, rule, superior):
    client.force_login(superior)
    response = client.get(INDEX, QUERY)
    assert response.status_code == 200
    assert response.context["figures"].received == 2
    text = response.content.decode()
    assert "Tandatangani evaluasi" in text  # the rule's signer may write and sign at once
    assert VICTIM not in text
    assert "Atasan langsung" in text or "atasan langsung" in text


def test_a_draft_is_saved_and_a_stale_edit_is_refused(client, service, rule, superior, make_user, agency):
    other_head = make_user(agency, Role.AGENCY_HEAD)
    post(client, superior, SAVE, 0, findings="Temuan pertama", follow_up="Tindak lanjut")
    draft = Evaluation.objects.get()
    assert (draft.findings, draft.version, draft.status) == ("Temuan pertama", 1, Evaluation.Status.DRAFT)
    post(client, other_head, SAVE, 1, findings="Temuan kedua", follow_up="Tindak lanjut")
    before = rows()
    response = post(client, superior, SAVE, 1, findings="Temuan basi", follow_up="x")
    assert response.status_code == 400 and "telah diubah" in response.content.decode()
    assert rows() == before and Evaluation.objects.get().findings == "Temuan kedua"
    # Nothing typed is lost: the form comes back as typed, at the version saved meanwhile, beside that text.
    form = response.context["form"]
    assert (form["findings"].value(), form["follow_up"].value(), form["version"].value()) == ("Temuan basi", "x", 2)
    assert response.context["saved_meanwhile"].findings == "Temuan kedua"
    assert "Temuan yang tersimpan" in response.content.decode()
    # Sent again after reading, it is a deliberate overwrite.
    post(client, superior, SAVE, 2, findings="Temuan gabungan", follow_up="x")
    assert Evaluation.objects.get().findings == "Temuan gabungan"
    before = rows()
    # A second new draft from a page opened before the first was saved is refused too.
    response = post(client, superior, SAVE, 0, findings="Lain", follow_up="x")
    assert rows() == before and response.context["form"]["findings"].value() == "Lain"


def test_a_refused_signature_keeps_what_was_typed(client, records, service, rule, superior):
    response = post(client, superior, SIGN, 0, findings="Temuan tanpa tindak lanjut", follow_up="")
    assert response.status_code == 400 and "Tuliskan temuan dan tindak lanjut" in response.content.decode()
    assert rows() == []
    assert response.context["form"]["findings"].value() == "Temuan tanpa tindak lanjut"
    assert response.context["saved_meanwhile"] is None


def test_the_signer_signs_the_text_as_shown_on_the_form(client, records, service, rule, superior):
    post(client, superior, SAVE, 0, findings="Draf lama", follow_up="Tindak lanjut lama")
    post(client, superior, SIGN, 1, findings="Temuan yang dibaca", follow_up="Tindak lanjut yang dibaca")
    signed = Evaluation.objects.get()
    assert signed.is_signed and (signed.findings, signed.follow_up) == ("Temuan yang dibaca", "Tindak lanjut yang dibaca")


def test_only_the_rules_signer_signs(client, records, service, rule, superior, make_user, agency):
    agency_head = make_user(agency, Role.AGENCY_HEAD, office=Office.AGENCY_HEAD)
    post(client, superior, SAVE, 0, findings="Temuan", follow_up="Tindak lanjut")
    before = rows()
    response = post(client, agency_head, SIGN, 1, findings="Temuan", follow_up="Tindak lanjut")
    assert "tidak dapat Anda tandatangani" in response.content.decode()
    assert rows() == before
    response = post(client, superior, SIGN, 1, findings="Temuan", follow_up="Tindak lanjut")
    assert "ditandatangani" in response.content.decode()
    signed = Evaluation.objects.get()
    assert signed.status == Evaluation.Status.SIGNED and signed.signer_name == "Ratna Kusumawati"
    assert signed.signed_at is not None and signed.figures["received"] == 2


def test_the_leadership_signs_where_the_standard_says_so(client, records, service, rule, make_user, agency, division):
    rule.signer = EvaluationRule.Signer.LEADERSHIP
    rule.save()
    service.unit = division
    service.save()
    kabid = make_user(division, Role.HEAD, office=Office.DIVISION_HEAD)
    secretary = make_user(division, Role.HEAD, office=Office.SECRETARY)
    post(client, secretary, SAVE, 0, findings="Temuan", follow_up="Tindak lanjut")
    before = rows()
    assert "tidak dapat Anda tandatangani" in post(
        client, secretary, SIGN, 1, findings="Temuan", follow_up="Tindak lanjut"
    ).content.decode()
    assert rows() == before
    post(client, kabid, SIGN, 1, findings="Temuan", follow_up="Tindak lanjut")
    assert Evaluation.objects.get().is_signed


@pytest.fixture
def signed(client, records, service, rule, superior):
    post(client, superior, SAVE, 0, findings=f"Temuan {SCRIPT}", follow_up="Tindak lanjut")
    post(client, superior, SIGN, 1, findings=f"Temuan {SCRIPT}", follow_up="Tindak lanjut", per_petugas="1")
    return Evaluation.objects.get()


def test_a_signed_evaluation_is_frozen(client, signed, superior, make_ticket):
    make_ticket(wib(2026, 9, 10, 9), wib(2026, 9, 10, 10))  # a record of the quarter recorded later
    before = rows()
    assert "telah diubah" in post(client, superior, SAVE, signed.version, findings="Ubah", follow_up="x").content.decode()
    assert "telah diubah" in post(
        client, superior, SIGN, signed.version, findings="Ubah", follow_up="x"
    ).content.decode()
    assert rows() == before
    assert Evaluation.objects.get().figures["received"] == 2
    # A new evaluation may follow it.
    post(client, superior, SAVE, 0, findings="Evaluasi kedua", follow_up="x")
    assert Evaluation.objects.filter(status=Evaluation.Status.DRAFT).count() == 1
    page = client.get(INDEX, QUERY)
    assert page.context["signed"] == [signed] and "Evaluasi kedua" in page.content.decode()


def test_the_signed_pdf_is_kept_and_served_to_the_heads_only(client, signed, superior, worker):
    assert signed.pdf.name and "ratna" not in signed.pdf.name.lower()
    client.force_login(superior)
    response = client.get(reverse("evaluation:signed_pdf", args=[signed.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert "tiket-dinas" in disposition and "2026-Q3" in disposition and "Ratna" not in disposition
    client.force_login(worker)
    assert client.get(reverse("evaluation:signed_pdf", args=[signed.pk])).status_code == 403


def test_script_in_the_findings_is_escaped(client, signed, superior, service):
    client.force_login(superior)
    text = client.get(INDEX, QUERY).content.decode()
    assert SCRIPT not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    html = render_to_string(documents.TEMPLATE, {
        "service": service, "figures": Figures.from_json(signed.figures), "evaluation": signed, "place": "",
    })
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_the_pdf_and_xlsx_of_the_figures(client, records, service, rule, superior):
    client.force_login(superior)
    response = fetch(client, "evaluation.figures", {**QUERY, "per_petugas": ""})
    assert response.status_code == 200 and content(response).startswith(b"%PDF")
    assert response["Content-Disposition"].endswith('evaluasi-kinerja-tiket-dinas-2026-q3.pdf"')
    response = client.get(reverse("evaluation:xlsx"), {**QUERY, "per_petugas": "1"})
    sheet = load_workbook(BytesIO(response.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    figures = quarter_figures(service, Q3, superior)
    assert values["Diterima"] == figures.received == 2
    assert values["Selesai"] == figures.completed == 1
    assert values["Masih berjalan pada akhir triwulan"] == 1


def test_complaint_desks_are_not_evaluated_on_their_own(client, superior, service, desk):
    client.force_login(superior)
    response = client.get(INDEX, {"layanan": desk.slug})
    assert response.status_code == 404
    assert desk not in client.get(INDEX).context["services"]
    assert isinstance(service, Service)
