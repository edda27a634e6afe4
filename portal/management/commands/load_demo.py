"""Load the two agencies of the seeds and, in demo mode, one demo user per role per unit.

Safe to run again: everything is found by its code and brought up to date.
"""

from datetime import time

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.models import Membership, Service, ServiceHours, Unit
from portal.roles import Role

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
]

ROLE_SLUGS = {
    Role.OFFICER: "petugas",
    Role.HEAD: "kepala",
    Role.AGENCY_HEAD: "kadis",
    Role.STOREKEEPER: "gudang",
    Role.FASKES: "faskes",
    Role.ADMIN: "admin",
}


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
        self.stdout.write(f"{len(units)} unit, {len(SERVICES)} layanan dimuat.")

        if not settings.DEMO_MODE:
            return
        accounts = self.create_demo_users([u for u in units.values() if u.kind != Unit.Kind.GOVERNMENT])
        self.stdout.write(self.style.WARNING(f"\nAkun demo (kata sandi semua akun: {DEMO_PASSWORD}):"))
        for username, role, unit in accounts:
            self.stdout.write(f"  {username:<36} {role:<17} {unit}")

    def create_demo_users(self, units):
        if not settings.DEMO_MODE:
            raise CommandError("Akun demo hanya dibuat dalam mode demo (PORTAL_DEMO=1).")
        groups = {g.name: g for g in Group.objects.filter(name__in=Role.ALL)}
        accounts = []
        for unit in units:
            for role, slug in ROLE_SLUGS.items():
                username = f"{slug}.{unit.code}"
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults=dict(first_name=f"{role} {unit.short_name}", is_staff=role == Role.ADMIN),
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                Membership.objects.get_or_create(user=user, unit=unit, role=groups[role])
                accounts.append((username, role, unit.short_name))
        return accounts
