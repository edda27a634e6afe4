"""ALOKON in the admin: an agency's Admin keeps its faskes (by hand or from a spreadsheet) and their logins, reads
the national item list and its warehouse's ledger, and reaches no other agency's rows."""

import io
from datetime import date
from itertools import count

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from alokon.models import (
    ClosedPeriod,
    Facility,
    FacilityAccount,
    Item,
    Lot,
    Movement,
    Receipt,
    StockBalance,
)
from alokon.services import ledger
from portal.models import Kecamatan, Membership, Unit
from portal.roles import Role

pytestmark = pytest.mark.django_db

HEADER = "registration_number,name,kind,kecamatan,uptd,mkjp_mou,is_active\n"


@pytest.fixture
def other_agency(db):
    """An agency of another regency, with a kecamatan, a faskes, an Admin and a storekeeper of its own."""
    regency = Unit.objects.create(code="pemkab-lain", name="Pemerintah Kabupaten Lain", kind=Unit.Kind.GOVERNMENT)
    return Unit.objects.create(code="dinas-lain", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=regency)


@pytest.fixture
def their_kecamatan(other_agency):
    return Kecamatan.objects.create(regency=other_agency.parent, name="Kecamatan Lain")


@pytest.fixture
def their_facility(other_agency, their_kecamatan):
    return Facility.objects.create(
        unit=other_agency, registration_number="99010101", name="Puskesmas Tetangga", kind=Facility.Kind.PUSKESMAS,
        kecamatan=their_kecamatan,
    )


@pytest.fixture
def other_admin(other_agency, make_user):
    user = make_user(other_agency, Role.ADMIN, username="admin_lain")
    user.is_staff = True
    user.save()
    return user


