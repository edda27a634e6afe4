"""Kecamatan and desa from Kemendagri's list of kode wilayah: read for one regency, imported all or nothing."""

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Desa, Kecamatan, Unit
from portal.regions import RegionListError, import_regions, read_region_list
from portal.roles import Role

pytestmark = pytest.mark.django_db

# The shape of the published list: the whole country, province and regency rows included, names in capitals.
NATIONAL = """kode,nama
32,JAWA BARAT
32.07,KABUPATEN CONTOH
32.07.01,CIAMIS
32.07.01.1001,CIAMIS
32.07.01.2002,PAWINDAN
32.07.02,CIKONENG
32.07.02.2001,CIKONENG
32.07.02.2002,SINDANGSARI
32.14,KABUPATEN PURWAKARTA
32.14.01,PURWAKARTA
32.14.01.1001,NAGRI KIDUL
"""


def read(text, regency_code="32.07", encoding="utf-8"):
    return read_region_list(io.BytesIO(text.encode(encoding)), regency_code)


def desa_of(regency):
    return sorted(Desa.objects.filter(kecamatan__regency=regency).values_list("kecamatan__name", "code", "name"))


# Reading the list.


def test_only_the_regencys_kecamatan_and_desa_are_read_and_their_names_written_as_names():
    regions = read(NATIONAL)
    assert regions.regency_name == "Kabupaten Contoh"
    assert regions.kecamatan == {"32.07.01": "Ciamis", "32.07.02": "Cikoneng"}
    assert regions.desa == {
        "32.07.01.1001": "Ciamis", "32.07.01.2002": "Pawindan", "32.07.02.2001": "Cikoneng",
        "32.07.02.2002": "Sindangsari",
    }


def test_a_spreadsheet_with_semicolons_codes_without_dots_and_windows_characters_reads_the_same():
    text = "Kode;Nama Wilayah\r\n320701;Ciamis\r\n3207012002;Pawindan\r\n3207012003;Désa Contoh\r\n"
    regions = read(text, encoding="cp1252")
    assert regions.kecamatan == {"32.07.01": "Ciamis"}
    assert regions.desa == {"32.07.01.2002": "Pawindan", "32.07.01.2003": "Désa Contoh"}
    assert read("\ufeff" + text.replace("é", "e")).kecamatan == {"32.07.01": "Ciamis"}  # UTF-8 with a BOM


@pytest.mark.parametrize("text, message", [
    ("kode,nama\n32.07.01,Ciamis\n32.7.01,Cikoneng\n", "Baris 3: \u201c32.7.01\u201d bukan kode wilayah"),
    ("32.07.01,Ciamis\n32.07.01.2001,\n", "Baris 2: kode 32.07.01.2001 tanpa nama."),
    ("32.07.01,Ciamis\n32.07.01,Cikoneng\n", "Baris 2: kode 32.07.01 sudah ada dengan nama lain (Ciamis)."),
    ("32.14.01,Purwakarta\n", "Berkas ini tidak memuat kode wilayah di bawah 32.07."),
    ("", "Berkas ini tidak memuat kode wilayah di bawah 32.07."),
])
def test_a_faulty_list_is_refused_with_the_line_and_the_reason(text, message):
    with pytest.raises(RegionListError) as refused:
        read(text)
    assert any(error.startswith(message) for error in refused.value.errors), refused.value.errors


def test_a_file_with_many_faults_reports_the_first_twenty():
    text = "32.07.01,Ciamis\n" + "".join(f"x{i},Salah\n" for i in range(50))
    with pytest.raises(RegionListError) as refused:
        read(text)
    assert len(refused.value.errors) == 20


def test_a_file_far_larger_than_the_national_list_is_refused_unread(monkeypatch):
    monkeypatch.setattr("portal.regions.MAX_FILE_SIZE", 100)
    with pytest.raises(RegionListError, match="Berkas lebih dari 0 MB"):
        read("32.07.01,Ciamis\n" * 10)


# Importing it.


def test_an_empty_regency_gets_its_kecamatan_and_desa(government):
    counts, touched = import_regions(government, read(NATIONAL))
    assert (counts.kecamatan_added, counts.kecamatan_updated, counts.desa_added, counts.desa_updated) == (2, 0, 4, 0)
    assert sorted(Kecamatan.objects.values_list("code", "name")) == [("32.07.01", "Ciamis"), ("32.07.02", "Cikoneng")]
    assert desa_of(government) == [
        ("Ciamis", "32.07.01.1001", "Ciamis"), ("Ciamis", "32.07.01.2002", "Pawindan"),
        ("Cikoneng", "32.07.02.2001", "Cikoneng"), ("Cikoneng", "32.07.02.2002", "Sindangsari"),
    ]
    assert {kecamatan.name for kecamatan in touched} == {"Ciamis", "Cikoneng"}


