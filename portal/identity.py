"""Whose identity a record keeps, who reads it, and whose accounts only a superuser keeps.

A workflow whose records keep a person's identity (a victim, a PPKS person) declares a portal.workflow.Identity: the
executor columns whose holders in the service's unit read every record's identity (the Ketua and Sekretaris
P2TP2A; the Kabid and Tim Kerja of the Bidang Rehdayasos), and the offices above that unit whose holder may
open one record's identity by writing a reason (the Kepala Dinas). The people a record names
(WorkflowRecord.named_filter: a case's team) read it too.

Everything here follows from the app's declaration, the service rows of those apps and the memberships and
offices in and above their units, and an agency's Admin may change none of them (portal.admin): whoever could
move a service, or set the password of an account that reads or reveals, would read as that account.
"""

from django.db import connections
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from portal.forms import whole_number
from portal.models import Membership, Service, access_for, sop_models
from portal.nik import mask_nik
from portal.roles import Role


def identity_apps() -> list[str]:
    return [label for label, model in sop_models().items() if model.workflow.identity is not None]


def reader_units(user, workflow) -> set[int]:
    """The service units where `user` reads every record: as a reader executor's actor held in that unit itself."""
    access = access_for(user)
    units = set()
    for code in workflow.identity.readers:
        for actor in workflow.executor(code).actors:
            if actor.offices:
                units |= access.office_units(actor.offices)
            else:
                units |= {unit for unit, role in access.grants if role == actor.role}
    return units


def identity_filter(user, model) -> Q:
    """The records of `model` whose identity `user` reads: in a service unit where they read, or naming them."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(service__unit_id__in=reader_units(user, model.workflow)) | model.named_filter(user)


def reads_identity(user, record) -> bool:
    """Whether `user` reads the record's identity, notes and attachments without asking; kept per record object."""
    cache = record.__dict__.setdefault("_reads_identity", {})
    if user.pk not in cache:
        model = type(record)
        cache[user.pk] = user.is_authenticated and (
            record.service.unit_id in reader_units(user, model.workflow)
            or model.objects.filter(model.named_filter(user), pk=record.pk).exists()
        )
    return cache[user.pk]


def may_reveal(user, record) -> bool:
    """Whether `user`, who does not read the identity, may open it by giving a reason: the holder of one of the
    workflow's revealing offices in a unit above the service's."""
    revealers = record.workflow.identity.revealers
    if not revealers or reads_identity(user, record):
        return False
    access = access_for(user)
    above = set(access.tree.above(record.service.unit_id))
    return bool(access.office_units(revealers) & above)


def keeps_from(user, record) -> bool:
    """Whether the record's identity parts (the notes on its steps, its attachments) are kept from `user`, who
    sees the record: a record that keeps an identity shows them only to whoever reads it."""
    return record.workflow.identity is not None and not reads_identity(user, record)


def reads_access_log(user, record) -> bool:
    """Whether `user` reads the record's access log: a holder, in the service's unit, of an office through which a
    reader executor acts (the Ketua and Sekretaris P2TP2A; the Kabid Rehdayasos), not the team working the case."""
    workflow = record.workflow
    if workflow.identity is None:
        return False
    offices = [office for code in workflow.identity.readers for office in workflow.executor(code).offices]
    return record.service.unit_id in access_for(user).office_units(offices)


def log_access(record, user, action, *, what="", reason="", at=None):
    """Keep one view, print, export or reveal of the record's identity in its access log (the app's
    IdentityAccessLog, whose foreign key to the record is named `access_log` on it), at `at` (default now)."""
    if record.workflow.identity is not None:
        record.access_log.create(
            unit_id=record.unit_id, user=user, action=action, what=str(what)[:200], reason=reason, at=at or timezone.now()
        )


def mask_name(name):
    """A name for lists: each word's first letter and a fixed mask, so not even its length shows ("M*** K***")."""
    return " ".join(f"{word[0]}***" for word in name.split())


