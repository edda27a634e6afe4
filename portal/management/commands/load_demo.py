"""Load the two agencies of the seeds and, in demo mode, one demo user per role per unit.

Also loads the seeds' documents from fixtures/: the Standar Pelayanan components, the SOP sheet
headers (the activity tables are each app's workflow.py) and the Ciamis decree. Safe to run again:
everything is found by its code (fixtures: by natural key) and brought up to date.

The fixtures keep the seeds' wording, numbering and punctuation. Fixed there, as obvious typos or
words lost in the seed's text:
- P2TP2A standard: "Reintergrasi" -> "Reintegrasi"; "pekerja social" -> "pekerja sosial";
  "Pemberdayaan Perlindungan dan Perlindungan Anak" -> "Pemberdayaan Perempuan dan Perlindungan Anak".
- P2TP2A standard and SOP: "Deskriminasi" -> "Diskriminasi"; "Nomor 23 2004" -> "Nomor 23 Tahun 2004".
- P2TP2A SOP: number "00.8.3.3/1953" -> "000.8.3.3/1953"; NIP "196712131993011001" spaced as on the
  ALOKON sheet; "assement" -> "asesmen"; "krononolgis" -> "kronologis"; "di tindaklanjuti" ->
  "ditindaklanjuti"; Dasar Hukum 8, cut to "2020 tentang ...", completed as in the standard
  ("Peraturan Daerah Kabupaten Ciamis Nomor 1 Tahun 2020 tentang ..."); Peralatan numbered 1, 2, 4,
  5, 6 in the seed (SOP lists are stored unnumbered, the sheet numbers them).
- ALOKON standard: "Pelindungan Anak" -> "Perlindungan Anak"; the unclosed "( Plastik Klip, ...
  Kardus dll ," closed as on the SOP sheet.
- Decree, Mengingat 8: "RPJPD Kabupaten Ciamis Tahun 2015-2025" -> "2005-2025" (the same Perda,
  named earlier in the item); Mengingat 16: "Nomor 74 Tahun tentang" -> "Nomor 74 Tahun 2021
  tentang" (as both standards cite it); "Perlindungan Anak ." -> "Perlindungan Anak.".
- Purwakarta standard: "Pegawasan Internal" -> "Pengawasan Internal"; "Rehadayasos" -> "Rehdayasos".
The decree's signatory name and NIP, blank in the seed's text, are those of the Kepala Dinas who
approves both SOP sheets. The PPKS service has no SOP sheet in the seeds: its header is drawn from
its standard, with the number, dates and approver's name left for the agency to fill in.
"""

from datetime import time

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.models import (
    Decree,
    DecreeDecision,
    Membership,
    Service,
    ServiceHours,
    SOPDocument,
    StandardComponent,
    Unit,
)
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

# Loaded after the units and services they name; the SOPs before the decree that enacts them.
DOCUMENT_FIXTURES = [
    settings.BASE_DIR / "fixtures" / "ciamis_documents.json",
    settings.BASE_DIR / "fixtures" / "purwakarta_documents.json",
]
DOCUMENT_MODELS = [StandardComponent, SOPDocument, Decree, DecreeDecision]

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
        call_command("loaddata", *DOCUMENT_FIXTURES, verbosity=0)
        record_history(DOCUMENT_MODELS)
        self.stdout.write(
            f"{StandardComponent.objects.count()} komponen standar pelayanan, {SOPDocument.objects.count()} SOP, "
            f"{Decree.objects.count()} keputusan bupati dimuat."
        )

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


def record_history(models):
    """Write the history rows loaddata skips (it saves raw): one per object new or changed since its last row."""
    for model in models:
        fields = [f.attname for f in model.history.model.tracked_fields]
        last = {}
        for row in model.history.order_by("history_date", "history_id"):
            last[row.id] = row
        created, changed = [], []
        for obj in model.objects.all():
            row = last.get(obj.pk)
            if row is None:
                created.append(obj)
            elif any(getattr(row, name) != getattr(obj, name) for name in fields):
                changed.append(obj)
        model.history.bulk_history_create(created)
        model.history.bulk_history_create(changed, update=True)
