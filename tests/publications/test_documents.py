from io import StringIO

from django.core.management import call_command
from django.template import Context, Template
from django.utils import timezone

from portal.models import Service
from publications.models import Decree, DecreeDecision, SOPDocument, StandardComponent
from publications.templatetags.documents import content_html

SECTION_A = "A. Service Delivery (Proses Penyampaian Pelayanan)"
SECTION_B = "B. Manufacturing (Proses Pengelolaan Pelayanan di Internal Organisasi)"
DOCUMENT_MODELS = [StandardComponent, SOPDocument, Decree, DecreeDecision]


def sections(slug):
    components = Service.objects.get(slug=slug).components.all()
    return [(c.section, c.number, c.label) for c in components]


def test_it_loads_the_p2tp2a_standard_in_its_two_sections(loaded):
    rows = sections("p2tp2a-ciamis")
    assert [section for section, _, _ in rows] == [SECTION_A] * 5 + [SECTION_B] * 11
    assert rows[0] == (SECTION_A, "1.", "Persyaratan")
    assert rows[5] == (SECTION_B, "1.", "Dasar Hukum")
    # The seed numbers two components "6.": kept as printed.
    assert [number for _, number, _ in rows[10:12]] == ["6.", "6."]
    assert rows[-1] == (SECTION_B, "10.", "Waktu Pelayanan")


def test_it_loads_the_alokon_standard_in_its_two_sections(loaded):
    rows = sections("alokon-ciamis")
    assert [section for section, _, _ in rows] == [SECTION_A] * 5 + [SECTION_B] * 6
    assert rows[1][2] == "Sistem/Mekanisme"
    assert rows[-1] == (SECTION_B, "6.", "Evaluasi Kinerja Pelayanan")


def test_it_loads_the_flat_purwakarta_standard(loaded):
    rows = sections("identitas-ppks-purwakarta")
    assert [(section, number) for section, number, _ in rows] == [("", f"{n}.") for n in range(1, 15)]
    assert rows[9][2] == "Pengawasan Internal"  # seed: "Pegawasan"


def test_components_are_ordered_by_their_order_within_a_service(loaded):
    for service in Service.objects.all():
        orders = list(service.components.values_list("order", flat=True))
        assert orders == list(range(1, len(orders) + 1))


def test_it_loads_the_sop_headers_but_not_their_activity_tables(loaded):
    alokon = SOPDocument.objects.get(service__slug="alokon-ciamis")
    assert alokon.number == "000.8.3.3/1954 - DPPKBPPPA.1"
    assert (alokon.approver_name, alokon.approver_nip) == ("Dr. DIAN BUDIYANA, M.Si", "19671213 199301 1 001")
    assert alokon.title.startswith("STANDAR OPERASIONAL PROSEDUR PELAYANAN PENYALURAN ALAT DAN")
    assert (len(alokon.legal_bases_lines), len(alokon.qualifications_lines)) == (9, 6)
    assert (len(alokon.equipment_lines), len(alokon.warnings_lines), len(alokon.records_lines)) == (10, 2, 5)
    assert alokon.related_sops_lines == []

    p2tp2a = Service.objects.get(slug="p2tp2a-ciamis").sop
    assert p2tp2a.name == "Pelayanan dan Pendampingan P2TP2A"
    assert (len(p2tp2a.legal_bases_lines), len(p2tp2a.qualifications_lines)) == (10, 11)
    assert p2tp2a.related_sops_lines == ["SOP Pelayanan Publik"]
    assert p2tp2a.equipment_lines[0] == "Alat Tulis Kantor"


def test_the_ppks_sop_is_drawn_from_its_standard_with_the_agency_fields_left_blank(loaded):
    sop = SOPDocument.objects.get(service__slug="identitas-ppks-purwakarta")
    assert sop.name == "Fasilitasi Pembuatan Identitas Kependudukan bagi PPKS Terlantar"
    assert (sop.number, sop.made_on, sop.approver_name) == ("", "", "")
    assert sop.approver_title == "Kepala Bidang Rehabilitasi dan Pemberdayaan Sosial"
    assert len(sop.legal_bases_lines) == 6
    assert sop.qualifications_lines[-1] == "Mampu menyusun dan membuat laporan."
    assert sop.equipment_lines == ["Dokumen", "ATK", "Kendaraan Roda 4 (Empat)", "Alat Komunikasi", "Laptop dan Kamera"]