def test_importing_the_same_list_again_changes_nothing(government):
    import_regions(government, read(NATIONAL))
    before = desa_of(government)
    counts, touched = import_regions(government, read(NATIONAL))
    assert (counts.kecamatan_added, counts.kecamatan_updated, counts.desa_added, counts.desa_updated) == (0, 0, 0, 0)
    assert touched == []
    assert desa_of(government) == before


def test_rows_typed_by_hand_are_matched_by_name_and_get_their_codes_and_renamed_desa_their_new_names(government):
    ciamis = Kecamatan.objects.create(regency=government, name="ciamis")
    typed = Desa.objects.create(kecamatan=ciamis, name="PAWINDAN")
    renamed = Desa.objects.create(kecamatan=ciamis, name="Ciamis Lama", code="32.07.01.1001")
    counts, _ = import_regions(government, read(NATIONAL))
    assert (counts.kecamatan_added, counts.kecamatan_updated, counts.desa_added, counts.desa_updated) == (1, 1, 2, 2)
    ciamis.refresh_from_db(), typed.refresh_from_db(), renamed.refresh_from_db()
    assert (ciamis.code, ciamis.name) == ("32.07.01", "Ciamis")
    assert (typed.code, typed.name) == ("32.07.01.2002", "Pawindan")
    assert (renamed.code, renamed.name) == ("32.07.01.1001", "Ciamis")
    assert Kecamatan.objects.count() == 2 and Desa.objects.count() == 4


def test_a_desa_whose_kecamatan_is_nowhere_saves_nothing(government):
    regions = read("32.07.01,Ciamis\n32.07.01.2002,Pawindan\n32.07.09.2001,Entah\n")
    with pytest.raises(RegionListError, match="kecamatan 32.07.09 tidak ada"):
        import_regions(government, regions)
    assert not Kecamatan.objects.exists() and not Desa.objects.exists()


def test_a_desa_under_a_kecamatan_coded_earlier_in_the_portal_is_imported_alone(government):
    Kecamatan.objects.create(regency=government, name="Ciamis", code="32.07.01")
    counts, _ = import_regions(government, read("32.07.01.2002,Pawindan\n"))
    assert counts.desa_added == 1
    assert desa_of(government) == [("Ciamis", "32.07.01.2002", "Pawindan")]


def test_another_regencys_list_is_refused(government):
    with pytest.raises(RegionListError, match="kode 32.14 adalah Kabupaten Purwakarta, bukan Pemerintah Kabupaten"):
        import_regions(government, read(NATIONAL, "32.14"))
    Kecamatan.objects.create(regency=government, name="Ciamis", code="32.07.01")
    with pytest.raises(RegionListError, match="berkode 32.07, bukan di bawah 32.14"):
        import_regions(government, read("32.14.01,Purwakarta\n", "32.14"))
    assert Kecamatan.objects.count() == 1 and not Desa.objects.exists()


def test_a_name_the_portal_gave_another_code_is_refused_rather_than_doubled(government):
    Kecamatan.objects.create(regency=government, name="Ciamis", code="32.07.09")
    with pytest.raises(RegionListError, match="Kecamatan Ciamis: dua kode \\(32.07.09, 32.07.01\\)"):
        import_regions(government, read(NATIONAL))
    assert Kecamatan.objects.count() == 1 and not Desa.objects.exists()


def test_the_import_takes_as_many_queries_for_a_large_regency_as_for_a_small_one(government):
    def queries(regency, kecamatan_count):
        rows = "".join(
            f"32.07.{k:02d},Kecamatan {k}\n" + "".join(f"32.07.{k:02d}.{2000 + d},Desa {k}-{d}\n" for d in range(1, 11))
            for k in range(1, kecamatan_count + 1)
        )
        with CaptureQueriesContext(connection) as captured:
            import_regions(regency, read(rows))
        return len(captured)

    other = Unit.objects.create(code="pemkab-lain", name="Pemerintah Kabupaten Contoh", kind=Unit.Kind.GOVERNMENT)
    assert queries(government, 2) == queries(other, 27)
    assert Desa.objects.filter(kecamatan__regency=other).count() == 270


