"""Writes of the shared mechanisms: starting records and firing transitions.

Every status change of every SOP record goes through `transition_apply`, which
checks the role and the step's requirements, sets the status, keeps the
simple-history row and writes one TransitionLog row in the same transaction.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import clock
from portal.models import Attachment, Membership, TransitionLog
from portal.workflow import TransitionError


def roles_of(user, unit) -> set[str]:
    """Names of the roles a user holds in a unit or in any unit above it."""
    if not user.is_authenticated:
        return set()
    unit_ids = [unit.pk, *(u.pk for u in unit.ancestors())]
    return set(
        Membership.objects.filter(user=user, unit_id__in=unit_ids).values_list("role__name", flat=True)
    )


def _is_filled(value):
    if hasattr(value, "exists"):  # a related manager
        return value.exists()
    return value not in (None, "", [], {})


def missing_requirements(record, transition) -> list[str]:
    """What the record still lacks before the transition may fire, as labels."""
    missing = []
    for name in transition.requires:
        if not _is_filled(getattr(record, name)):
            missing.append(str(record._meta.get_field(name).verbose_name))
    if transition.documents:
        present = set(
            Attachment.objects.filter(
                content_type=ContentType.objects.get_for_model(record), object_id=record.pk
            ).values_list("kind", flat=True)
        )
        missing += [kind for kind in transition.documents if kind not in present]
    return missing


def available_transitions(record, user):
    """The transitions this user may fire on the record now: what the buttons show."""
    roles = roles_of(user, record.unit)
    return [t for t in record.workflow.transitions_from(record.status) if roles & set(t.roles)]


def _due(time_standard, start, unit):
    try:
        return time_standard.due(start, clock.calendar_for(unit))
    except ValueError:
        raise TransitionError(
            _("Unit %(unit)s belum memiliki jam pelayanan, sehingga batas waktu tidak dapat dihitung. Hubungi admin.")
            % {"unit": unit}
        ) from None


def _enter_status(record, status, now):
    record.status = status
    record.status_changed_at = now
    step = record.workflow.step_for(status)
    record.step_due_at = _due(step.time, now, record.unit) if step is not None and step.time else None


def _save_with_history(record, *, actor, reason):
    """Save with simple-history's actor and reason, then forget them so a later save cannot reuse them."""
    record._history_user = actor
    record._change_reason = reason
    try:
        record.save()
    finally:
        del record._history_user, record._change_reason


def workflow_start(record, *, actor, status=None, note=""):
    """Save a new record in its first step, with its due times, and log its start."""
    workflow = record.workflow
    status = status or workflow.initial_statuses[0]
    if status not in workflow.initial_statuses:
        raise TransitionError(_("Layanan tidak dapat dimulai pada langkah ini."))
    if not roles_of(actor, record.unit) & set(workflow.executor(workflow.step_for(status).executor).roles):
        raise TransitionError(_("Anda tidak memiliki peran untuk memulai layanan ini di unit tersebut."))
    now = timezone.now()
    with transaction.atomic():
        record.created_at = now
        if workflow.time is not None:
            record.due_at = _due(workflow.time, now, record.unit)
        _enter_status(record, status, now)
        _save_with_history(record, actor=actor, reason=note or _("Layanan dimulai"))
        _log(record, transition="start", from_status="", actor=actor, at=now, note=note)
    return record


def record_lock(record, *, expected_status):
    """Lock the record's row for this transaction; refuse if someone moved it meanwhile.

    The form carries the status the user saw, so of two users (or two clicks)
    firing on the same record at once exactly one wins.
    """
    # of=("self",): lock the record's row only, not its unit's, so records of the same unit do not wait.
    locked = type(record).objects.select_for_update(of=("self",)).select_related("unit").get(pk=record.pk)
    if locked.status != expected_status:
        raise TransitionError(
            _("Data ini baru saja diubah oleh pengguna lain (status sekarang: %(status)s). Muat ulang halaman dan periksa kembali.")
            % {"status": locked.get_status_display()}
        )
    return locked


def transition_apply(locked, *, name, actor, note=""):
    """Fire transition `name` on a record already locked by record_lock."""
    workflow = locked.workflow
    transition = workflow.transitions.get(name)
    if transition is None:
        raise TransitionError(_("Transisi tidak dikenal."))
    if transition.source != locked.status:
        raise TransitionError(
            _("Langkah ini tidak dapat dilakukan dari status sekarang (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    if not roles_of(actor, locked.unit) & set(transition.roles):
        raise TransitionError(
            _("Langkah ini hanya dapat dilakukan oleh: %(roles)s.") % {"roles": ", ".join(transition.roles)}
        )
    missing = missing_requirements(locked, transition)
    if missing:
        raise TransitionError(_("Belum lengkap: %(items)s.") % {"items": ", ".join(missing)})

    now = timezone.now()
    from_status = locked.status
    _enter_status(locked, transition.target, now)
    _save_with_history(locked, actor=actor, reason=note or str(transition.label))
    _log(locked, transition=name, from_status=from_status, actor=actor, at=now, note=note)
    return locked


def transition_fire(record, *, name, actor, expected_status, note=""):
    """Lock, check and fire one transition in its own transaction."""
    with transaction.atomic():
        locked = record_lock(record, expected_status=expected_status)
        return transition_apply(locked, name=name, actor=actor, note=note)


def _log(record, *, transition, from_status, actor, at, note):
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        transition=transition,
        from_status=from_status,
        to_status=record.status,
        actor=actor,
        at=at,
        note=note,
    )
