"""The SIMFONI-PPA categories: the first entries of the P2TP2A's admin-kept lists.

Created after every migrate, like the role groups (cases.apps): a missing entry is added, an existing one
is left as the agency's Admin keeps it (renamed, reordered or deactivated).
"""

from django.apps import apps as global_apps

from portal.models import master_items_create

LISTS = {
    "ViolenceType": [
        ("fisik", "Fisik"),
        ("psikis", "Psikis"),
        ("seksual", "Seksual"),
        ("eksploitasi", "Eksploitasi"),
        ("trafficking", "Trafficking (TPPO)"),
        ("penelantaran", "Penelantaran"),
        ("lainnya", "Lainnya"),
    ],
    "PlaceType": [
        ("rumah_tangga", "Rumah tangga"),
        ("tempat_kerja", "Tempat kerja"),
        ("sekolah", "Sekolah"),
        ("fasilitas_umum", "Fasilitas umum"),
        ("daring", "Daring (online)"),
        ("lainnya", "Lainnya"),
    ],
    "PerpetratorRelation": [
        ("orang_tua", "Orang tua"),
        ("keluarga", "Keluarga/saudara"),
        ("suami_istri", "Suami/istri"),
        ("tetangga", "Tetangga"),
        ("pacar_teman", "Pacar/teman"),
        ("guru", "Guru"),
        ("majikan", "Majikan"),
        ("rekan_kerja", "Rekan kerja"),
        ("lainnya", "Lainnya"),
    ],
    "ServiceType": [
        ("pengaduan", "Pengaduan"),
        ("kesehatan", "Kesehatan"),
        ("bantuan_hukum", "Bantuan hukum"),
        ("penegakan_hukum", "Penegakan hukum"),
        ("rehabilitasi_sosial", "Rehabilitasi sosial"),
        ("reintegrasi_sosial", "Reintegrasi sosial"),
        ("pemulangan", "Pemulangan"),
        ("pendampingan_tokoh_agama", "Pendampingan tokoh agama"),
    ],
}


def create_master_lists(apps=global_apps, using="default", **kwargs):
    master_items_create("cases", LISTS, apps=apps, using=using)
