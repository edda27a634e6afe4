"""The ministry's PPKS types (Permensos 8/2012, 26 jenis PPKS): the first entries of the admin-kept list.

Created after every migrate (identitas.apps). One list for every agency: a superuser renames, reorders or
deactivates an entry, an agency's Admin reads them (as the P2TP2A's SIMFONI-PPA lists).
"""

from django.apps import apps as global_apps

from portal.models import master_items_create

LISTS = {
    "PpksCategory": [
        ("lanjut_usia_telantar", "Lanjut usia telantar"),
        ("anak_telantar", "Anak telantar"),
        ("anak_balita_telantar", "Anak balita telantar"),
        ("anak_jalanan", "Anak jalanan"),
        ("gelandangan", "Gelandangan"),
        ("pengemis", "Pengemis"),
        ("pemulung", "Pemulung"),
        ("disabilitas_telantar", "Penyandang disabilitas telantar"),
        ("anak_disabilitas", "Anak dengan kedisabilitasan"),
        ("anak_berhadapan_hukum", "Anak yang berhadapan dengan hukum"),
        ("anak_korban_kekerasan", "Anak korban tindak kekerasan"),
        ("anak_perlindungan_khusus", "Anak yang memerlukan perlindungan khusus"),
        ("tuna_susila", "Tuna susila"),
        ("bekas_warga_binaan", "Bekas warga binaan lembaga pemasyarakatan"),
        ("odha", "Orang dengan HIV/AIDS"),
        ("korban_napza", "Korban penyalahgunaan NAPZA"),
        ("korban_trafficking", "Korban perdagangan orang"),
        ("korban_kekerasan", "Korban tindak kekerasan"),
        ("pekerja_migran", "Pekerja migran bermasalah sosial"),
        ("korban_bencana_alam", "Korban bencana alam"),
        ("korban_bencana_sosial", "Korban bencana sosial"),
        ("perempuan_rawan", "Perempuan rawan sosial ekonomi"),
        ("fakir_miskin", "Fakir miskin"),
        ("keluarga_bermasalah", "Keluarga bermasalah sosial psikologis"),
        ("komunitas_adat_terpencil", "Komunitas adat terpencil"),
        ("kelompok_minoritas", "Kelompok minoritas"),
    ],
}


def create_categories(apps=global_apps, using="default", **kwargs):
    master_items_create("identitas", LISTS, apps=apps, using=using)
