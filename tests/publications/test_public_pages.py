"""The published standards, SOP sheets and decree (/publik/): open to everyone, every printed word shown."""

import html
import re
from datetime import time, timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from portal.models import Service, ServiceHours, Unit, sop_models
from publications import agencies, versions
from publications.models import Decree, Publication, SOPDocument, StandardComponent, StepsSnapshot
from publications.publishing import Index, publish

SERVICES = ["p2tp2a-ciamis", "alokon-ciamis", "identitas-ppks-purwakarta"]
MARKER = re.compile(r"^\s*(?:[a-z]\.|\d+\.|-)\s+")
TAG = re.compile(r"<[^>]+>")
# The mark beside a text kept as printed (as_printed_marked): read around it to find the text whole.
AS_PRINTED_MARK = re.compile(r' <span class="as-printed">[^<]*</span>')


def words(text):
    return " ".join(text.split())


def page_text(response):
    """The visible text of a page: tags dropped, entities decoded, whitespace collapsed."""
    assert response.status_code == 200
    return words(html.unescape(TAG.sub(" ", AS_PRINTED_MARK.sub("", response.content.decode()))))


def content_lines(content):
    """Each line of a standard's Uraian without its list marker ("a. ", "1. ", "- ")."""
    return [words(MARKER.sub("", line)) for line in content.splitlines() if line.strip()]


def public_urls():
    decree = Decree.objects.get()
    return [
        reverse("public_index"),
        *(reverse("public_standard", args=[slug]) for slug in SERVICES),
        *(reverse("public_sop", args=[slug]) for slug in SERVICES),
        reverse("public_decree", args=[decree.pk]),
    ]


def test_every_public_page_opens_without_login(client, loaded):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Standar Pelayanan Publik" in response.content.decode()
        assert "sessionid" not in response.cookies


def test_the_public_pages_refuse_a_post(client, loaded):
    assert client.post(reverse("public_index")).status_code == 405


def test_the_index_lists_each_agency_with_its_letterhead_and_services(client, loaded):
    text = page_text(client.get(reverse("public_index")))

    for code in ["dppkbpppa-ciamis", "dinsos-p3a-purwakarta"]:
        agency = Unit.objects.get(code=code)
        for value in [agency.name, agency.address, agency.phone]:
            assert words(value) in text
    assert "dinsosp3a.purwakarta@gmail.com" in text
    assert "dinsosp3a.purwakartakab.go.id" in text
    for service in Service.objects.all():
        assert service.name in text
    # Units without services (the Pemkab, the UPTD) are not agencies here.
    assert "Pemerintah Kabupaten Ciamis" not in text
    assert "UPTD P5A Kecamatan Ciamis" not in text


def test_the_index_groups_consecutive_days_with_equal_hours(client, loaded):
    text = page_text(client.get(reverse("public_index")))

    assert "Senin – Kamis 08.00 – 14.45 WIB Jumat 08.00 – 11.00 WIB" in text
    assert "Senin – Kamis 08.00 – 16.00 WIB" in text


def test_the_index_shows_how_to_complain_from_each_standard(client, loaded):
    text = page_text(client.get(reverse("public_index")))

    complaints = StandardComponent.objects.filter(label__icontains="Pengaduan")
    assert complaints.count() == 2
    for component in complaints:
        for line in content_lines(component.content):
            assert line in text


def test_the_index_links_each_standard_sop_and_decree(client, loaded):
    page = client.get(reverse("public_index")).content.decode()

    for slug in SERVICES:
        assert f'href="{reverse("public_standard", args=[slug])}"' in page
        assert f'href="{reverse("public_sop", args=[slug])}"' in page
    assert f'href="{reverse("public_decree", args=[Decree.objects.get().pk])}"' in page


