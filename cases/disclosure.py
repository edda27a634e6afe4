"""What a user sees of a case whose identity they do not read: an outsider, such as the Kepala Dinas or an officer
not on the case's team (portal.identity.reads_identity is False for it), in the register and on the case's page.

The monthly recap (cases.recap) prints a count from 1 to 4 as "<5" so that no victim can be singled out. The
register lists the cases one by one with the day each was received, so an outsider could count its rows into the
recap's cells; and an exact date and place of the incident can name a victim in a small kecamatan. The rule:

- The incident: its month ("Maret 2026"), never its day. The place type ("sekolah", "tempat ibadah") is not
  shown at all.
- The kecamatan: shown only where the recap of the month the case was received, as this user gets it (the cases
  they see, less those voided), prints that kecamatan's count as a number: 5 cases or more, and not hidden beside
  a lone small count (recap.suppress, as the recap's kecamatan table does). Otherwise "(disembunyikan)", the
  same on every row of that month. A case with no kecamatan shows "-" only where the recap prints its "Belum
  diisi" count.
- The violence types: each the same way, per month. The recap prints no total for them (a case may have several),
  but a row saying "(disembunyikan)" would let a lone hidden type be counted, so here a month that hides one type
  also hides the next smallest, as beside a printed total.
- The register's filters by kecamatan and by violence type find, among the outsider's cases, only the rows that
  show the value filtered by: a filter counts no more than its column shows. The register sorts by due date or
  by the day received, never by these facts, and its search reads case numbers, never dates.

The case's team and the P2TP2A's heads see their cases as recorded; so does whoever opened the identity with a
reason (the page then shows it whole). A page costs one aggregate query per kind of fact, however many rows.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth
from django.db.models.lookups import In
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Case
from cases.recap import suppress
from cases.workflow import VOIDED
from portal import identity

# The facts of a case that a recap table counts and the register shows.
COUNTED = ("kecamatan", "violence_types")


def _month_received():
    """The first day of the month a case was received, in WIB: the recap's month."""
    return TruncMonth("created_at", tzinfo=timezone.get_default_timezone(), output_field=DateField())


def month_received(case) -> date:
    return timezone.localtime(case.created_at, timezone.get_default_timezone()).date().replace(day=1)


def shown_cells(cases, field, *, months=None) -> set[tuple[date, int | None]]:
    """The (month received, value of `field`) pairs whose count the recaps of `cases` print as a number.

    `field`: one of COUNTED; `months`: the months to read (their first days), or None for every month.
    One aggregate query.
    """
    model = Case._meta.get_field(field).related_model
    counted = cases.exclude(status=VOIDED).annotate(month=_month_received())
    if months is not None:
        counted = counted.filter(month__in=months)
    rows = counted.values("month", field).annotate(n=Count("pk", distinct=True)).order_by(
        "month", *(f"{field}__{name}" for name in model._meta.ordering), field
    )
    tables = {}
    for row in rows:
        tables.setdefault(row["month"], {})[row[field]] = row["n"]
    shown = set()
    for month, counts in tables.items():
        # In the recap's order: its list's order, and "Belum diisi" (no value) last.
        values = sorted(counts, key=lambda value: value is None)
        printed = suppress([counts[value] for value in values], total_printed=True)
        shown |= {(month, value) for value, count in zip(values, printed) if isinstance(count, int)}
    return shown


def filter_as_shown(user, cases, field, value) -> Q:
    """The register's filter by `field` = `value` for `user`: on the cases whose identity they read, as recorded;
    on the others, only where the row shows the value."""
    months = [month for month, shown in shown_cells(cases, field) if shown == value]
    return Q(**{field: value}) & (identity.identity_filter(user, Case) | Q(In(_month_received(), months)))


@dataclass(frozen=True)
class Facts:
    """The incident as a page shows it to one user; `place_type` is None where it is not shown."""

    kecamatan: str
    violence_types: list[str]
    incident: str
    place_type: str | None


def attach_facts(rows, *, cases, readable, types):
    """Set `.facts` on each Case of `rows`.

    `cases`: the cases the user sees (their recap's); `readable`: the pks of the rows the user sees as recorded;
    `types`: {pk: [ViolenceType]} of the rows. One aggregate query per COUNTED fact when an outsider's row is there.
    """
    outsiders = [row for row in rows if row.pk not in readable]
    months = {month_received(row) for row in outsiders}
    shown = {field: shown_cells(cases, field, months=months) for field in COUNTED} if months else {}
    hidden = _("(disembunyikan)")
    for row in rows:
        kinds = types.get(row.pk, [])
        if row.pk in readable:
            row.facts = Facts(
                kecamatan=row.kecamatan.name if row.kecamatan else "-",
                violence_types=[kind.name for kind in kinds],
                incident=date_format(row.incident_date, "j F Y") if row.incident_date else "-",
                place_type=row.place_type.name if row.place_type else "-",
            )
            continue
        month = month_received(row)
        named = [kind.name for kind in kinds if (month, kind.pk) in shown["violence_types"]]
        if len(named) < len(kinds) or (not kinds and (month, None) not in shown["violence_types"]):
            named.append(hidden)
        if (month, row.kecamatan_id) not in shown["kecamatan"]:
            kecamatan = hidden
        else:
            kecamatan = row.kecamatan.name if row.kecamatan else "-"
        row.facts = Facts(
            kecamatan=kecamatan,
            violence_types=named,
            incident=date_format(row.incident_date, "F Y") if row.incident_date else "-",
            place_type=None,
        )
