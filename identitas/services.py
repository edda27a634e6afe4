"""The writes of a facilitation beside the steps the engine takes with their forms (identitas.forms): the new
report, the identity, the waits for Disdukcapil, the documents issued, the follow-ups and the Kabid's waivers.

Each write checks who acts and in which status, inside one transaction with the record's row locked
(portal.services.record_locked), and raises TransitionError with the reason in Indonesian. Each takes `now`
(default: the clock's), so the demo can enter a facilitation as it happened. Who reads the person's identity is
portal.identity's to say, as identitas.workflow declares it; the clock and the requirements are identitas.policy.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from identitas.models import (
    AccessLog,
    DisdukcapilWait,
    DocumentKind,
    Facilitation,
    FollowUp,
    IssuedDocument,
    Notes,
    RequirementWaiver,
    validate_document_number,
)
from identitas.policy import due_after_wait, is_kabid, requirements_missing, requirements_of
from portal.identity import log_access, reads_identity
from portal.models import Service
from portal.nik import parse_nik
from portal.services import record_locked, refuse_resubmission, save_with_history, workflow_start
from portal.workflow import TransitionError

# How far back a report's receipt may be entered: a letter opened last week is late already, not new.
RECEIPT_MAX_AGE = timedelta(days=7)
# The documents whose number is the person's NIK.
NIK_DOCUMENTS = (DocumentKind.NIK, DocumentKind.KTP, DocumentKind.KIA)


# Writes.


def _locked(facilitation, expected_status):
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("use inside transaction.atomic()")
    return record_locked(facilitation, expected_status=expected_status)


def _require_team(facilitation, actor):
    if not reads_identity(actor, facilitation):
        raise TransitionError(_("Hanya Tim Kerja dan Kabid layanan ini yang dapat melakukannya."))


def _require_open(facilitation):
    if not facilitation.is_open:
        raise TransitionError(_("Fasilitasi ini sudah selesai; datanya tidak dapat diubah lagi."))


def _require_status(facilitation, statuses, message):
    if facilitation.status not in statuses:
        raise TransitionError(message)


@transaction.atomic
def facilitation_create(*, service, actor, facilitation, person, reporter, report, submission=None, now=None):
    """Record a new report in step 1: the facilitation, the person as far as known, the reporter, the report.

    `facilitation`, `person` and `reporter` are unsaved instances from the form. The number is the next of the
    service's year, taken under the service's row lock (FOR NO KEY UPDATE: it does not block rows that only
    point at the service) so two officers recording at once never get the same number. The clock starts at
    the receipt the officer entered, which may be earlier than now but never later.
    """
    Service.objects.select_for_update(no_key=True).get(pk=service.pk)
    refuse_resubmission(Facilitation, submission)
    now = now or timezone.now()
    if facilitation.received_at > now:
        raise TransitionError(_("Waktu laporan diterima tidak boleh di masa depan."))
    if facilitation.received_at < now - RECEIPT_MAX_AGE:
        raise TransitionError(_("Waktu laporan diterima paling lama 7 hari yang lalu."))
    facilitation.service, facilitation.unit = service, service.unit
    facilitation.take_number(timezone.localtime(facilitation.received_at).year)
    facilitation.officer = actor
    facilitation.submission = submission
    workflow_start(facilitation, actor=actor, now=now)
    calendar = facilitation.unit.working_calendar()
    facilitation.due_at = calendar.add_working_minutes(facilitation.received_at, Facilitation.TIME_STANDARD_MINUTES)
    Facilitation.objects.filter(pk=facilitation.pk).update(due_at=facilitation.due_at)
    person.facilitation = facilitation
    person.save()
    reporter.facilitation = facilitation
    reporter.save()
    Notes.objects.create(facilitation=facilitation, report=report)
    log_access(facilitation, actor, AccessLog.Action.EDIT, what=_("Laporan baru dicatat"), at=now)
    return facilitation


@transaction.atomic
def identity_update(facilitation, *, actor, expected_status, person, reporter, fields=None, now=None):
    """Save the edited person and reporter (and the record's own `fields`, e.g. the PPKS category)."""
    with _locked(facilitation, expected_status) as locked:
        _require_open(locked)
        _require_team(locked, actor)
        person.facilitation = reporter.facilitation = locked
        person.save()
        reporter.save()
        if fields:
            for name, value in fields.items():
                setattr(locked, name, value)
            save_with_history(locked, actor=actor, at=now)
        log_access(locked, actor, AccessLog.Action.EDIT, what=_("Identitas PPKS dan pelapor"), at=now)
    return locked


@transaction.atomic
def wait_start(facilitation, *, actor, expected_status, now=None):
    """The team hands the person's data to Disdukcapil and waits: the agency's clock stops."""
    with _locked(facilitation, expected_status) as locked:
        _require_status(locked, ("accompaniment",), _("Menunggu Disdukcapil dicatat pada langkah pendampingan (6)."))
        _require_team(locked, actor)
        if locked.waits.filter(ended_at=None).exists():
            raise TransitionError(_("Penantian Disdukcapil sudah berjalan."))
        now = now or timezone.now()
        DisdukcapilWait.objects.create(facilitation=locked, started_at=now, started_by=actor, due_before=locked.due_at)
        locked.due_at = None
        save_with_history(locked, actor=actor, at=now)
    return locked


@transaction.atomic
def wait_end(facilitation, *, actor, expected_status, now=None):
    """Disdukcapil's output arrived: the clock runs again, the due time moved on by the wait."""
    with _locked(facilitation, expected_status) as locked:
        _require_team(locked, actor)
        wait = locked.waits.select_for_update().filter(ended_at=None).first()
        if wait is None:
            raise TransitionError(_("Tidak ada penantian Disdukcapil yang berjalan."))
        now = now or timezone.now()
        calendar = locked.unit.working_calendar()
        wait.minutes = calendar.working_minutes_between(wait.started_at, now)
        wait.ended_at, wait.ended_by = now, actor
        wait.save()
        locked.waited_minutes += wait.minutes
        locked.due_at = due_after_wait(
            calendar, due_before=wait.due_before, started_at=wait.started_at, minutes=wait.minutes
        )
        save_with_history(locked, actor=actor, at=now)
    return locked


@transaction.atomic
def document_add(facilitation, *, actor, expected_status, kind, number, issued_on, submission=None, now=None):
    """Record a document Disdukcapil issued; the first one makes the record suggest its follow-ups.

    A NIK document's number is the person's NIK: it fills a NIK not yet known and must match one that is.
    """
    with _locked(facilitation, expected_status) as locked:
        _require_status(
            locked, ("accompaniment", "result_report"),
            _("Dokumen yang terbit dicatat pada langkah pendampingan (6) atau pelaporan hasil (7)."),
        )
        _require_team(locked, actor)
        refuse_resubmission(IssuedDocument, submission)
        missing = requirements_missing(locked)
        if missing:
            raise TransitionError(
                _("Dokumen yang terbit dicatat setelah persyaratan lengkap. Belum lengkap: %(items)s.")
                % {"items": ", ".join(missing)}
            )
        number = number.strip()
        try:
            validate_document_number(kind, number)
        except ValidationError as error:
            raise TransitionError(" ".join(error.messages)) from None
        now = now or timezone.now()
        if issued_on > timezone.localdate(now) or issued_on < timezone.localtime(locked.received_at).date():
            raise TransitionError(_("Tanggal terbit harus antara tanggal laporan diterima dan hari ini."))
        if locked.documents.filter(kind=kind).exists():
            raise TransitionError(
                _("%(kind)s sudah dicatat untuk fasilitasi ini.") % {"kind": DocumentKind(kind).label}
            )
        if kind in NIK_DOCUMENTS:
            _nik_learned(locked.person, number)
        try:
            with transaction.atomic():
                IssuedDocument.objects.create(
                    facilitation=locked, kind=kind, number=number, issued_on=issued_on, recorded_by=actor,
                    recorded_at=now, submission=submission,
                )
        except IntegrityError:
            raise TransitionError(_("Isian ini sudah tersimpan sebelumnya; tidak disimpan dua kali.")) from None
        for follow_up in FollowUp.SUGGESTED_KINDS:
            FollowUp.objects.get_or_create(
                facilitation=locked, kind=follow_up, defaults={"updated_by": actor, "updated_at": now}
            )
        what = _("Dokumen terbit: %(kind)s") % {"kind": DocumentKind(kind).label}
        log_access(locked, actor, AccessLog.Action.EDIT, what=what, at=now)
    return locked


def _nik_learned(person, nik):
    """A document's NIK: it must match a NIK already known, and the person's sex and date of birth; it fills
    the NIK, and a date of birth that was only estimated, when they were not known."""
    if person.nik and person.nik != nik:
        raise TransitionError(_("Nomor pada dokumen berbeda dengan NIK PPKS yang sudah tercatat."))
    try:
        person.check_nik(nik)
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages)) from None
    if not person.nik:
        person.nik = nik
        if person.birth_date is None:
            person.birth_date = parse_nik(nik)[0]
        person.save(update_fields=["nik", "birth_date"])


