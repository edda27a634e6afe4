"""The seeds' documents for load_demo: the Standar Pelayanan components, the SOP sheet headers (the
activity tables are each app's workflow.py) and the Ciamis decree, from fixtures/ (by natural key).

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

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from publications.models import Decree, DecreeDecision, SOPDocument, StandardComponent
from publications.publishing import publish_all

# Loaded after the units and services they name; the SOPs before the decree that enacts them.
FIXTURES = [
    settings.BASE_DIR / "fixtures" / "ciamis_documents.json",
    settings.BASE_DIR / "fixtures" / "purwakarta_documents.json",
]
MODELS = [StandardComponent, SOPDocument, Decree, DecreeDecision]


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
