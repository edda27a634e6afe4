"""The public pages lead to the service: each standard's page and each card of the index give the agency's contact,
the national hotline for violence against women and children, a complaint button and the satisfaction survey."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Service, Unit
from publications.agencies import phone_links
from publications.models import DraftingNote, Publication, StandardComponent
from publications.publishing import Index

ADDED = "Ditambahkan oleh portal; tidak tercantum dalam dokumen standar."
TAG = re.compile(r"<[^>]+>")


def text_of(fragment):
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def contact_section(client, slug):
    """The "Kontak dan pengaduan" section of a standard's page, as HTML."""
    response = client.get(reverse("public_standard", args=[slug]))
    assert response.status_code == 200
    return re.search(r'<section class="card mb-3 service-contact".*?</section>', response.content.decode(), re.S)[0]


def index_card(client, name):
    """The index's card of the service named `name`, as HTML."""
    page = client.get(reverse("public_index")).content.decode()
    cards = [card for card in page.split('<li class="list-group-item service">')[1:] if f">{name}</h3>" in card]
    assert len(cards) == 1, name
    return cards[0]


def contact_line(fragment, label):
    """The text of one line of a contact list, e.g. "Alamat: ... Ditambahkan oleh portal; ..."."""
    lines = [text_of(line) for line in re.findall(r'<li class="mb-1">(.*?)</li>', fragment, re.S)]
    found = [line for line in lines if line.startswith(f"{label}:")]
    assert len(found) == 1, (label, lines)
    return found[0]


def test_the_p2tp2a_page_gives_the_address_and_telephone_each_marked_as_the_portals(client, loaded):
    agency = Unit.objects.get(code="dppkbpppa-ciamis")
    section = contact_section(client, "p2tp2a-ciamis")

    assert contact_line(section, "Alamat") == f"Alamat: {agency.address} {ADDED}"
    # "(0265) 773788-776670", as the letterhead prints it, is two numbers of one area: each a link a phone can dial.
    assert contact_line(section, "Telepon") == (
        f"Telepon: (0265) 773788-776670 (hubungi (0265) 773788 atau (0265) 776670 ) {ADDED}"
    )
    assert '<a href="tel:+62265773788">(0265) 773788</a>' in section
    assert '<a href="tel:+62265776670">(0265) 776670</a>' in section


def test_the_p2tp2a_page_gives_the_hotline_and_what_to_do_in_danger_marked_as_the_portals(client, loaded):
    section = contact_section(client, "p2tp2a-ciamis")
    hotline = text_of(re.search(r'<div class="alert alert-danger[^"]*service-hotline".*?</div>', section, re.S)[0])

    assert "Dalam bahaya sekarang? Telepon 112 atau datangi kantor polisi terdekat." in hotline
    assert "SAPA 129 , gratis: telepon 129 , WhatsApp 08111-129-129 ." in hotline
    assert hotline.endswith(ADDED)
    assert 'href="tel:112"' in section
    assert 'href="tel:129"' in section
    assert 'href="https://wa.me/628111129129"' in section
    # It stands first, above the summary and the standard's table.
    page = client.get(reverse("public_standard", args=["p2tp2a-ciamis"])).content.decode()
    assert page.index("service-hotline") < page.index("service-summary") < page.index("standard-table")


def test_what_the_portal_adds_to_the_p2tp2a_standard_is_listed_in_its_catatan_penyusunan(client, loaded):
    page = text_of(client.get(reverse("public_standard", args=["p2tp2a-ciamis"])).content.decode())

    for code in ["p2tp2a-standar-kontak", "p2tp2a-standar-sapa-129"]:
        note = DraftingNote.objects.get(code=code)
        assert f"{note.as_shown}: tidak ada dalam dokumen asli; belum dikonfirmasi instansi." in page, code


def test_a_confirmed_addition_is_no_longer_marked(client, loaded):
    DraftingNote.objects.filter(code="p2tp2a-standar-kontak").update(confirmed_at="2026-01-05T09:00:00+07:00")
    Publication.objects.all().delete()

    section = contact_section(client, "p2tp2a-ciamis")

    assert ADDED not in contact_line(section, "Alamat")
    assert ADDED in text_of(section)  # the hotline is the portal's own, always marked


def test_only_a_service_about_violence_gives_the_hotline(client, loaded):
    assert "SAPA 129" not in contact_section(client, "alokon-ciamis")
    assert "SAPA 129" not in contact_section(client, "identitas-ppks-purwakarta")
    assert "SAPA 129" in index_card(client, "Pelayanan dan Pendampingan P2TP2A")


def test_the_alokon_card_has_a_complaint_button_and_the_contact(client, loaded):
    agency = Unit.objects.get(code="dppkbpppa-ciamis")
    card = index_card(client, "Penyaluran Alat dan Obat Kontrasepsi")

    button = re.search(r'<a class="btn[^"]*" href="([^"]*)">Sampaikan pengaduan<span class="visually-hidden">: (.*?)</span>', card)
    assert button[1] == f"{reverse('complaints:new')}?layanan=alokon-ciamis"
    assert button[2] == "Penyaluran Alat dan Obat Kontrasepsi"  # each card's button says which service it is for
    assert f'href="{reverse("survey:public", args=["alokon-ciamis"])}"' in card
    assert contact_line(card, "Alamat") == f"Alamat: {agency.address} {ADDED}"
    assert "SAPA 129" not in card


