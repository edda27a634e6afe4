"""Writes of the workflow engine: starting records, firing transitions, attaching documents.

Every status change of every SOP record goes through `transition_fire`: in one
transaction it locks the record's row, checks that its status is still the one
the user saw, checks role, separation of duties and the step's requirements,
sets the status and due times, and keeps the simple-history row and one
TransitionLog row. An app whose step also writes other rows (a stock issue
locking its stock rows) opens the transaction itself and takes the record's
lock first with `record_locked`, then fires inside it.
"""

import mimetypes
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import clock, identity
from portal.models import Attachment, TransitionLog, Unit, access_for
from portal.roles import Office
from portal.notifications.services import transition_notify
from portal.survey.services import invitation_mail
from portal.workflow import DONE, SAVE_ONLY, TransitionError


class StepRefused(TransitionError):
    """A step whose checks do not hold: `errors` are (field of the step's form or "", message) pairs."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(_("Belum lengkap: %(items)s") % {"items": " ".join(str(message) for _field, message in errors)})


def missing_requirements(record, transition) -> list[tuple[str, str]]:
    """What the record still lacks before the transition may fire: (form field or "", message) pairs."""
    missing = []
    if transition.required_documents:
        present = set(attachments_of(record).values_list("kind", flat=True))
        missing += [
            ("", _("Lampirkan %(document)s.") % {"document": record.workflow.document_label(kind)})
            for kind in transition.required_documents
            if kind not in present
        ]
    return missing + [(check.field, str(check.message)) for check in transition.checks if not check.test(record)]


def record_roles(record, user) -> set[str]:
    """The roles `user` holds for the record: in its unit or above, and a guest's (a case's team member from
    another unit, WorkflowRecord.guest_role) on a record that names them."""
    roles = access_for(user).roles_in(record.unit_id)
    model = type(record)
    guest_role = model.guest_role
    if guest_role is None or guest_role in roles or record.pk is None or not user.is_authenticated:
        return roles
    cache = record.__dict__.setdefault("_guest_of", {})
    if user.pk not in cache:
        cache[user.pk] = model.objects.filter(model.named_filter(user), pk=record.pk).exists()
    return roles | {guest_role} if cache[user.pk] else roles


def acting_actors(record, actors, user) -> list:
    """Which of `actors` (portal.workflow.Actor) `user` may act as on the record."""
    access, roles = access_for(user), record_roles(record, user)
    return [actor for actor in actors if access.satisfies(actor, roles, record.service.unit_id)]


def executor_description(record, executor_code) -> str:
    """Who an executor column is, in words: "Sekretaris (Sekretaris Dinas di DPPKBPPPA Ciamis)"."""
    executor = record.workflow.executor(executor_code)
    if not executor.offices:
        return str(executor.label)
    offices = _(" atau ").join(str(Office.LABELS[office]) for office in executor.offices)
    return _("%(executor)s (pemegang jabatan %(offices)s di %(unit)s)") % {
        "executor": executor.label, "offices": offices, "unit": record.service.unit
    }


def transition_refusal(record, transition, user) -> str:
    """Why `user` may not fire `transition` on the record as it stands, or "" when they may.

    Requirements are not looked at here: the buttons show, and firing says what is missing.
    """
    if transition.source != record.status:
        return _("Langkah ini tidak dapat dilakukan dari status sekarang (%(status)s).") % {
            "status": record.get_status_display()
        }
    actors = acting_actors(record, transition.actors, user)
    if not actors:
        return _("Anda tidak dapat melakukan langkah ini: langkah ini dilakukan oleh %(executor)s.") % {
            "executor": executor_description(record, transition.executor)
        }
    if not any(_may_act(record, actor.role, user) for actor in actors):
        return _("Langkah ini hanya dapat dilakukan oleh petugas yang ditugaskan pada berkas ini.")
    if transition.approval and record.status_changed_by_id == user.pk:
        return _(
            "Anda yang mengerjakan langkah sebelumnya, sehingga persetujuan ini harus dilakukan oleh pejabat lain."
        )
    return record.workflow.hold_reason(transition, record)


def _may_act(record, role, user) -> bool:
    # Asked once per role, user and status on a record object: each of a step's buttons asks it.
    asked = record.__dict__.setdefault("_may_act", {})
    key = (role, user.pk, record.status)
    if key not in asked:
        narrower = type(record).actor_filter(role, user, statuses=[record.status])
        asked[key] = not narrower or type(record).objects.filter(narrower, pk=record.pk).exists()
    return asked[key]


def available_transitions(record, user):
    """The transitions this user may fire on the record now: what the buttons show."""
    return [t for t in record.workflow.transitions_from(record.status) if not transition_refusal(record, t, user)]


def _due(time_standard, start, unit):
    try:
        return time_standard.due(start, unit.working_calendar())
    except clock.NoServiceHours:
        raise TransitionError(
            _("Unit %(unit)s belum memiliki jam pelayanan, sehingga batas waktu tidak dapat dihitung. Hubungi admin.")
            % {"unit": unit}
        ) from None


def _enter_status(record, status, *, actor, now):
    record.status = status
    record.status_changed_at = now
    record.status_changed_by = actor
    workflow = record.workflow
    step = workflow.step_for(status)
    record.step_due_at = _due(step.time, now, record.unit) if step is not None and step.time else None
    if workflow.time_covers and status not in workflow.time_covers:
        record.due_at = record.step_due_at


def save_with_history(record, *, actor, reason=None, at=None, update_fields=None):
    """Save a record with simple-history's actor, reason and moment (default now), then forget them so a later
    save cannot reuse them: every write of a record goes through here.

    The reason is the step's label, never the user's note: a note may name a person, and the history is
    read by everyone who sees the record; notes stay in TransitionLog, which the record guards.
    """
    record._history_user, record._change_reason, record._history_date = actor, reason, at or timezone.now()
    try:
        record.save(update_fields=update_fields)
    finally:
        del record._history_user, record._change_reason, record._history_date


def workflow_start(record, *, actor, status=None, note="", now=None):
    """Save a new record (its service and unit set) in its first step, with its due times, and log its start.

    `actor` None: the public started it (a complaint sent from the public form), which the model must allow
    (WorkflowRecord.public_start). `now`, as in every write of the engine, is when it happens: the demo records
    acts of past days with it."""
    workflow = record.workflow
    status = status or workflow.initial_statuses[0]
    if record.service.app != record._meta.app_label:
        raise TransitionError(_("Layanan %(service)s tidak dijalankan oleh SOP ini.") % {"service": record.service})
    if status not in workflow.initial_statuses:
        raise TransitionError(_("Layanan tidak dapat dimulai pada langkah ini."))
    if actor is None:
        if not record.public_start:
            raise TransitionError(_("Layanan ini dimulai oleh petugas."))
    elif not acting_actors(record, workflow.start_actors(status), actor):
        raise TransitionError(
            _("Anda tidak dapat memulai layanan ini: langkah pertamanya dilakukan oleh %(executor)s.")
            % {"executor": executor_description(record, workflow.step_for(status).executor)}
        )
    tree = access_for(actor).tree if actor is not None else Unit.objects.tree()
    if record.service.unit_id not in tree.above(record.unit_id):
        raise TransitionError(_("Unit ini tidak melaksanakan layanan %(service)s.") % {"service": record.service})
    now = now or timezone.now()
    with transaction.atomic():
        record.created_at = now
        if workflow.time is not None:
            record.due_at = _due(workflow.time, now, record.unit)
        _enter_status(record, status, actor=actor, now=now)
        save_with_history(record, actor=actor, reason=_("Layanan dimulai"), at=now)
        _log(record, transition="start", from_status="", actor=actor, at=now, note=note)
        _announce(record, actor=actor, now=now)
    return record


def _announce(record, *, actor, now):
    """What a step sets going beside the record, in its transaction: whoever may take the next step is told
    (portal.notifications), and a completed record's person is e-mailed the survey link (portal.survey)."""
    transition_notify(record, actor=actor, now=now)
    if record.status == DONE:
        invitation_mail(record=record, now=now)


