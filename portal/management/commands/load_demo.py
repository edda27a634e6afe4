"""Load the two agencies of the seeds: units, letterheads, service hours, services, the regencies' kecamatan;
in demo mode, demo accounts.

Then each installed app with a `demo` module loads its own part (`demo.load(stdout)`), in the
order of INSTALLED_APPS: the published documents (publications/demo.py), and each SOP app's
demo records. Safe to run again: everything is found by its code and brought up to date.
"""

from datetime import time
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from portal.models import Kecamatan, Membership, Service, ServiceHours, Unit
from portal.notifications.models import Email
from portal.roles import Office, Role

DEMO_PASSWORD = "demo-layanan-2026"

CIAMIS_LETTERHEAD = dict(
    government_name="PEMERINTAH KABUPATEN CIAMIS",
    agency_name="DINAS PENGENDALIAN PENDUDUK, KELUARGA BERENCANA, PEMBERDAYAAN PEREMPUAN, DAN PERLINDUNGAN ANAK",
    address="Jalan Jenderal Ahmad Yani No. 38 Ciamis",
    phone="(0265) 773788-776670",
)
PURWAKARTA_LETTERHEAD = dict(
    government_name="PEMERINTAH KABUPATEN PURWAKARTA",
    agency_name="DINAS SOSIAL PEMBERDAYAAN PEREMPUAN DAN PERLINDUNGAN ANAK",
    address="Jl. Taman Pahlawan No. 09 Purwakarta 41119",
    phone="0264-8304578",
    fax="0264-8304578",
    email="dinsosp3a.purwakarta@gmail.com",
    website="dinsosp3a.purwakartakab.go.id",
)

# (code, name, short name, kind, parent code, letterhead)
UNITS = [
    ("ciamis", "Pemerintah Kabupaten Ciamis", "Pemkab Ciamis", Unit.Kind.GOVERNMENT, None, {}),
    (
        "dppkbpppa-ciamis",
        "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan Perlindungan Anak Kabupaten Ciamis",
        "DPPKBPPPA Ciamis",
        Unit.Kind.AGENCY,
        "ciamis",
        CIAMIS_LETTERHEAD,
    ),
    (
        "p2tp2a-ciamis",
        "Pusat Pelayanan Terpadu Pemberdayaan Perempuan dan Perlindungan Anak (P2TP2A) Kabupaten Ciamis",
        "P2TP2A Ciamis",
        Unit.Kind.OTHER,
        "dppkbpppa-ciamis",
        {},
    ),
    ("uptd-p5a-ciamis", "UPTD P5A Kecamatan Ciamis", "UPTD P5A Ciamis", Unit.Kind.TECHNICAL_UNIT, "dppkbpppa-ciamis", {}),
    # Where the Dinas' complaints about no one service are handled (portal.complaints.models.Desk.general_unit).
    ("sekretariat-dppkbpppa-ciamis", "Sekretariat DPPKBPPPA Kabupaten Ciamis", "Sekretariat DPPKBPPPA",
     Unit.Kind.DIVISION, "dppkbpppa-ciamis", {}),
    ("purwakarta", "Pemerintah Kabupaten Purwakarta", "Pemkab Purwakarta", Unit.Kind.GOVERNMENT, None, {}),
    (
        "dinsos-p3a-purwakarta",
        "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak Kabupaten Purwakarta",
        "Dinsos P3A Purwakarta",
        Unit.Kind.AGENCY,
        "purwakarta",
        PURWAKARTA_LETTERHEAD,
    ),
    (
        "rehdayasos-purwakarta",
        "Bidang Rehabilitasi dan Pemberdayaan Sosial",
        "Bidang Rehdayasos",
        Unit.Kind.DIVISION,
        "dinsos-p3a-purwakarta",
        {},
    ),
]

# Ciamis hours are the seed's Waktu Pelayanan. The Purwakarta seed names none:
# these are the usual West Java office hours, to be corrected in the admin.
HOURS = {
    "dppkbpppa-ciamis": [(d, time(8), time(14, 45)) for d in range(4)] + [(4, time(8), time(11))],
    "dinsos-p3a-purwakarta": [(d, time(8), time(16)) for d in range(4)] + [(4, time(8), time(11))],
}