def test_the_index_is_served_in_one_query_and_rendered_in_a_fixed_number(
    client, loaded, django_assert_num_queries, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_assert_max_num_queries(20) as rendering:
        publish(Index())
    agency = Unit.objects.get(code="dppkbpppa-ciamis")
    with django_capture_on_commit_callbacks(execute=False):  # rendered below, where its queries are counted
        for n in range(5):
            division = Unit.objects.create(code=f"bidang-{n}", name=f"Bidang {n}", kind=Unit.Kind.DIVISION, parent=agency)
            Service.objects.create(slug=f"layanan-{n}", name=f"Layanan {n}", unit=division, app="alokon")
    with django_assert_max_num_queries(len(rendering.captured_queries)):
        publish(Index())
    with django_assert_num_queries(1):
        text = page_text(client.get(reverse("public_index")))
    assert "Layanan 4" in text


def test_a_published_document_and_its_pdf_are_served_in_one_query(client, loaded, django_assert_num_queries):
    decree = Decree.objects.get().pk
    urls = [
        reverse("public_standard", args=["alokon-ciamis"]), reverse("public_standard_pdf", args=["alokon-ciamis"]),
        reverse("public_sop", args=["alokon-ciamis"]), reverse("public_sop_pdf", args=["alokon-ciamis"]),
        reverse("public_decree", args=[decree]), reverse("public_decree_pdf", args=[decree]),
    ]
    for url in urls:
        client.get(url)  # rendered at the first request if never published
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200, url


def test_a_document_never_published_is_still_found_and_an_unknown_one_is_404(client, loaded):
    Publication.objects.filter(key="standard:alokon-ciamis").delete()
    assert client.get(reverse("public_standard", args=["alokon-ciamis"])).status_code == 200
    assert client.get(reverse("public_standard", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("public_sop_pdf", args=["tidak-ada"])).status_code == 404


def test_the_standard_page_prints_every_component_of_the_seeds(client, loaded):
    components = list(StandardComponent.objects.all())
    assert len(components) == 41
    pages = {slug: page_text(client.get(reverse("public_standard", args=[slug]))) for slug in SERVICES}
    for component in components:
        text = pages[component.service_id]
        assert words(f"{component.number} {component.label}") in text
        for line in content_lines(component.content):
            assert line in text, f"{component}: {line!r}"


def test_the_standard_page_heads_each_section_with_its_letter(client, loaded):
    page = client.get(reverse("public_standard", args=["alokon-ciamis"])).content.decode()

    assert page.count('class="standard-section"') == 2
    assert re.search(r'<td class="col-no">A</td>\s*<th class="col-section"[^>]*>Service Delivery', page)
    assert re.search(r'<td class="col-no">B</td>\s*<th class="col-section"[^>]*>Manufacturing', page)


def test_the_flat_standard_has_no_section_rows(client, loaded):
    page = client.get(reverse("public_standard", args=["identitas-ppks-purwakarta"])).content.decode()

    assert 'class="standard-section"' not in page
    assert page.count('class="standard-component') == 14


def test_the_standard_page_links_its_pdf_and_sop(client, loaded):
    page = client.get(reverse("public_standard", args=["alokon-ciamis"])).content.decode()

    assert f'href="{reverse("public_standard_pdf", args=["alokon-ciamis"])}"' in page
    assert f'href="{reverse("public_sop", args=["alokon-ciamis"])}"' in page


def test_the_sop_page_prints_the_header_every_list_line_and_every_step(client, loaded):
    for sop in SOPDocument.objects.select_related("service"):
        text = page_text(client.get(reverse("public_sop", args=[sop.service_id])))
        for value in [sop.sheet_title, sop.title, sop.number, sop.approver_title, sop.approver_name, sop.name]:
            assert words(value) in text
        if sop.approver_nip:
            assert f"NIP. {sop.approver_nip}" in text
        lines = [
            *sop.legal_bases_lines, *sop.qualifications_lines, *sop.related_sops_lines,
            *sop.equipment_lines, *sop.warnings_lines, *sop.records_lines,
        ]
        for line in lines:
            assert words(line) in text, f"{sop}: {line!r}"
        workflow = sop_models()[sop.service.app].workflow
        for step in workflow.steps:
            assert words(step.name) in text, f"{sop}: {step.name!r}"
            assert words(step.output) in text
        for executor in workflow.executors:
            assert executor.label in text


def test_the_sop_page_draws_the_activity_table_and_its_legend(client, loaded):
    page = client.get(reverse("public_sop", args=["alokon-ciamis"])).content.decode()

    assert 'class="sop-activity"' in page
    assert page.count('class="sop-step"') == len(sop_models()["alokon"].workflow.steps)
    assert "Keterangan simbol" in page
    for name in ["Terminator", "Proses", "Keputusan", "Panah"]:
        assert name in page
    # Only the symbols drawn: the table never draws an off-page connector.
    assert "Penghubung antarhalaman" not in page
    assert f'href="{reverse("public_sop_pdf", args=["alokon-ciamis"])}"' in page


def test_a_service_without_an_sop_sheet_has_no_sop_page(client, loaded):
    SOPDocument.objects.filter(service_id="alokon-ciamis").delete()

    assert client.get(reverse("public_sop", args=["alokon-ciamis"])).status_code == 404
    assert 'href="/publik/layanan/alokon-ciamis/sop/"' not in client.get(
        reverse("public_standard", args=["alokon-ciamis"])
    ).content.decode()


def test_the_decree_page_prints_every_item_as_printed(client, loaded):
    decree = Decree.objects.get()
    text = page_text(client.get(reverse("public_decree", args=[decree.pk])))

    assert f"KEPUTUSAN BUPATI CIAMIS NOMOR : {decree.number}" in text
    assert words(f"TENTANG {decree.title} BUPATI CIAMIS,") in text
    assert "Menimbang : a. bahwa Standar" in text
    assert "Mengingat : 1. Undang-Undang Nomor 14 Tahun 1950" in text
    for line in [*decree.considerations_lines, *decree.legal_bases_lines, *decree.copies_to_lines]:
        assert words(line) in text
    for decision in decree.decisions.all():
        assert decision.ordinal in text
        for line in content_lines(decision.text):
            assert line in text
    for value in ["MEMUTUSKAN:", "Menetapkan", "Ditetapkan di Ciamis", "pada tanggal Nopember 2024", "a.n BUPATI CIAMIS"]:
        assert value in text
    assert words(f"{decree.signatory_title} {decree.signatory_name} NIP. {decree.signatory_nip}") in text
    assert "Tembusan : Yth. 1. Bapak Bupati Ciamis;" in text


def test_the_decree_links_the_sops_it_enacts(client, loaded):
    decree = Decree.objects.get()
    page = client.get(reverse("public_decree", args=[decree.pk])).content.decode()

    for slug in ["p2tp2a-ciamis", "alokon-ciamis"]:
        assert f'href="{reverse("public_sop", args=[slug])}"' in page
    assert f'href="{reverse("public_decree_pdf", args=[decree.pk])}"' in page


def test_unknown_documents_are_404(client, loaded):
    assert client.get(reverse("public_standard", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("public_sop", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("public_decree", args=[999])).status_code == 404


# Versions.


def edit_in_admin(admin_client, component, content):
    url = reverse("admin:publications_standardcomponent_change", args=[component.pk])
    response = admin_client.post(url, {
        "service": component.service_id, "section": component.section, "number": component.number,
        "label": component.label, "content": content, "order": component.order,
    })
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_admin_edit_changes_the_page_and_the_old_version_stays_readable(
    client, admin_client, loaded, django_capture_on_commit_callbacks
):
    component = StandardComponent.objects.get(service_id="alokon-ciamis", label="Jangka Waktu Pelayanan")
    url = reverse("public_standard", args=["alokon-ciamis"])
    client.get(url)  # rendered and stored
    before_edit = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        edit_in_admin(admin_client, component, "3 (tiga) hari kerja sejak permintaan diterima")

    current = page_text(client.get(url))
    assert "3 (tiga) hari kerja sejak permintaan diterima" in current
    assert "Jangka Waktu Pelayanan 2 hari" not in current
    old = page_text(client.get(url, {"versi": versions.version_param(before_edit)}))
    assert "Jangka Waktu Pelayanan 2 hari" in old
    assert "3 (tiga) hari kerja" not in old
    assert f"Teks sebagaimana di portal pada {date_format(timezone.localtime(before_edit), 'j F Y H.i')} WIB" in old
    assert "Lihat versi terkini" in old


def test_an_old_version_is_linked_to_its_pdf_and_sop_and_back_to_the_current_one(client, loaded):
    moment = timezone.now()
    param = versions.version_param(moment)
    page = client.get(reverse("public_standard", args=["alokon-ciamis"]), {"versi": param}).content.decode()

    query = html.escape("?versi=" + param.replace("+", "%2B").replace(":", "%3A"))
    assert f'href="{reverse("public_standard_pdf", args=["alokon-ciamis"])}{query}"' in page
    assert f'href="{reverse("public_sop", args=["alokon-ciamis"])}{query}"' in page
    assert f'href="{reverse("public_standard", args=["alokon-ciamis"])}"' in page


def test_the_standard_page_lists_its_change_dates_as_versions(client, admin_client, loaded):
    StandardComponent.history.update(history_date=F("history_date") - timedelta(days=3))
    loaded_at = StandardComponent.history.filter(service_id="alokon-ciamis").latest("history_date").history_date
    component = StandardComponent.objects.get(service_id="alokon-ciamis", label="Biaya/Tarif")
    component.content = "Tidak dipungut biaya"
    component.save()
    edited_at = component.history.latest("history_date").history_date

    url = reverse("public_standard", args=["alokon-ciamis"])
    page = client.get(url).content.decode()

    assert "Riwayat perubahan" in page
    old_link = html.escape(f"{url}?versi={versions.version_param(loaded_at)}".replace("+", "%2B").replace(":", "%3A"))
    assert f'href="{old_link}"' in page
    assert f"{date_format(timezone.localtime(edited_at), 'j F Y H.i')} WIB" in page_text(client.get(url))
    assert f"{date_format(timezone.localtime(loaded_at), 'j F Y H.i')} WIB" in page_text(client.get(url))
    old = page_text(client.get(url, {"versi": versions.version_param(loaded_at)}))
    assert "Biaya/Tarif Gratis" in old


@pytest.mark.parametrize(
    "value",
    ["kemarin", "2025-13-45", "2025-02-30T10:00", "0001-01-01T00:00:00+14:00", "<b>x</b>", "10000-01-01",
     "2025-06-01T10:00:00+99:00", "2025-06-01\x00"],
)
def test_a_bad_version_shows_the_current_one_with_a_note(client, loaded, value):
    for url in public_urls()[1:]:
        response = client.get(url, {"versi": value})
        assert response.status_code == 200, (url, value)
        text = page_text(response)
        assert "yang ditampilkan versi terkini" in text
        assert "<b>x</b>" not in response.content.decode()


def test_a_version_before_the_documents_existed_shows_the_current_one_with_a_note(client, loaded):
    for url in public_urls()[1:]:
        text = page_text(client.get(url, {"versi": "2000-01-01"}))
        assert "Dokumen ini belum ada pada 1 Januari 2000 23.59 WIB" in text


def test_a_version_still_to_come_is_the_current_one(client, loaded):
    text = page_text(client.get(reverse("public_standard", args=["alokon-ciamis"]), {"versi": "2999-01-01"}))

    assert "Teks sebagaimana di portal pada" not in text
    assert "versi terkini" not in text


def test_an_old_sop_and_decree_version_show_their_old_text(client, loaded):
    before_edit = timezone.now()
    sop = SOPDocument.objects.get(service_id="alokon-ciamis")
    sop.number = "000.8.3.3/2000 - DPPKBPPPA.1"
    sop.save()
    decree = Decree.objects.get()
    kesatu = decree.decisions.get(ordinal="KESATU")
    kesatu.text = "Teks diktum yang diubah."
    kesatu.save()

    sop_url = reverse("public_sop", args=["alokon-ciamis"])
    assert "000.8.3.3/2000" in page_text(client.get(sop_url))
    assert "000.8.3.3/1954" in page_text(client.get(sop_url, {"versi": versions.version_param(before_edit)}))
    decree_url = reverse("public_decree", args=[decree.pk])
    assert "Teks diktum yang diubah." in page_text(client.get(decree_url))
    old = page_text(client.get(decree_url, {"versi": versions.version_param(before_edit)}))
    assert "Teks diktum yang diubah." not in old
    assert "KESATU : Standar Operasional Prosedur Administrasi Pemerintahan" in old


# The helpers behind the pages.


def hours(*rows):
    return [ServiceHours(weekday=d, opens=o, closes=c) for d, o, c in rows]


def test_hours_lines_groups_consecutive_days_with_equal_hours():
    week = hours(*[(d, time(8), time(14, 45)) for d in range(4)], (4, time(8), time(11)))
    assert agencies.hours_lines(week) == ["Senin – Kamis 08.00 – 14.45 WIB", "Jumat 08.00 – 11.00 WIB"]


def test_hours_lines_keeps_days_apart_when_a_day_between_differs_or_is_missing():
    week = hours((0, time(8), time(12)), (2, time(8), time(12)), (3, time(8), time(12)), (5, time(9), time(11)))
    assert agencies.hours_lines(week) == [
        "Senin 08.00 – 12.00 WIB", "Rabu – Kamis 08.00 – 12.00 WIB", "Sabtu 09.00 – 11.00 WIB",
    ]


def test_hours_lines_prints_a_break_in_the_day():
    week = hours((0, time(8), time(12)), (0, time(13), time(15)), (1, time(8), time(12)), (1, time(13), time(15)))
    assert agencies.hours_lines(week) == ["Senin – Selasa 08.00 – 12.00, 13.00 – 15.00 WIB"]


def test_parse_moment_reads_iso_dates_and_times_in_wib():
    moment = versions.parse_moment("2025-03-05T10:30:00")
    assert timezone.localtime(moment).isoformat() == "2025-03-05T10:30:00+07:00"
    assert versions.parse_moment("2025-03-05T03:30:00Z") == moment
    assert versions.parse_moment("2025-03-05T10:30:00 07:00") == moment  # an unencoded "+"
    assert timezone.localtime(versions.parse_moment("2025-03-05")).time() == time.max
    assert versions.parse_moment("") is None
    assert versions.parse_moment("2999-01-01") is None
    moment = timezone.now() - timedelta(days=1)
    assert versions.parse_moment(versions.version_param(moment)) == moment


@pytest.mark.parametrize("value", ["x", "2025-02-30", "0001-01-01T00:00:00+14:00", "2025-03-05T25:00"])
def test_parse_moment_rejects_what_names_no_moment(value):
    with pytest.raises(versions.InvalidVersion):
        versions.parse_moment(value)


def test_change_moments_merges_a_burst_of_saves_into_its_last_one():
    start = timezone.now()
    dates = [start, start + timedelta(seconds=1), start + timedelta(seconds=2), start + timedelta(days=1)]
    assert versions.change_moments(reversed(dates)) == [dates[2], dates[3]]


def pdf_urls():
    decree = Decree.objects.get()
    return [
        *(reverse("public_standard_pdf", args=[slug]) for slug in SERVICES),
        *(reverse("public_sop_pdf", args=[slug]) for slug in SERVICES),
        reverse("public_decree_pdf", args=[decree.pk]),
    ]


def test_an_offset_the_database_cannot_store_is_read_in_utc_not_a_500(client, loaded):
    # PostgreSQL refuses a time zone offset beyond 15:59; the moment is the same instant in UTC.
    for url in public_urls():
        assert client.get(url, {"versi": "2025-06-01T10:00:00+16:00"}).status_code == 200, url
    for url in pdf_urls():
        assert client.get(url, {"versi": "2025-06-01T10:00:00+16:00"}).status_code == 404, url  # before the documents


def test_a_repeat_visit_with_the_same_version_costs_a_304(client, loaded):
    for url in public_urls() + pdf_urls():
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["Cache-Control"] == "public, no-cache"
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert (again.status_code, again.content) == (304, b""), url
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304, url


def test_a_changed_document_answers_a_stale_etag_with_the_new_page(client, loaded, django_capture_on_commit_callbacks):
    url = reverse("public_standard", args=["alokon-ciamis"])
    etag = client.get(url)["ETag"]
    component = StandardComponent.objects.get(service_id="alokon-ciamis", label="Jangka Waktu Pelayanan")
    component.content = "3 (tiga) hari kerja"
    with django_capture_on_commit_callbacks(execute=True):
        component.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "3 (tiga) hari kerja" in page_text(response)


def test_an_sop_version_older_than_the_kept_activity_tables_says_so(client, loaded):
    sheet_saved = SOPDocument.history.filter(service_id="alokon-ciamis").latest("history_date").history_date
    StepsSnapshot.objects.update(taken_at=timezone.now())  # as if the first table kept were newer than the sheet
    moment = versions.version_param(sheet_saved + timedelta(microseconds=1))
    url = reverse("public_sop", args=["alokon-ciamis"])
    text = page_text(client.get(url, {"versi": moment}))
    assert "Tabel kegiatan SOP yang berlaku pada" in text and "tidak tersimpan" in text
    assert client.get(reverse("public_sop_pdf", args=["alokon-ciamis"]), {"versi": moment}).status_code == 404


def test_the_sop_page_links_the_logo_through_the_portal_not_the_media_folder(client, loaded):
    from django.core.files.base import ContentFile

    agency = Unit.objects.get(code="dppkbpppa-ciamis")
    agency.logo.save("lambang.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    page = client.get(reverse("public_sop", args=["alokon-ciamis"])).content.decode()
    assert '/publik/logo/dppkbpppa-ciamis/' in page
    assert "/media/" not in page
    response = client.get(reverse("public_logo", args=["dppkbpppa-ciamis"]))
    assert (response.status_code, b"".join(response.streaming_content)) == (200, b"\x89PNG\r\n\x1a\n")
    assert client.get(reverse("public_logo", args=["dinsos-p3a-purwakarta"])).status_code == 404
    assert client.get("/media/" + agency.logo.name).status_code == 404


def test_a_cycle_in_the_unit_tree_does_not_hang_the_public_pages(client, loaded):
    # The admin refuses a cycle (Unit.clean); data changed behind its back must still not loop a worker.
    agency = Unit.objects.get(code="dppkbpppa-ciamis")
    Unit.objects.filter(code="ciamis").update(parent=agency)
    for url in public_urls():
        assert client.get(url).status_code == 200, url