@contextmanager
def record_locked(record, *, expected_status):
    """Lock the record's row for the enclosing transaction; refuse if someone moved it meanwhile.

    The form carries the status the user saw, so of two users (or two clicks)
    acting on the same record at once exactly one goes on. Use inside
    `transaction.atomic()`, before locking any other row the step writes.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_locked() must run inside transaction.atomic()")
    # of=("self",): lock the record's row only, not its unit's, so records of the same unit do not wait.
    queryset = type(record).objects.select_for_update(of=("self",)).select_related("unit", "service")
    locked = queryset.get(pk=record.pk)
    if locked.status != expected_status:
        raise TransitionError(changed_meanwhile(locked))
    yield locked


def changed_meanwhile(record) -> str:
    """Why a write sent from a page showing an earlier status of the record is refused."""
    return _(
        "Data ini baru saja diubah oleh pengguna lain (status sekarang: %(status)s). Muat ulang halaman dan periksa kembali."
    ) % {"status": record.get_status_display()}


def transition_fire(record, *, name, actor, expected_status, note="", now=None):
    """Fire transition `name` on the record as `actor`: lock, check, save, log, announce. Returns the record as
    saved.

    Runs in its own transaction, or inside the caller's (e.g. within `record_locked`).
    """
    transition = record.workflow.transitions.get(name)
    if transition is None:
        raise TransitionError(_("Transisi tidak dikenal."))
    with transaction.atomic(), record_locked(record, expected_status=expected_status) as locked:
        refusal = transition_refusal(locked, transition, actor)
        if refusal:
            raise TransitionError(refusal)
        if transition.note_required and not note.strip():
            raise TransitionError(_("Tuliskan alasannya di catatan: langkah ini tidak dapat dilakukan tanpa alasan."))
        missing = missing_requirements(locked, transition)
        if missing:
            raise StepRefused(missing)
        now = now or timezone.now()
        from_status = locked.status
        _enter_status(locked, transition.target, actor=actor, now=now)
        save_with_history(locked, actor=actor, reason=str(transition.label), at=now)
        _log(locked, transition=name, from_status=from_status, actor=actor, at=now, note=note)
        _announce(locked, actor=actor, now=now)
    return locked


def step_take(record, *, form, actor):
    """Take the step a valid StepForm (portal.forms) was sent for: in one transaction lock the record, check that
    the user may take it, save the form's data, and fire the chosen transition, whose checks read the data just
    saved. Refused, nothing is kept, and the caller shows the form again as typed. With SAVE_ONLY the data is
    saved and the step stays open."""
    data = form.cleaned_data
    name = data["transition"]
    form.now = now = form.now or timezone.now()
    with transaction.atomic(), record_locked(record, expected_status=data["expected_status"]) as locked:
        transitions = locked.workflow.transitions_from(locked.status)
        chosen = [t for t in transitions if t.name == name] if name != SAVE_ONLY else transitions
        refusals = [transition_refusal(locked, transition, actor) for transition in chosen]
        if not chosen or all(refusals):
            raise TransitionError(refusals[0] if refusals else _("Transisi tidak dikenal."))
        # A way out that cannot be undone (voiding) is sent from its own small form, without the step's fields.
        if name == SAVE_ONLY or not chosen[0].confirm:
            form.save(locked, actor)
        if name != SAVE_ONLY:
            locked = transition_fire(
                locked, name=name, actor=actor, expected_status=locked.status, note=data.get("note", "").strip(), now=now,
            )
    return locked


def pending_tasks(record, user):
    """The tasks (Workflow.tasks) waiting on the record that `user` may do now."""
    workflow = record.workflow
    tasks = [task for task in workflow.tasks if record.status in task.statuses]
    tasks = [task for task in tasks if acting_actors(record, workflow.executor(task.executor).actors, user)]
    if not tasks:
        return []
    model = type(record)
    return [task for task in tasks if model.objects.filter(task.pending(), pk=record.pk).exists()]


def refuse_resubmission(model, submission):
    """Refuse a form posted a second time (a double click, a re-sent page): its one-time token is already saved.

    Call it under the row lock the write holds, so of two identical posts at once only the first saves.
    """
    if submission is not None and model.objects.filter(submission=submission).exists():
        raise TransitionError(_("Isian ini sudah tersimpan sebelumnya; tidak disimpan dua kali."))


def _log(record, *, transition, from_status, actor, at, note):
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        unit_id=record.unit_id,
        transition=transition,
        from_status=from_status,
        to_status=record.status,
        actor=actor,
        at=at,
        note=note,
    )


def attachments_of(record):
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


def attachment_refusal(record, user) -> str:
    """Why `user` may not attach documents to the record now, or ""."""
    step = record.step
    if step is None:
        return _("Layanan ini sudah selesai; lampiran tidak dapat ditambahkan.")
    if identity.keeps_from(user, record):
        return _("Lampiran berkas ini hanya untuk tim yang menangani dan pimpinannya.")
    if not acting_actors(record, record.workflow.acting_actors(step.executor), user):
        return _("Lampiran langkah ini hanya dapat diunggah oleh pelaksananya.")
    # Whoever may not take the step (a head deciding on their own work) may not add to its file either.
    refusals = [transition_refusal(record, t, user) for t in record.workflow.transitions_from(record.status)]
    if refusals and all(refusals):
        return refusals[0]
    return ""


def attachment_add(record, *, kind, file, actor, now=None):
    """Attach an uploaded document of a declared kind to the record, as the current step's executor; `actor`
    None: sent by the public with the form that started it (workflow_start with no actor)."""
    if kind not in record.workflow.documents:
        raise TransitionError(_("Jenis dokumen tidak dikenal."))
    if actor is None:
        refusal = "" if record.public_start and record.status_changed_by_id is None else _("Lampiran diunggah petugas.")
    else:
        refusal = attachment_refusal(record, actor)
    refusal = refusal or record.refuses_attachment(kind)
    if refusal:
        raise TransitionError(refusal)
    mime_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        unit_id=record.unit_id,
        kind=kind,
        file=file,
        mime_type=mime_type,
        uploaded_by=actor,
        uploaded_at=now or timezone.now(),
    )