SERVICES = [
    ("p2tp2a-ciamis", "Pelayanan dan Pendampingan P2TP2A", "p2tp2a-ciamis", "cases"),
    ("alokon-ciamis", "Penyaluran Alat dan Obat Kontrasepsi", "dppkbpppa-ciamis", "alokon"),
    (
        "identitas-ppks-purwakarta",
        "Fasilitasi Pembuatan Identitas Kependudukan bagi PPKS Terlantar",
        "rehdayasos-purwakarta",
        "identitas",
    ),
    # Each agency's complaint desk: every standard promises "Penanganan Pengaduan, Saran dan Masukan".
    ("pengaduan-dppkbpppa-ciamis", "Pengaduan, Saran dan Masukan DPPKBPPPA Ciamis", "dppkbpppa-ciamis", "complaints"),
    ("pengaduan-dinsos-p3a-purwakarta", "Pengaduan, Saran dan Masukan Dinsos P3A Purwakarta", "dinsos-p3a-purwakarta",
     "complaints"),
]

# The kecamatan of each regency, by its government unit. Their kode wilayah are left for the admin to fill in.
KECAMATAN = {
    "ciamis": [
        "Banjaranyar", "Banjarsari", "Baregbeg", "Ciamis", "Cidolog", "Cihaurbeuti", "Cijeungjing", "Cikoneng",
        "Cimaragas", "Cipaku", "Cisaga", "Jatinagara", "Kawali", "Lakbok", "Lumbung", "Pamarican", "Panawangan",
        "Panjalu", "Panumbangan", "Purwadadi", "Rajadesa", "Rancah", "Sadananya", "Sindangkasih", "Sukadana",
        "Sukamantri", "Tambaksari",
    ],
    "purwakarta": [
        "Babakancikao", "Bojong", "Bungursari", "Campaka", "Cibatu", "Darangdan", "Jatiluhur", "Kiarapedes",
        "Maniis", "Pasawahan", "Plered", "Pondoksalam", "Purwakarta", "Sukasari", "Sukatani", "Tegalwaru",
        "Wanayasa",
    ],
}

# One account per role where the seeds give that role work: (unit, role, username, name, title, office).
# The names are made up.
DEMO_ACCOUNTS = [
    ("dppkbpppa-ciamis", Role.AGENCY_HEAD, "kadis.dppkbpppa-ciamis", "Hendra Gunawan", "Kepala Dinas", Office.AGENCY_HEAD),
    ("dppkbpppa-ciamis", Role.HEAD, "kepala.dppkbpppa-ciamis", "Ratna Kusumawati", "Sekretaris Dinas", Office.AGENCY_SECRETARY),
    ("dppkbpppa-ciamis", Role.STOREKEEPER, "gudang.dppkbpppa-ciamis", "Asep Suryana", "Pengelola Barang", ""),
    ("dppkbpppa-ciamis", Role.ADMIN, "admin.dppkbpppa-ciamis", "Yuli Handayani", "Admin DPPKBPPPA Ciamis", ""),
    # The P2TP2A: a person for every function of its SOP (cases.workflow), so a case can go all the way.
    ("p2tp2a-ciamis", Role.HEAD, "kepala.p2tp2a-ciamis", "Euis Rahmawati", "Ketua P2TP2A", Office.CHAIR),
    ("p2tp2a-ciamis", Role.HEAD, "sekretaris.p2tp2a-ciamis", "Iis Solihat", "Sekretaris P2TP2A", Office.SECRETARY),
    ("p2tp2a-ciamis", Role.OFFICER, "petugas.p2tp2a-ciamis", "Nining Sumarni", "Divisi Data P2TP2A", ""),
    ("p2tp2a-ciamis", Role.OFFICER, "peksos.p2tp2a-ciamis", "Rudi Hermawan", "Pekerja Sosial P2TP2A", ""),
    ("p2tp2a-ciamis", Role.OFFICER, "pendamping.p2tp2a-ciamis", "Yanti Suryani", "Pendamping P2TP2A", ""),
    ("p2tp2a-ciamis", Role.OFFICER, "psikolog.p2tp2a-ciamis", "Dian Permatasari", "Psikolog P2TP2A", ""),
    ("p2tp2a-ciamis", Role.OFFICER, "hukum.p2tp2a-ciamis", "Ujang Saepudin", "Divisi Hukum P2TP2A", ""),
    ("uptd-p5a-ciamis", Role.OFFICER, "petugas.uptd-p5a-ciamis", "Dede Kurniawan", "Petugas UPTD P5A", ""),
    ("sekretariat-dppkbpppa-ciamis", Role.OFFICER, "pengaduan.dppkbpppa-ciamis", "Wawan Setiawan", "Petugas Pengaduan", ""),
    ("dinsos-p3a-purwakarta", Role.AGENCY_HEAD, "kadis.dinsos-p3a-purwakarta", "Bambang Sutrisno", "Kepala Dinas", Office.AGENCY_HEAD),
    # A head above the Bidang Rehdayasos who holds none of its offices: she reviews no PPKS report.
    ("dinsos-p3a-purwakarta", Role.HEAD, "sekretaris.dinsos-p3a-purwakarta", "Nurul Hidayah", "Sekretaris Dinas", Office.AGENCY_SECRETARY),
    ("dinsos-p3a-purwakarta", Role.ADMIN, "admin.dinsos-p3a-purwakarta", "Rina Marlina", "Admin Dinsos P3A Purwakarta", ""),
    ("rehdayasos-purwakarta", Role.HEAD, "kepala.rehdayasos-purwakarta", "Agus Setiawan", "Kepala Bidang Rehdayasos", Office.DIVISION_HEAD),
    ("rehdayasos-purwakarta", Role.OFFICER, "petugas.rehdayasos-purwakarta", "Siti Nurhasanah", "Tim Kerja Rehdayasos", ""),
]


