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
    record_history(MODELS)
    stdout.write(
        f"{StandardComponent.objects.count()} komponen standar pelayanan, {SOPDocument.objects.count()} SOP, "
        f"{Decree.objects.count()} keputusan bupati dimuat."
    )
    # Rendered once the loading is committed, so no visitor waits for the first PDF.
    transaction.on_commit(publish_all)


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