# The admin page.


def upload(client, regency, text, code="32.07"):
    return client.post(reverse("admin:portal_kecamatan_import"), {
        "regency": regency.pk, "regency_code": code,
        "file": SimpleUploadedFile("kode-wilayah.csv", text.encode(), content_type="text/csv"),
    })


def test_the_agencys_admin_imports_its_regencys_list_from_the_kecamatan_list(client, portal_admin, government):
    client.force_login(portal_admin)
    page = client.get(reverse("admin:portal_kecamatan_changelist")).content.decode()
    assert reverse("admin:portal_kecamatan_import") in page
    form = client.get(reverse("admin:portal_kecamatan_import"))
    assert form.status_code == 200
    assert form.context["form"]["regency"].initial == government

    response = upload(client, government, NATIONAL)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:portal_kecamatan_changelist")
    assert len(desa_of(government)) == 4
    listed = client.get(response["Location"])
    message = [str(m) for m in listed.context["messages"]]
    assert message == ["Kode wilayah Pemerintah Kabupaten Contoh diimpor: 2 kecamatan baru, 0 diperbarui; "
                       "4 desa/kelurahan baru, 0 diperbarui."]
    assert [row.desa_count for row in listed.context["cl"].result_list] == [2, 2]
    assert LogEntry.objects.filter(user=portal_admin, object_repr__in=["Ciamis", "Cikoneng"]).count() == 2


def test_a_faulty_file_is_shown_back_with_its_faults_and_nothing_saved(client, portal_admin, government):
    client.force_login(portal_admin)
    response = upload(client, government, "32.07.01,Ciamis\n32.7.01,Cikoneng\n")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidak ada yang disimpan" in page and "Baris 2: \u201c32.7.01\u201d bukan kode wilayah" in page
    response = upload(client, government, NATIONAL, code="3207")
    assert "Tulis kode seperti 32.07." in response.content.decode()
    assert not Kecamatan.objects.exists()


def test_a_name_a_spreadsheet_would_read_as_a_formula_is_refused_by_its_line_and_nothing_saved(
    client, portal_admin, government
):
    # Names are written into the recap's and the faskes' spreadsheets.
    text = "32.07,KABUPATEN CONTOH\n32.07.01,=1+1\n32.07.01.2001,+Desa\n32.07.01.2002,-Desa\n32.07.01.2003,@SUM(A1)\n"
    with pytest.raises(RegionListError) as refused:
        read(text)
    assert [error.split(":")[0] for error in refused.value.errors] == ["Baris 2", "Baris 3", "Baris 4", "Baris 5"]
    assert refused.value.errors[0] == (
        "Baris 2: kode 32.07.01: \u201c=1+1\u201d diawali tanda yang dibaca program spreadsheet sebagai rumus. "
        "Nama dan teks lain tidak boleh diawali =, +, -, @, tab atau enter."
    )
    client.force_login(portal_admin)
    response = upload(client, government, text)
    assert response.status_code == 200 and "Baris 5: kode 32.07.01.2003" in response.content.decode()
    assert not Kecamatan.objects.exists() and not Desa.objects.exists()


def test_names_changed_by_someone_else_during_the_import_are_reported_not_a_server_error(
    client, portal_admin, government, monkeypatch
):
    def clash(regency, regions):
        raise IntegrityError("desa_unique_name")

    monkeypatch.setattr("portal.admin.import_regions", clash)
    client.force_login(portal_admin)
    response = upload(client, government, NATIONAL)
    assert response.status_code == 200
    assert "data kecamatan berubah selama impor" in response.content.decode()


def test_an_admin_cannot_import_into_another_regency(client, portal_admin):
    elsewhere = Unit.objects.create(code="pemkab-lain", name="Pemerintah Kabupaten Lain", kind=Unit.Kind.GOVERNMENT)
    client.force_login(portal_admin)
    response = upload(client, elsewhere, NATIONAL.replace("KABUPATEN CONTOH", "KABUPATEN LAIN"))
    assert response.status_code == 200
    assert "regency" in response.context["form"].errors
    assert not Kecamatan.objects.exists()


def test_the_import_is_closed_to_anonymous_users_officers_and_staff_without_the_right(client, division, make_user):
    url = reverse("admin:portal_kecamatan_import")
    assert "/admin/login/" in client.get(url)["Location"]
    client.force_login(make_user(division, Role.OFFICER))
    assert "/admin/login/" in client.get(url)["Location"]
    staff = User.objects.create_user("staf", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