class Command(BaseCommand):
    help = "Muat unit, jam pelayanan dan layanan dari dokumen sumber; dalam mode demo juga akun demo."

    @transaction.atomic
    def handle(self, *args, **options):
        units = {}
        for code, name, short_name, kind, parent, letterhead in UNITS:
            units[code], _ = Unit.objects.update_or_create(
                code=code,
                defaults=dict(name=name, short_name=short_name, kind=kind, parent=units.get(parent), **letterhead),
            )
        for code, rows in HOURS.items():
            ServiceHours.objects.filter(unit=units[code]).delete()
            ServiceHours.objects.bulk_create(
                ServiceHours(unit=units[code], weekday=d, opens=o, closes=c) for d, o, c in rows
            )
        for slug, name, unit, app in SERVICES:
            Service.objects.update_or_create(slug=slug, defaults=dict(name=name, unit=units[unit], app=app))
        for code, names in KECAMATAN.items():
            for name in names:
                Kecamatan.objects.get_or_create(regency=units[code], name=name)
        kecamatan = sum(len(names) for names in KECAMATAN.values())
        self.stdout.write(f"{len(units)} unit, {len(SERVICES)} layanan, {kecamatan} kecamatan dimuat.")
        if settings.DEMO_MODE:
            self.create_demo_users(units)

        # The demo's records tell of their past steps as they are made; those e-mails went out long ago: recorded
        # as sent (in this transaction, so the tasks queued at its commit find nothing to send), none is printed.
        last_email = Email.objects.aggregate(last=Max("pk"))["last"] or 0
        for app_config in apps.get_app_configs():
            if app_config.name != "portal" and module_has_submodule(app_config.module, "demo"):
                import_module(f"{app_config.name}.demo").load(self.stdout)
        Email.objects.filter(pk__gt=last_email, sent_at__isnull=True).update(sent_at=timezone.now())

    def create_demo_users(self, units):
        if not settings.DEMO_MODE:
            raise CommandError("Akun demo hanya dibuat dalam mode demo (PORTAL_DEMO=1).")
        groups = {g.name: g for g in Group.objects.filter(name__in=Role.ALL)}
        self.stdout.write(self.style.WARNING(f"\nAkun demo (kata sandi semua akun: {DEMO_PASSWORD}):"))
        for code, role, username, name, title, office in DEMO_ACCOUNTS:
            first_name, last_name = name.split(" ", 1)
            user, created = User.objects.update_or_create(
                username=username,
                defaults=dict(first_name=first_name, last_name=last_name, is_staff=role == Role.ADMIN),
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            Membership.objects.update_or_create(
                user=user, unit=units[code], role=groups[role], defaults={"title": title, "office": office}
            )
            self.stdout.write(f"  {username:<32} {role:<17} {title}")