def test_the_decree_has_four_decisions_and_kedua_enacts_the_two_ciamis_sops(loaded):
    decree = Decree.objects.get(unit__code="dppkbpppa-ciamis")
    assert [d.ordinal for d in decree.decisions.all()] == ["KESATU", "KEDUA", "KETIGA", "KEEMPAT"]
    kedua = decree.decisions.get(ordinal="KEDUA")
    assert {sop.service_id for sop in kedua.sops.all()} == {"p2tp2a-ciamis", "alokon-ciamis"}
    assert not decree.decisions.exclude(ordinal="KEDUA").filter(sops__isnull=False).exists()


def test_the_decree_keeps_its_letters_and_numbers_as_printed(loaded):
    decree = Decree.objects.get()
    assert [line[:2] for line in decree.considerations_lines] == ["a.", "b.", "c.", "d."]
    numbers = [line.split(".", 1)[0] for line in decree.legal_bases_lines]
    assert numbers == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "12", "13", "14", "16"]
    assert len(decree.copies_to_lines) == 4
    assert (decree.regent, decree.signatory_on_behalf) == ("BUPATI CIAMIS", "a.n BUPATI CIAMIS")


def test_running_load_demo_again_duplicates_nothing(loaded):
    def counts():
        return [(m.objects.count(), m.history.count()) for m in DOCUMENT_MODELS] + [
            DecreeDecision.sops.through.objects.count()
        ]

    before = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == before
    assert before[0] == (41, 41)


def test_editing_a_component_keeps_the_old_text_in_its_history(loaded):
    component = StandardComponent.objects.get(service__slug="alokon-ciamis", label="Jangka Waktu Pelayanan")
    before_edit = timezone.now()
    component.content = "3 hari"
    component.save()

    assert component.history.count() == 2
    old = StandardComponent.history.as_of(before_edit).get(id=component.pk)
    assert old.content == "2 hari"
    assert StandardComponent.history.as_of(timezone.now()).get(id=component.pk).content == "3 hari"


def test_load_demo_records_a_history_row_when_it_restores_an_edited_text(loaded):
    component = StandardComponent.objects.get(service__slug="p2tp2a-ciamis", label="Biaya/Tarif")
    component.content = "Berbayar"
    component.save()
    call_command("load_demo", stdout=StringIO())
    assert [h.content for h in component.history.all()] == ["Gratis", "Berbayar", "Gratis"]


def test_content_html_renders_paragraphs_with_their_line_breaks():
    html = content_html("Senin – Kamis\n08.00 s.d 14.45 WIB\n\nJumat\n08.00 s.d 11.00 WIB")
    assert html == "<p>Senin – Kamis<br>08.00 s.d 14.45 WIB</p>\n<p>Jumat<br>08.00 s.d 11.00 WIB</p>"


def test_content_html_keeps_the_printed_letters_of_a_list():
    html = content_html("Sarana yang dibutuhkan\na. Komputer;\nb. Lemari\n   dokumen.")
    assert html == (
        "<p>Sarana yang dibutuhkan</p>\n"
        '<ol class="content-list" style="list-style: none">'
        '<li><span class="marker">a.</span> Komputer;</li>'
        '<li><span class="marker">b.</span> Lemari<br>dokumen.</li>'
        "</ol>"
    )


def test_content_html_nests_a_list_two_spaces_deeper(loaded):
    content = StandardComponent.objects.get(label="Penanganan, Pengaduan, Saran dan Masukan").content
    html = content_html(content)
    assert html.startswith('<ul class="content-list" style="list-style: none"><li><span class="marker">-</span> ')
    assert html.count("<ul") == 1 and html.count("<ol") == 1
    assert 'tahapan sebagai berikut:<ol class="content-list" style="list-style: none">' in html
    assert '<li><span class="marker">a.</span> Cek data</li>' in html
    assert html.index("</ol></li>") < html.index("Responsif pengaduan")
    assert html.count("<li>") == 8


def test_content_html_escapes_html():
    html = content_html('<script>alert("x")</script>\n- a & b <i>')
    assert "<script>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "a &amp; b &lt;i&gt;" in html


def test_content_html_is_a_template_filter():
    template = Template("{% load documents %}{{ text|content_html }}")
    assert template.render(Context({"text": "a. <b>"})) == (
        '<ol class="content-list" style="list-style: none"><li><span class="marker">a.</span> &lt;b&gt;</li></ol>'
    )
    assert Template("{% load documents %}{{ text|content_html }}").render(Context({"text": ""})) == ""
