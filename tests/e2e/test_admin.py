"""The admin in the browser: an agency's Admin fills the regency's kecamatan and desa from Kemendagri's list."""

from datetime import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.models import Desa, Kecamatan, ServiceHours, Unit
from portal.roles import Role

from .conftest import check_page

pytestmark = pytest.mark.django_db(transaction=True)

LIST = """kode;nama
32.07;KABUPATEN CONTOH
32.07.01;CIAMIS
32.07.01.1001;CIAMIS
32.07.01.2002;PAWINDAN
32.07.02;CIKONENG
32.07.02.2001;CIKONENG
32.14.01;PURWAKARTA
"""


def test_the_admin_imports_kode_wilayah_and_a_faulty_file_is_shown_back(page, login, make_member, tmp_path):
    regency = Unit.objects.create(code="pemkab", name="Pemerintah Kabupaten Contoh", kind=Unit.Kind.GOVERNMENT)
    agency = Unit.objects.create(code="dinas", name="Dinas Contoh", kind=Unit.Kind.AGENCY, parent=regency)
    admin = make_member("admin.dinas", Role.ADMIN, unit=agency)
    admin.is_staff = True
    admin.save()
    good, faulty = tmp_path / "kode-wilayah.csv", tmp_path / "salah.csv"
    good.write_text(LIST)
    faulty.write_text("32.07.01;Ciamis\n32.7.02;Cikoneng\n")

    login(page, "admin.dinas", "rahasia-uji-123")
    page.goto(reverse("admin:portal_kecamatan_changelist"))
    check_page(page)
    page.get_by_role("link", name="Impor kode wilayah").click()
    check_page(page)
    expect(page.get_by_label("Pemerintah kabupaten/kota")).to_have_value(str(regency.pk))
    page.get_by_label("Kode wilayah kabupaten/kota").fill("32.07")
    page.get_by_label("Berkas kode wilayah").set_input_files(good)
    page.get_by_role("button", name="Impor").click()

    expect(page.get_by_text("2 kecamatan baru, 0 diperbarui; 3 desa/kelurahan baru")).to_be_visible()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    check_page(page)
    assert sorted(Desa.objects.values_list("code", "name")) == [
        ("32.07.01.1001", "Ciamis"), ("32.07.01.2002", "Pawindan"), ("32.07.02.2001", "Cikoneng"),
    ]

    page.get_by_role("link", name="Impor kode wilayah").click()
    page.get_by_label("Kode wilayah kabupaten/kota").fill("32.07")
    page.get_by_label("Berkas kode wilayah").set_input_files(faulty)
    page.get_by_role("button", name="Impor").click()
    expect(page.get_by_text("Tidak ada yang disimpan.")).to_be_visible()
    expect(page.get_by_text("Baris 2: \u201c32.7.02\u201d bukan kode wilayah")).to_be_visible()
    check_page(page)
    assert Kecamatan.objects.count() == 2 and Desa.objects.count() == 3


def test_the_admins_forms_with_rows_of_inputs_name_every_input(page, login, make_member):
    """A kecamatan with its desa, a unit with its service hours, an officer with their roles: tabular inlines,
    whose inputs Django labels by column only, and an account's dates, which nobody edits."""
    regency = Unit.objects.create(code="pemkab", name="Pemerintah Kabupaten Contoh", kind=Unit.Kind.GOVERNMENT)
    agency = Unit.objects.create(code="dinas", name="Dinas Contoh", kind=Unit.Kind.AGENCY, parent=regency)
    ServiceHours.objects.create(unit=agency, weekday=0, opens=time(8), closes=time(15))
    kecamatan = Kecamatan.objects.create(regency=regency, name="Ciamis", code="32.07.01")
    Desa.objects.create(kecamatan=kecamatan, name="Pawindan", code="32.07.01.2002")
    admin = make_member("admin.dinas", Role.ADMIN, unit=agency)
    admin.is_staff = True
    admin.save()
    officer = make_member("petugas.dinas", Role.OFFICER, unit=agency)

    login(page, "admin.dinas", "rahasia-uji-123")
    for url in (
        reverse("admin:portal_kecamatan_change", args=[kecamatan.pk]),
        reverse("admin:portal_unit_change", args=[agency.pk]),
        reverse("admin:auth_user_change", args=[officer.pk]),
    ):
        page.goto(url)
        expect(page.locator("#content-main form")).to_be_visible()
        check_page(page)
    expect(page.get_by_label("Hapus").first).to_be_visible()  # the membership row's deletion checkbox