def waiver_refusal(facilitation, user) -> str:
    """Why `user` may not waive a requirement of the facilitation now, or "" when they may.

    As the engine's approvals: not the team whose work it is, and not the Kabid who moved the record into the
    step it is in now."""
    if not facilitation.is_open:
        return _("Fasilitasi ini sudah selesai; datanya tidak dapat diubah lagi.")
    if not is_kabid(user, facilitation):
        return _("Persyaratan hanya dapat dikesampingkan oleh Kabid Rehdayasos layanan ini.")
    if facilitation.status_changed_by_id == user.pk:
        return _(
            "Anda yang memindahkan fasilitasi ini ke langkahnya sekarang, sehingga persyaratan dikesampingkan oleh "
            "pejabat lain, atau setelah Tim Kerja menyelesaikan langkah ini."
        )
    return ""


@transaction.atomic
def requirement_waive(facilitation, *, actor, expected_status, requirement, reason, now=None):
    """The Kabid lets the facilitation go on without one of the standard's requirements, for a written reason."""
    now = now or timezone.now()
    with _locked(facilitation, expected_status) as locked:
        refusal = waiver_refusal(locked, actor)
        if refusal:
            raise TransitionError(refusal)
        state = next((r for r in requirements_of(locked) if r.kind == requirement), None)
        if state is None:
            raise TransitionError(_("Persyaratan tidak dikenal."))
        if state.attached:
            raise TransitionError(
                _("Persyaratan %(label)s sudah terlampir; tidak perlu dikesampingkan.") % {"label": state.label}
            )
        if state.waiver is not None:
            raise TransitionError(_("Persyaratan %(label)s sudah dikesampingkan.") % {"label": state.label})
        if not state.waivable:
            raise TransitionError(
                _("Persyaratan %(label)s dicatat Tim Kerja dulu pada langkah 3: terlampir atau diminta dari sumbernya.")
                % {"label": state.label}
            )
        if not reason.strip():
            raise TransitionError(_("Tuliskan alasan persyaratan ini dikesampingkan."))
        RequirementWaiver.objects.create(
            facilitation=locked, requirement=requirement, reason=reason.strip(), waived_by=actor,
            waived_at=now,
        )
        what = _("Persyaratan dikesampingkan: %(label)s") % {"label": state.label}
        log_access(locked, actor, AccessLog.Action.EDIT, what=what, at=now)
    return locked


@transaction.atomic
def follow_up_update(facilitation, *, actor, expected_status, kind, state, done_on=None, note="", now=None):
    """Record what came of a follow-up (registered in DTSEN on a date, not needed because ...)."""
    now = now or timezone.now()
    with _locked(facilitation, expected_status) as locked:
        _require_open(locked)
        _require_team(locked, actor)
        if state == FollowUp.State.DONE and done_on is None:
            raise TransitionError(_("Isi tanggal tindak lanjut dilaksanakan."))
        if state == FollowUp.State.NOT_NEEDED and not note.strip():
            raise TransitionError(_("Tuliskan mengapa tindak lanjut ini tidak diperlukan."))
        if done_on is not None and done_on > timezone.localdate(now):
            raise TransitionError(_("Tanggal ini tidak boleh di masa depan."))
        FollowUp.objects.update_or_create(
            facilitation=locked, kind=kind,
            defaults={"state": state, "done_on": done_on if state == FollowUp.State.DONE else None, "note": note,
                      "updated_by": actor, "updated_at": now},
        )
    return locked