def person_model(model):
    """The model of the person a record model keeps (Identity.person)."""
    return model._meta.get_field(model.workflow.identity.person).related_model


def attach_masked_identity(rows):
    """The one masking rule of lists: each row whose identity the user reads (`row.reads_identity`, annotated by
    `reads_identity_annotation`) gets its person's `masked_name` and `masked_nik`; the others get "". One query
    for the page."""
    if not rows:
        return
    readable = [row.pk for row in rows if row.reads_identity]
    people = person_model(type(rows[0])).objects.filter(pk__in=readable).only("pk", "name", "nik") if readable else []
    people = {person.pk: person for person in people}
    for row in rows:
        person = people.get(row.pk)
        row.masked_name = mask_name(person.name) if person else ""
        row.masked_nik = mask_nik(person.nik) if person else ""


def reads_identity_annotation(user, model):
    """For a list's queryset: `reads_identity` on each row, whether `user` reads its person."""
    return Case(When(identity_filter(user, model), then=Value(True)), default=Value(False), output_field=BooleanField())


def log_list_view(rows, user, what):
    """Keep in the access log the rows of a list page whose person the user was shown (masked): one insert."""
    shown = [row for row in rows if row.reads_identity]
    if not shown:
        return
    relation = type(shown[0]).access_log.rel
    log_model = relation.related_model
    log_model.objects.bulk_create(
        log_model(**{relation.field.name: row}, unit_id=row.unit_id, user=user, action=log_model.Action.VIEW, what=what)
        for row in shown
    )


def search(text, user, model, *, by_identity):
    """A list's search: by number ("7" or "0007/2026") for everyone; with `by_identity` (a search posted, never in
    a URL) also by the person's name or NIK, only among the records whose identity the user reads, so that a
    search tells no one else who is in the records."""
    number, _slash, year = (whole_number(part) for part in text.partition("/"))
    condition = Q(pk__in=[])
    if number is not None and (year is not None or "/" not in text):
        condition = Q(sequence=number) & (Q(year=year) if year is not None else Q())
    if by_identity and len(text) >= 3:
        person = model.workflow.identity.person
        by_person = Q(**{f"{person}__name__icontains": text}) | Q(**{f"{person}__nik": text})
        condition |= by_person & identity_filter(user, model)
    return condition


def create_name_search_indexes(using="default", **kwargs):
    """On PostgreSQL, a trigram index (pg_trgm) of the name of each identity app's person (Identity.person), which
    serves `search`'s name__icontains (UPPER(name) LIKE '%...%') instead of reading every person kept. Made after
    every migrate, as pgtrigger makes the triggers: a test database built from the models has it too. SQLite, the
    demo's database, has no such index and needs none."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for label in identity_apps():
            model = sop_models()[label]
            table = model._meta.get_field(model.workflow.identity.person).related_model._meta.db_table
            if table not in tables:
                continue  # its app is not migrated yet (`migrate portal` alone): the next migrate makes it
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS "{table}_name_trgm" ON "{table}" USING gin ((UPPER(name::text)) gin_trgm_ops)'
            )


def identity_units() -> list[int]:
    """The units running a service whose records keep identities."""
    return list(Service.objects.filter(app__in=identity_apps()).values_list("unit_id", flat=True))


def account_guard(tree):
    """(units, above): the units at or below an identity unit, whose accounts a superuser keeps, and the units
    above one, where an account holding a head's role may reveal, or becomes a head over the readers."""
    roots = identity_units()
    above = {unit for root in roots for unit in tree.above(root)} - set(roots)
    return tree.below(roots), above


def keeps_readers(user_filter_units, above) -> Q:
    """A filter for the users a superuser keeps: a membership at or below an identity unit, or a head's role above
    one. `user_filter_units`: account_guard's first value."""
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    return Q(Exists(memberships.filter(unit__in=user_filter_units))) | Q(
        Exists(memberships.filter(unit__in=above, role__name__in=Role.HEADS))
    )
