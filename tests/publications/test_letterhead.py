"""The regency emblem on the published documents: uploaded per unit by the agency's Admin, none in the demo."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from portal.models import Unit
from portal.roles import Role
from publications.models import Decree

CIAMIS = "dppkbpppa-ciamis"


def emblem_png() -> SimpleUploadedFile:
    image = BytesIO()
    Image.new("RGB", (220, 260), "darkgreen").save(image, "PNG")
    return SimpleUploadedFile("lambang-ciamis.png", image.getvalue(), content_type="image/png")


def images_drawn(client, name, *args) -> list[int]:
    """How many images each page of a PDF draws (pypdf's page.images lists what pages share, drawn or not)."""
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    counts = []
    for page in PdfReader(BytesIO(response.content)).pages:
        xobjects = page["/Resources"].get("/XObject", {})
        drawn = []

        def before_operator(operator, operands, cm, tm):
            if operator == b"Do" and operands[0] in xobjects:
                drawn.append(xobjects[operands[0]].get_object()["/Subtype"] == "/Image")

        page.extract_text(visitor_operand_before=before_operator)
        counts.append(sum(drawn))
    return counts


@pytest.fixture
def agency_admin(client, loaded, make_user):
    user = make_user(Unit.objects.get(code=CIAMIS), Role.ADMIN)
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


def unit_form(unit: Unit, **changes) -> dict:
    """The unit's change form as the admin posts it, its service hours left as they are."""
    fields = ["code", "name", "short_name", "kind", "government_name", "agency_name", "address", "phone", "fax",
              "email", "website"]
    return {
        **{name: getattr(unit, name) for name in fields},
        "hours-TOTAL_FORMS": "0", "hours-INITIAL_FORMS": "0",
        **changes,
    }


def test_the_demo_ships_no_emblem_and_its_documents_print_none(client, loaded):
    assert not Unit.objects.exclude(logo="").exists()
    assert not any(images_drawn(client, "public_decree_pdf", Decree.objects.get().pk))
    assert not any(images_drawn(client, "public_standard_pdf", "p2tp2a-ciamis"))
    assert not any(images_drawn(client, "public_sop_pdf", "p2tp2a-ciamis"))


def test_the_agencys_admin_uploads_its_emblem(agency_admin):
    unit = Unit.objects.get(code=CIAMIS)
    change = reverse("admin:portal_unit_change", args=[unit.pk])
    assert 'enctype="multipart/form-data"' in agency_admin.get(change).content.decode()

    response = agency_admin.post(change, unit_form(unit, logo=emblem_png()))

    assert response.status_code == 302, response.context["adminform"].form.errors
    unit.refresh_from_db()
    assert unit.logo.name.startswith("logos/lambang-ciamis")
    assert unit.hours.count() == 5


def test_an_uploaded_emblem_heads_the_agencys_documents_once_published(
    agency_admin, client, django_capture_on_commit_callbacks
):
    unit = Unit.objects.get(code=CIAMIS)
    decree = Decree.objects.get()
    client.get(reverse("public_decree_pdf", args=[decree.pk]))  # rendered and stored without the emblem

    with django_capture_on_commit_callbacks(execute=True):
        agency_admin.post(reverse("admin:portal_unit_change", args=[unit.pk]), unit_form(unit, logo=emblem_png()))

    # The kop surat on the decree's first page, and the header block of each sheet of its Lampiran.
    decree_pages = images_drawn(client, "public_decree_pdf", decree.pk)
    assert decree_pages[0] == 1 and sum(decree_pages) == 3
    standard_pages = images_drawn(client, "public_standard_pdf", "alokon-ciamis")
    assert standard_pages[0] == 1 and sum(standard_pages) == 1
    assert images_drawn(client, "public_sop_pdf", "p2tp2a-ciamis")[0] == 1
    assert not any(images_drawn(client, "public_sop_pdf", "identitas-ppks-purwakarta"))  # another agency's


def test_an_admin_cannot_upload_a_file_that_is_not_an_image(agency_admin):
    unit = Unit.objects.get(code=CIAMIS)
    not_an_image = SimpleUploadedFile("lambang.png", b"bukan gambar", content_type="image/png")
    change = reverse("admin:portal_unit_change", args=[unit.pk])

    response = agency_admin.post(change, unit_form(unit, logo=not_an_image))

    assert response.status_code == 200
    assert "logo" in response.context["adminform"].form.errors
    unit.refresh_from_db()
    assert not unit.logo
