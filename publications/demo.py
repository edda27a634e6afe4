"""The seeds' documents for load_demo: the Standar Pelayanan components, the SOP sheet headers (the
activity tables are each app's workflow.py) and the Ciamis decree, from fixtures/ (by natural key).

The fixtures keep the seeds' wording, numbering and punctuation; numbers and legal citations
exactly as enacted, even where they look wrong. Every difference from the paper (a typo fixed,
a citation kept as printed, something the seeds do not say) is a DraftingNote in the same
fixture, printed in the document's Catatan penyusunan.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from portal.models import Unit
from publications.models import Decree, DecreeDecision, DraftingNote, ServiceStandard, SOPDocument, StandardComponent
from publications.publishing import publish_all

# Loaded after the units and services they name; the SOPs before the decree that enacts them.
FIXTURES = [
    settings.BASE_DIR / "fixtures" / "ciamis_documents.json",
    settings.BASE_DIR / "fixtures" / "purwakarta_documents.json",
]
MODELS = [ServiceStandard, StandardComponent, SOPDocument, Decree, DecreeDecision, DraftingNote]


def load(stdout):
    call_command("loaddata", *FIXTURES, verbosity=0)
    contact_notes_write()
    record_history(MODELS)
    stdout.write(
        f"{StandardComponent.objects.count()} komponen standar pelayanan, {SOPDocument.objects.count()} SOP, "
        f"{Decree.objects.count()} keputusan bupati dimuat."
    )
    # Rendered once the loading is committed, so no visitor waits for the first PDF.
    transaction.on_commit(publish_all)


def contact_notes_write():
    """The notes on the contact the public pages show beside each seed standard (publications.agencies.contact_of).

    Written from the letterheads, which load_demo keeps in code: the Ciamis standards stand on no letterhead and
    name no address or telephone ("media tersebut diatas" names none); Purwakarta's stands on its letterhead,
    whose e-mail address its complaint component writes otherwise.
    """
    ciamis = Unit.objects.get(code="dppkbpppa-ciamis")
    purwakarta = Unit.objects.get(code="dinsos-p3a-purwakarta")
    ciamis_contact = f"Kontak dinas pada halaman standar ini di portal: alamat {ciamis.address}, telepon {ciamis.phone}"
    notes = {
        "p2tp2a-standar-kontak": dict(
            service_id="p2tp2a-ciamis", kind=DraftingNote.Kind.ADDITION, as_shown=ciamis_contact,
            explanation="Komponen penanganan pengaduan menyebut \"media tersebut diatas\" tanpa menyebut satu pun; "
            "alamat dan telepon diambil dari kop surat dinas.",
        ),
        "p2tp2a-standar-sapa-129": dict(
            service_id="p2tp2a-ciamis", kind=DraftingNote.Kind.ADDITION,
            as_shown="Layanan SAPA 129 (telepon 129, WhatsApp 08111-129-129) dan petunjuk keadaan darurat "
            "(telepon 112 atau kantor polisi terdekat) pada halaman standar ini di portal",
            explanation="Layanan pengaduan nasional kekerasan terhadap perempuan dan anak dari Kementerian PPPA; "
            "portal menampilkannya pada setiap layanan P2TP2A.",
        ),
        "alokon-standar-kontak": dict(
            service_id="alokon-ciamis", kind=DraftingNote.Kind.ADDITION, as_shown=ciamis_contact,
            explanation="Standar pelayanan ini tidak memuat komponen penanganan pengaduan; alamat dan telepon diambil "
            "dari kop surat dinas.",
        ),
        "ppks-standar-pos-el": dict(
            service_id="identitas-ppks-purwakarta", kind=DraftingNote.Kind.AS_PRINTED,
            as_printed="dinsosp3a.kab.purwakarta@gmail.com",
            explanation=f"Kop surat dokumen yang sama menulis {purwakarta.email}; kontak pada halaman ini memakai "
            "alamat kop surat dan menyebut keduanya.",
        ),
    }
    for order, (code, fields) in enumerate(notes.items(), 100):  # after each standard's notes from the fixtures
        DraftingNote.objects.update_or_create(
            code=code,
            defaults={
                "document": DraftingNote.Document.STANDARD, "order": order, "as_printed": "", "as_shown": "",
                "confirmed_at": None, "confirmed_by": None, **fields,
            },
        )


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