@pytest.mark.parametrize("slug", ["p2tp2a-ciamis", "alokon-ciamis", "identitas-ppks-purwakarta"])
def test_the_complaint_button_and_survey_link_carry_the_service(client, loaded, slug):
    section = contact_section(client, slug)

    assert f'href="{reverse("complaints:new")}?layanan={slug}">Sampaikan pengaduan</a>' in section
    assert f'href="{reverse("survey:public", args=[slug])}">Isi survei kepuasan</a>' in section


def test_the_purwakarta_page_shows_the_letterheads_email_and_the_one_its_standard_writes(client, loaded):
    section = contact_section(client, "identitas-ppks-purwakarta")

    assert 'href="mailto:dinsosp3a.purwakarta@gmail.com"' in section
    assert "Pos-el: <a href=\"mailto:dinsosp3a.purwakarta@gmail.com\">" in section
    assert contact_line(section, "Pos-el") == (
        "Pos-el: dinsosp3a.purwakarta@gmail.com Dokumen standar menulis dinsosp3a.kab.purwakarta@gmail.com; "
        "alamat di atas tertulis pada kop surat dinas."
    )
    # Its standard stands on the letterhead, which prints the address, telephone and website: nothing is marked.
    assert ADDED not in text_of(section)
    assert 'href="https://dinsosp3a.purwakartakab.go.id" rel="noopener"' in section
    assert 'href="tel:+622648304578"' in section
    # The index's card says the same.
    card = index_card(client, "Fasilitasi Pembuatan Identitas Kependudukan bagi PPKS Terlantar")
    assert "Dokumen standar menulis dinsosp3a.kab.purwakarta@gmail.com" in text_of(card)


def test_the_standard_keeps_its_email_as_printed_and_says_so(client, loaded):
    page = text_of(client.get(reverse("public_standard", args=["identitas-ppks-purwakarta"])).content.decode())

    assert "dinsosp3a.kab.purwakarta@gmail.com (tertulis demikian dalam dokumen asli; lihat Catatan penyusunan" in page
    assert '"dinsosp3a.kab.purwakarta@gmail.com": tertulis demikian dalam dokumen asli' in page


def test_a_unit_without_contact_gives_no_empty_lines(client, loaded):
    Unit.objects.filter(code="dppkbpppa-ciamis").update(address="", phone="", email="", website="")
    Publication.objects.all().delete()

    section = contact_section(client, "alokon-ciamis")

    assert "service-contact-lines" not in section
    assert "Sampaikan pengaduan" in section


def test_script_in_a_units_address_is_escaped(client, loaded):
    Unit.objects.filter(code="dppkbpppa-ciamis").update(address='<script>alert("x")</script> Jl. Ahmad Yani')
    Publication.objects.all().delete()

    for url in [reverse("public_index"), reverse("public_standard", args=["p2tp2a-ciamis"])]:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Jl. Ahmad Yani" in page, url


def add_services(agency, first, count):
    """`count` services under new divisions of `agency`, each with a standard and a drafting note."""
    for n in range(first, first + count):
        division = Unit.objects.create(code=f"bidang-{n}", name=f"Bidang {n}", kind=Unit.Kind.DIVISION, parent=agency)
        service = Service.objects.create(slug=f"layanan-{n}", name=f"Layanan {n}", unit=division, app="cases")
        StandardComponent.objects.create(
            service=service, label="Penanganan Pengaduan", content="Email : lain@contoh.go.id", order=1
        )
        DraftingNote.objects.create(
            code=f"layanan-{n}-kontak", document="standard", service=service, kind="addition",
            as_shown=f"Kontak: alamat {agency.address}",
        )


def test_the_index_reads_every_cards_contact_in_the_same_number_of_queries(loaded, django_capture_on_commit_callbacks):
    agency = Unit.objects.get(code="dppkbpppa-ciamis")
    with django_capture_on_commit_callbacks(execute=False):  # no rendering of the stale documents in between
        agency.email = "dinas@contoh.go.id"
        agency.save()
        add_services(agency, 0, 1)
        with CaptureQueriesContext(connection) as few:
            small = Index().page()
        add_services(agency, 1, 10)
        with CaptureQueriesContext(connection) as many:
            large = Index().page()

    assert "Layanan 0" in small and "Layanan 10" in large
    assert large.count("Dokumen standar menulis lain@contoh.go.id") == 11
    assert large.count(ADDED) > small.count(ADDED)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_phone_links_dial_each_number_a_letterhead_names():
    assert phone_links("(0265) 773788-776670") == [
        ("(0265) 773788", "tel:+62265773788"), ("(0265) 776670", "tel:+62265776670"),
    ]
    assert phone_links("0264-8304578") == [("0264-8304578", "tel:+622648304578")]
    assert phone_links("0812-3456-7890") == [("0812-3456-7890", "tel:+6281234567890")]
    assert phone_links("129") == [("129", "tel:129")]
    assert phone_links("lihat kop surat") == []