def url(name, model, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def listed(client, model):
    response = client.get(url("changelist", model))
    assert response.status_code == 200
    return list(response.context["cl"].queryset)


def refused_as_missing(response):
    """The admin's answer to an id outside the user's scope: "does not exist", back to the index."""
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def faskes_rows():
    return sorted(Facility.objects.values_list(
        "registration_number", "name", "unit", "kind", "kecamatan", "uptd", "mkjp_mou", "is_active"
    ))


def facility_form(facility, **changes):
    data = {
        "unit": facility.unit_id, "registration_number": facility.registration_number, "name": facility.name,
        "kind": facility.kind, "kecamatan": facility.kecamatan_id, "uptd": facility.uptd_id or "",
        "mkjp_mou": "on" if facility.mkjp_mou else "", "is_active": "on" if facility.is_active else "",
    }
    return {**data, **changes}


def upload(client, content, unit, *, name="faskes.csv", file_format="0"):
    """The import's first step: the file checked in a dry run, nothing saved."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(url("import", Facility), {
        "resource": "0", "format": file_format, "unit": unit.pk, "import_file": SimpleUploadedFile(name, data),
    })


def confirm(client, response):
    """The import's second step: the preview's "confirm" button."""
    return client.post(url("process_import", Facility), response.context["confirm_form"].initial)


def row_errors(response):
    """{row number: [messages]} of the dry run's preview."""
    result = response.context["result"]
    return {row.number: [m for messages in row.error_dict.values() for m in messages] for row in result.invalid_rows}


# The faskes, by hand.


def test_the_admin_lists_opens_and_changes_its_own_faskes_only(portal_admin_client, facility, their_facility):
    assert listed(portal_admin_client, Facility) == [facility]
    assert portal_admin_client.get(url("change", Facility, facility.pk)).status_code == 200
    response = portal_admin_client.post(
        url("change", Facility, facility.pk), facility_form(facility, name="PKM Kawali")
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.name == "PKM Kawali"

    before = faskes_rows()
    assert refused_as_missing(portal_admin_client.get(url("change", Facility, their_facility.pk)))
    response = portal_admin_client.post(
        url("change", Facility, their_facility.pk), facility_form(their_facility, name="x")
    )
    assert refused_as_missing(response)
    assert portal_admin_client.get(url("history", Facility, their_facility.pk)).status_code == 404
    assert faskes_rows() == before


def test_another_agencys_admin_gets_nothing_of_ours(client, other_admin, other_agency, facility, their_facility):
    client.force_login(other_admin)
    assert listed(client, Facility) == [their_facility]
    before = faskes_rows()
    assert refused_as_missing(client.get(url("change", Facility, facility.pk)))
    assert refused_as_missing(client.post(url("change", Facility, facility.pk), facility_form(facility, name="x")))
    response = upload(client, HEADER + "32070801,Diambil Alih,klinik,Kecamatan Lain,,tidak,ya\n", other_agency)
    assert "confirm_form" not in response.context
    assert list(row_errors(response)) == [1]
    assert faskes_rows() == before


def test_the_add_form_offers_the_admins_agency_kecamatan_and_uptd_only(
    portal_admin_client, agency, uptd, division, kecamatan, their_kecamatan, other_agency
):
    Unit.objects.create(code="uptd-lain", name="UPTD Lain", kind=Unit.Kind.TECHNICAL_UNIT, parent=other_agency)
    form = portal_admin_client.get(url("add", Facility)).context["adminform"].form
    assert form.initial["unit"] == agency  # an Admin of one agency has nothing to pick
    fields = form.fields
    assert list(fields["unit"].queryset) == [agency]  # the agency whose warehouse supplies it, not a division
    assert list(fields["kecamatan"].queryset) == [kecamatan]
    assert list(fields["uptd"].queryset) == [uptd] and not fields["uptd"].required

    new = {"unit": agency.pk, "registration_number": "32070899", "name": "Klinik Baru", "kind": "klinik",
           "kecamatan": kecamatan.pk, "uptd": "", "is_active": "on"}
    for stolen in ({"kecamatan": their_kecamatan.pk}, {"unit": other_agency.pk}):
        assert portal_admin_client.post(url("add", Facility), {**new, **stolen}).status_code == 200  # the form again
        assert not Facility.objects.filter(registration_number="32070899").exists()
    assert portal_admin_client.post(url("add", Facility), new).status_code == 302
    created = Facility.objects.get(registration_number="32070899")
    assert (created.unit, created.kecamatan, created.uptd) == (agency, kecamatan, None)


def test_a_faskes_is_deactivated_never_deleted(portal_admin_client, client, facility, admin_user):
    assert portal_admin_client.post(url("delete", Facility, facility.pk), {"post": "yes"}).status_code == 403
    client.force_login(admin_user)
    assert client.post(url("delete", Facility, facility.pk), {"post": "yes"}).status_code == 403
    page = portal_admin_client.get(url("changelist", Facility)).content.decode()
    assert 'name="_selected_action"' not in page
    assert Facility.objects.filter(pk=facility.pk).exists()


# The faskes, from a spreadsheet.


def test_a_dry_run_shows_each_bad_row_in_indonesian_and_saves_nothing(
    portal_admin_client, agency, facility, kecamatan, uptd
):
    content = HEADER + (
        "32070811,Klinik Sehat,klinik,Kawali,,tidak,ya\n"
        "32070812,Bidan Siti,Praktik mandiri bidan,kawali,uptd,ya,1\n"
        "32070801,Puskesmas Kawali Baru,Puskesmas,KAWALI,UPTD Contoh,1,true\n"
        "32 07 08 13,Klinik Spasi,klinik,Kawali,,0,ya\n"
        "32070811,Klinik Dobel,dukun,Atlantis,,mungkin,ya\n"
    )
    before = faskes_rows()
    response = upload(portal_admin_client, content, agency)
    assert response.status_code == 200
    assert "confirm_form" not in response.context  # nothing to confirm until the file is right
    errors = row_errors(response)
    assert list(errors) == [4, 5]
    assert errors[4] == [
        "Nomor registrasi K/0/KB hanya berisi huruf, angka, titik, garis miring atau tanda hubung."
    ]
    assert sorted(errors[5]) == sorted([
        "Nomor 32070811 sudah ada di baris 1 berkas ini.",
        (
            "Jenis faskes tidak dikenal: dukun. Tulis salah satu: Puskesmas, Klinik, Rumah sakit, "
            "Praktik mandiri bidan, Praktik dokter."
        ),
        "Kecamatan Atlantis tidak ada di kabupaten dinas ini.",
        "Isi ya atau tidak, bukan mungkin.",
    ])
    page = response.content.decode()
    assert "Kecamatan Atlantis tidak ada di kabupaten dinas ini." in page
    assert faskes_rows() == before


def test_a_clean_file_imports_after_confirming_and_updates_a_faskes_by_its_number(
    portal_admin_client, agency, other_agency, facility, kecamatan, other_kecamatan, uptd
):
    content = (
        # A column naming an agency is no column of the resource: the faskes go to the agency of the form.
        "registration_number,name,kind,kecamatan,uptd,mkjp_mou,is_active,unit\n"
        "32070811,Klinik Sehat,klinik,Panjalu,,tidak,ya,dinas-lain\n"
        "32070812,Bidan Siti,Praktik mandiri bidan,kawali,uptd,ya,1,dinas-lain\n"
        "32070801,Puskesmas Kawali Baru,Puskesmas,Kawali,UPTD Contoh,tidak,,dinas-lain\n"
    )
    before = faskes_rows()
    preview = upload(portal_admin_client, content, agency)
    assert preview.context["result"].totals["new"] == 2 and preview.context["result"].totals["update"] == 1
    assert faskes_rows() == before  # the preview saved nothing

    response = confirm(portal_admin_client, preview)
    assert response.status_code == 302 and response["Location"] == url("changelist", Facility)
    new = Facility.objects.get(registration_number="32070811")
    assert (new.unit, new.kind, new.kecamatan, new.uptd, new.mkjp_mou, new.is_active) == (
        agency, "klinik", other_kecamatan, None, False, True
    )
    midwife = Facility.objects.get(registration_number="32070812")
    assert (midwife.unit, midwife.kind, midwife.uptd, midwife.mkjp_mou) == (agency, "bidan", uptd, True)
    facility.refresh_from_db()
    assert (facility.pk, facility.name, facility.mkjp_mou, facility.is_active) == (
        facility.pk, "Puskesmas Kawali Baru", False, True  # a blank cell leaves "aktif" as it was
    )
    assert Facility.objects.count() == 3
    assert not Facility.objects.filter(unit=other_agency).exists()


def test_a_semicolon_separated_csv_as_excel_saves_it_imports_too(portal_admin_client, agency, kecamatan):
    content = HEADER.replace(",", ";") + "32070811;Klinik Sehat, Cabang 2;klinik;Kawali;;tidak;ya\n"
    confirm(portal_admin_client, upload(portal_admin_client, content, agency))
    assert Facility.objects.get(registration_number="32070811").name == "Klinik Sehat, Cabang 2"


def test_a_row_naming_another_agencys_faskes_is_refused_not_taken_over(
    portal_admin_client, agency, kecamatan, their_facility
):
    before = faskes_rows()
    response = upload(portal_admin_client, HEADER + "99010101,Diambil Alih,klinik,Kawali,,tidak,ya\n", agency)
    assert row_errors(response) == {
        1: ["Nomor 99010101 terdaftar untuk faskes dinas lain: faskes itu tidak dapat diubah dari sini."]
    }
    assert "confirm_form" not in response.context
    assert "Puskesmas Tetangga" not in response.content.decode()  # their faskes is not shown either
    assert faskes_rows() == before


FORMULA_REFUSAL = (
    "\u201c{}\u201d diawali tanda yang dibaca program spreadsheet sebagai rumus. "
    "Nama dan teks lain tidak boleh diawali =, +, -, @, tab atau enter."
)


def formula_rows():
    """A file's rows, each with a cell a spreadsheet would read as a formula, and the one clean row after them."""
    return [
        ["32070811", "=cmd|' /C calc'!A0", "klinik", "Kawali", "", "tidak", "ya"],
        ["32070812", "+62 Klinik", "klinik", "Kawali", "", "tidak", "ya"],
        ["32070813", "@SUM(1+1)", "klinik", "Kawali", "", "tidak", "ya"],
        ["32070814", "-2+3", "klinik", "Kawali", "", "tidak", "ya"],
        ["32070815", "\t=1+1", "klinik", "Kawali", "", "tidak", "ya"],  # read without the tab: "=1+1"
        ["32070816", "'=1+1", "klinik", "Kawali", "", "tidak", "ya"],  # as the CSV export writes such a name
        ["32070817", "Klinik Sehat", "=klinik", "Kawali", "", "tidak", "ya"],
        ["32070818", "Klinik Baik", "klinik", "Kawali", "", "tidak", "ya"],
    ]


def xlsx_file(rows):
    """An XLSX of `rows`, every text a string cell: how a file brings text like "=cmd" as it is."""
    workbook = openpyxl.Workbook()
    for row in [HEADER.strip().split(","), *rows]:
        workbook.active.append(row)
    for row in workbook.active.iter_rows():
        for cell in row:
            cell.data_type = "s"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_file_with_text_that_would_start_a_formula_is_refused_row_by_row_and_nothing_imported(
    portal_admin_client, agency, facility, kecamatan, file_format
):
    rows = formula_rows()
    before = faskes_rows()
    if file_format == "csv":
        content = HEADER + "".join(",".join(row) + "\n" for row in rows)
        response = upload(portal_admin_client, content, agency)
    else:
        response = upload(portal_admin_client, xlsx_file(rows), agency, name="faskes.xlsx", file_format="1")
    assert "confirm_form" not in response.context
    assert row_errors(response) == {
        1: [FORMULA_REFUSAL.format("=cmd|' /C calc'!A0")],
        2: [FORMULA_REFUSAL.format("+62 Klinik")],
        3: [FORMULA_REFUSAL.format("@SUM(1+1)")],
        4: [FORMULA_REFUSAL.format("-2+3")],
        5: [FORMULA_REFUSAL.format("=1+1")],
        6: [FORMULA_REFUSAL.format("'=1+1")],
        7: [FORMULA_REFUSAL.format("=klinik")],
    }
    assert faskes_rows() == before


def test_the_faskes_form_refuses_a_name_that_would_start_a_formula(portal_admin_client, facility):
    before = faskes_rows()
    for name in ("=1+1", "+62 Klinik", "@SUM(1+1)", "-Klinik"):
        response = portal_admin_client.post(url("change", Facility, facility.pk), facility_form(facility, name=name))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["name"] == [FORMULA_REFUSAL.format(name)]
    assert faskes_rows() == before


def test_the_import_goes_only_into_the_admins_own_agency(portal_admin_client, agency, other_agency, kecamatan):
    response = upload(portal_admin_client, HEADER + "32070811,Klinik Sehat,klinik,Kawali,,tidak,ya\n", other_agency)
    assert "unit" in response.context["form"].errors and "result" not in response.context
    preview = upload(portal_admin_client, HEADER + "32070811,Klinik Sehat,klinik,Kawali,,tidak,ya\n", agency)
    tampered = {**preview.context["confirm_form"].initial, "unit": other_agency.pk}
    assert portal_admin_client.post(url("process_import", Facility), tampered).status_code == 200  # the form's error
    assert not Facility.objects.exists()


def test_the_confirm_step_reads_only_a_file_the_users_own_dry_run_checked(
    portal_admin_client, agency, kecamatan, other_agency, other_admin
):
    preview = upload(portal_admin_client, HEADER + "32070811,Klinik Sehat,klinik,Kawali,,tidak,ya\n", agency)
    someone_else = Client()
    someone_else.force_login(other_admin)
    stolen = {**preview.context["confirm_form"].initial, "unit": other_agency.pk}
    assert someone_else.post(url("process_import", Facility), stolen).status_code == 403
    made_up = {**preview.context["confirm_form"].initial, "import_file_name": "passwd"}
    assert portal_admin_client.post(url("process_import", Facility), made_up).status_code == 403
    assert not Facility.objects.exists()


def test_an_import_is_cancelled_whole_if_a_row_went_wrong_since_the_preview(
    portal_admin_client, agency, kecamatan, their_facility
):
    content = HEADER + "32070811,Klinik Sehat,klinik,Kawali,,tidak,ya\n32070812,Klinik Dua,klinik,Kawali,,tidak,ya\n"
    preview = upload(portal_admin_client, content, agency)
    Facility.objects.filter(pk=their_facility.pk).update(registration_number="32070812")  # taken meanwhile
    response = confirm(portal_admin_client, preview)
    assert response.status_code == 302 and response["Location"] == url("import", Facility)
    assert not Facility.objects.filter(unit=agency).exists()


def test_the_export_is_an_xlsx_of_the_agencys_faskes_that_imports_back_unchanged(
    portal_admin_client, agency, facility, other_facility, their_facility
):
    response = portal_admin_client.post(url("export", Facility), {"resource": "0", "format": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [
        ["registration_number", "name", "kind", "kecamatan", "uptd", "mkjp_mou", "is_active"],
        ["32070902", "Klinik Panjalu", "Klinik", "Panjalu", None, "tidak", "ya"],
        ["32070801", "Puskesmas Kawali", "Puskesmas", "Kawali", "uptd", "ya", "ya"],
    ]
    before = faskes_rows()
    preview = upload(portal_admin_client, response.content, agency, name="faskes.xlsx", file_format="1")
    assert preview.context["result"].totals["skip"] == 2 and not row_errors(preview)
    confirm(portal_admin_client, preview)
    assert faskes_rows() == before


def test_import_and_export_need_the_faskes_permissions_not_only_staff_status(client, division, make_user, agency):
    officer = make_user(division, Role.OFFICER)
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert client.get(url("import", Facility)).status_code == 403
    assert client.post(url("export", Facility), {"resource": "0", "format": "0"}).status_code == 403
    assert client.get(url("changelist", Facility)).status_code == 403


# The faskes' logins.


def account_form(facility, **fields):
    return {"facility": facility.pk, "user": "", "username": "", "password1": "", "password2": "", **fields}


NEW_LOGIN = {"username": "pkm.kawali", "password1": "sandi-faskes-panjang-7", "password2": "sandi-faskes-panjang-7"}


def test_the_admin_creates_a_login_for_one_of_its_faskes(portal_admin_client, facility):
    response = portal_admin_client.post(url("add", FacilityAccount), account_form(facility, **NEW_LOGIN))
    assert response.status_code == 302
    user = User.objects.get(username="pkm.kawali")
    assert user.facility_account.facility == facility and user.check_password("sandi-faskes-panjang-7")
    assert not user.is_staff and not user.is_superuser and not user.memberships.exists()


def test_the_admin_cannot_make_a_login_for_another_agencys_faskes_or_for_a_user_with_a_role(
    portal_admin_client, facility, their_facility, officer
):
    response = portal_admin_client.post(url("add", FacilityAccount), account_form(their_facility, **NEW_LOGIN))
    assert response.status_code == 200 and "facility" in response.context["adminform"].form.errors
    response = portal_admin_client.post(url("add", FacilityAccount), account_form(facility, user=officer.pk))
    assert response.status_code == 200 and "user" in response.context["adminform"].form.errors
    assert not FacilityAccount.objects.exists() and not User.objects.filter(username="pkm.kawali").exists()


def test_an_existing_account_without_a_role_can_become_a_faskes_login(portal_admin_client, facility, officer):
    free = User.objects.create_user("bidan.siti", password="sandi-lama-panjang")
    offered = portal_admin_client.get(url("add", FacilityAccount)).context["adminform"].form.fields["user"].queryset
    assert free in offered and officer not in offered
    both = account_form(facility, user=free.pk, **NEW_LOGIN)
    assert portal_admin_client.post(url("add", FacilityAccount), both).status_code == 200  # one or the other
    response = portal_admin_client.post(url("add", FacilityAccount), account_form(facility, user=free.pk))
    assert response.status_code == 302
    assert FacilityAccount.objects.get(user=free).facility == facility
    free.refresh_from_db()
    assert free.check_password("sandi-lama-panjang")  # the Admin set no password it did not make


def test_logins_are_scoped_deactivated_not_deleted_and_left_to_a_superuser_once_given_a_role(
    portal_admin_client, faskes_user, facility, their_facility, division
):
    theirs = User.objects.create_user("faskes.tetangga")
    their_account = FacilityAccount.objects.create(user=theirs, facility=their_facility)
    ours = faskes_user.facility_account
    assert listed(portal_admin_client, FacilityAccount) == [ours]
    assert refused_as_missing(portal_admin_client.get(url("change", FacilityAccount, their_account.pk)))

    response = portal_admin_client.post(url("change", FacilityAccount, ours.pk), {"facility": facility.pk})
    assert response.status_code == 302
    faskes_user.refresh_from_db()
    assert not faskes_user.is_active
    assert portal_admin_client.post(url("delete", FacilityAccount, ours.pk), {"post": "yes"}).status_code == 403

    Membership.objects.create(user=faskes_user, unit=division, role=Group.objects.get(name=Role.OFFICER))
    assert listed(portal_admin_client, FacilityAccount) == []


def password_url(account):
    return reverse("admin:alokon_facilityaccount_password", args=[account.pk])


def test_the_admin_sets_a_new_password_for_its_faskes_login_and_its_old_session_ends(
    portal_admin_client, faskes_user
):
    faskes = Client()
    faskes.force_login(faskes_user)
    account = faskes_user.facility_account
    assert password_url(account) in portal_admin_client.get(url("change", FacilityAccount, account.pk)).content.decode()
    page = portal_admin_client.get(password_url(account)).content.decode()
    assert "Kata sandi baru" in page and "faskes_kawali" in page and 'name="usable_password"' not in page
    new = {"password1": "sandi-baru-faskes-9", "password2": "sandi-baru-faskes-9"}
    response = portal_admin_client.post(password_url(account), new)
    assert response.status_code == 302 and response["Location"] == url("change", FacilityAccount, account.pk)
    faskes_user.refresh_from_db()
    assert faskes_user.check_password("sandi-baru-faskes-9")
    response = faskes.get(reverse("alokon:distributions"))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_a_faskes_password_is_refused_when_weak_or_mistyped_and_nothing_changes(portal_admin_client, faskes_user):
    faskes_user.set_password("sandi-lama-faskes-1")
    faskes_user.save()
    account = faskes_user.facility_account
    for fields in (
        {"password1": "sandi-baru-faskes-9", "password2": "sandi-baru-faskes-8"},
        {"password1": "12345678", "password2": "12345678"},
        {"password1": "", "password2": ""},
    ):
        response = portal_admin_client.post(password_url(account), fields)
        assert response.status_code == 200 and response.context["form"].errors
    faskes_user.refresh_from_db()
    assert faskes_user.check_password("sandi-lama-faskes-1")


def test_only_the_faskes_own_agency_admin_resets_its_password(
    portal_admin_client, faskes_user, their_facility, officer, division
):
    theirs = FacilityAccount.objects.create(user=User.objects.create_user("faskes.tetangga"), facility=their_facility)
    new = {"password1": "sandi-baru-faskes-9", "password2": "sandi-baru-faskes-9"}
    assert portal_admin_client.post(password_url(theirs), new).status_code == 404
    account = faskes_user.facility_account
    Membership.objects.create(user=faskes_user, unit=division, role=Group.objects.get(name=Role.OFFICER))
    assert portal_admin_client.post(password_url(account), new).status_code == 404  # given a role: the superuser's
    for visitor in (None, officer, faskes_user):
        client = Client()
        if visitor is not None:
            client.force_login(visitor)
        response = client.post(password_url(account), new)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    faskes_user.refresh_from_db()
    assert not faskes_user.check_password("sandi-baru-faskes-9")
    assert not theirs.user.has_usable_password()


def test_a_faskes_login_has_no_way_into_the_admin(client, faskes_user):
    client.force_login(faskes_user)
    for page in (reverse("admin:index"), url("changelist", Facility), url("import", Facility)):
        response = client.get(page)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


# The item list and the ledger.


def test_the_admin_reads_the_national_item_list_and_a_superuser_keeps_it(portal_admin_client, client, admin_user, pill):
    assert listed(portal_admin_client, Item) == [pill]
    assert portal_admin_client.get(url("add", Item)).status_code == 403
    assert portal_admin_client.post(url("change", Item, pill.pk), {"name": "Diganti"}).status_code == 403
    client.force_login(admin_user)
    assert client.get(url("add", Item)).status_code == 200
    data = {"code": "pil-kb", "method": "pil", "name": "Pil KB", "unit_of_issue": "strip", "pack_size": 1,
            "tracks_lots": "on", "is_active": ""}
    assert client.post(url("change", Item, pill.pk), data).status_code == 302
    pill.refresh_from_db()
    assert (pill.name, pill.is_active) == ("Pil KB", False)
    assert client.post(url("delete", Item, pill.pk), {"post": "yes"}).status_code == 403


def test_what_the_ledger_counts_in_is_fixed_once_an_item_has_stock(client, admin_user, pill, receive):
    client.force_login(admin_user)
    assert 'name="pack_size"' in client.get(url("change", Item, pill.pk)).content.decode()
    receive(pill, 10)
    page = client.get(url("change", Item, pill.pk)).content.decode()
    assert 'name="pack_size"' not in page and 'name="unit_of_issue"' not in page and 'name="name"' in page


@pytest.fixture
def two_warehouses(agency, other_agency, make_user, pill, receive, storekeeper):
    """Stock received in our warehouse and in another agency's, and a month closed in each."""
    receive(pill, 100, lot="KITA")
    ledger.receipt_post(
        warehouse=other_agency, actor=make_user(other_agency, Role.STOREKEEPER), received_on=timezone.localdate(),
        source_document="BKKBN/lain", supplier="Perwakilan BKKBN Provinsi", funding="apbn",
        lines=[{"item": pill, "lot_number": "MEREKA", "expiry_date": date(2030, 1, 1), "quantity": 50}],
    )
    ClosedPeriod.objects.create(warehouse=agency, month=date(2025, 1, 1), closed_by=storekeeper)
    ClosedPeriod.objects.create(warehouse=other_agency, month=date(2025, 1, 1), closed_by=storekeeper)


LEDGER = [Receipt, Movement, StockBalance, ClosedPeriod]


@pytest.mark.parametrize("model", [*LEDGER, Lot])
def test_the_ledger_is_read_within_the_admins_warehouse_and_written_by_no_one(
    portal_admin_client, client, admin_user, agency, two_warehouses, model
):
    rows = listed(portal_admin_client, model)
    assert rows
    if model is Lot:
        assert [lot.number for lot in rows] == ["KITA"]
    else:
        assert {row.warehouse_id for row in rows} == {agency.pk}
    ours = rows[0]
    assert portal_admin_client.get(url("change", model, ours.pk)).status_code == 200  # its page, read only
    theirs = model.objects.exclude(pk__in=[row.pk for row in rows]).first()
    assert refused_as_missing(portal_admin_client.get(url("change", model, theirs.pk)))

    client.force_login(admin_user)
    for user_client in (portal_admin_client, client):
        assert user_client.get(url("add", model)).status_code == 403
        assert user_client.post(url("change", model, ours.pk), {}).status_code == 403
        assert user_client.post(url("delete", model, ours.pk), {"post": "yes"}).status_code == 403
        page = user_client.get(url("changelist", model)).content.decode()
        assert url("add", model) not in page and 'name="_selected_action"' not in page
    assert model.objects.filter(pk=ours.pk).exists()


def test_a_receipt_shows_its_lines(portal_admin_client, pill, receive):
    receipt = receive(pill, 100, lot="KITA")
    page = portal_admin_client.get(url("change", Receipt, receipt.pk)).content.decode()
    assert "KITA" in page and "Pil KB Kombinasi" in page


def test_distributions_reports_and_counts_stay_out_of_the_admin(portal_admin_client):
    registered = {model for model in admin.site._registry if model._meta.app_label == "alokon"}
    assert registered == {Item, Lot, Facility, FacilityAccount, Receipt, Movement, StockBalance, ClosedPeriod}
    for name in ("distribution", "monthlyreport", "stockcount", "routineplan", "receiptconfirmation"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:alokon_{name}_changelist")
    index = portal_admin_client.get(reverse("admin:index")).content.decode()
    for model in (Facility, FacilityAccount, Item, Movement):
        assert url("changelist", model) in index


# Query counts.


def same_queries_after(client, pages, grow):
    """Each page costs as many queries after `grow()` as before it, and lists one page of 50 rows at most."""
    for page in pages:
        client.get(page)
    few = {}
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        few[page] = len(queries.captured_queries)
    grow()
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert len(queries.captured_queries) == few[page], page
        assert len(response.context["cl"].result_list) <= 50


def test_the_faskes_and_login_lists_cost_the_same_queries_however_many_rows(
    portal_admin_client, agency, kecamatan, uptd
):
    numbers = count(1)

    def grow(n):
        for _ in range(n):
            number = next(numbers)
            facility = Facility.objects.create(
                unit=agency, registration_number=f"3207{number:04d}", name=f"Faskes {number}", kind="klinik",
                kecamatan=kecamatan, uptd=uptd,
            )
            user = User.objects.create_user(f"faskes{number}")
            FacilityAccount.objects.create(user=user, facility=facility)

    grow(3)
    pages = [url("changelist", Facility), url("changelist", FacilityAccount)]
    same_queries_after(portal_admin_client, pages, lambda: grow(55))


def test_the_ledger_lists_cost_the_same_queries_however_many_rows(portal_admin_client, pill, injectable, receive):
    lots = count(1)

    def grow(n):
        for _ in range(n):
            number = next(lots)
            receive(pill if number % 2 else injectable, 10, lot=f"L{number}")

    grow(3)
    pages = [url("changelist", model) for model in (Movement, Receipt, StockBalance, Lot)]
    same_queries_after(portal_admin_client, pages, lambda: grow(55))


def test_the_import_and_export_pages_speak_indonesian(portal_admin_client):
    # django-import-export ships no Indonesian catalogue: locale/id holds the strings its pages show.
    page = portal_admin_client.get(reverse("admin:alokon_facility_import")).content.decode()
    assert "Berkas yang diimpor" in page and "Kolom yang diimpor" in page
    assert "File to import" not in page and "This importer will import" not in page
    page = portal_admin_client.get(reverse("admin:alokon_facility_export")).content.decode()
    assert "Kolom yang diekspor" in page and "This exporter will export" not in page
