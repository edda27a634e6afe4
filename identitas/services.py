"""The rules of a facilitation: who reads a PPKS person's identity, the agency's clock, and every write beside the
engine's own steps.

Reading identity (UU 27/2022): the Tim Kerja and the Kabid of the unit running the service, that is the
officers and heads holding their role in that unit itself. Everyone else who sees the record (the Kepala
Dinas, as observer) sees it without the person: masked in lists, absent on the page. Every reading is
written to AccessLog by the view that shows it (`log_access`).

The clock: 300 working minutes from the report's receipt to the report to the Kabid (step 7). While the
team waits for Disdukcapil's output the agency's clock stops: the record's due time is cleared during the
wait and, at its end, moved on by the wait's working minutes (`due_after_wait`).

The standard's two requirements: each obtained (its document attached) or waived by the Kabid with a written
reason before Disdukcapil is approached and before the file is archived (identitas.workflow.REQUIREMENTS).

Each write checks who acts and in which status, inside one transaction with the record's row locked
(portal.services.record_locked), and raises TransitionError with the reason in Indonesian.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
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
from identitas.workflow import REQUIREMENTS, REQUIREMENTS_MET_BEFORE
from portal import clock, identity
from portal.models import Service, access_for
from portal.nik import parse_nik
from portal.roles import Role
from portal.services import attachments_of, record_locked, refuse_resubmission, transition_fire, workflow_start
from portal.workflow import TransitionError

# How far back a report's receipt may be entered: a letter opened last week is late already, not new.
RECEIPT_MAX_AGE = timedelta(days=7)
# The documents whose number is the person's NIK.
NIK_DOCUMENTS = (DocumentKind.NIK, DocumentKind.KTP, DocumentKind.KIA)


# Who reads what.


def identity_filter(user) -> Q:
    """The facilitations whose person's identity `user` reads: the Tim Kerja and the Kabid of the unit running
    the service (portal.identity, as identitas.workflow declares it)."""
    return identity.identity_filter(user, Facilitation)


def reads_identity(user, facilitation) -> bool:
    return identity.reads_identity(user, facilitation)


def is_kabid(user, facilitation) -> bool:
    """Whether `user` holds the office of Kabid of the unit running the service."""
    offices = Facilitation.workflow.executor("head").offices
    return facilitation.service.unit_id in access_for(user).office_units(offices)


def log_access(facilitation, user, action, *, what="", reason=""):
    AccessLog.objects.create(
        facilitation=facilitation, unit_id=facilitation.unit_id, user=user, action=action, what=str(what)[:200],
        reason=reason,
    )


# The agency's clock.


def agency_minutes(facilitation, now=None) -> int:
    """The working minutes the agency has spent so far (or in all, once reported), the waits left out."""
    if facilitation.agency_minutes is not None:
        return facilitation.agency_minutes
    wait = open_wait(facilitation)
    return minutes_spent(facilitation, facilitation.unit.working_calendar(), wait.started_at if wait else None, now)


def minutes_spent(facilitation, calendar, wait_started, now=None) -> int:
    """agency_minutes of an unreported facilitation, in its unit's `calendar`; `wait_started`: when the
    Disdukcapil wait that is running began, None if none is."""
    now = now or timezone.now()
    spent = calendar.working_minutes_between(facilitation.received_at, now) - facilitation.waited_minutes
    if wait_started is not None:
        spent -= calendar.working_minutes_between(wait_started, now)
    return max(spent, 0)


def register_minutes(rows, now=None):
    """Sets `minutes_spent` on each open, unreported facilitation of a register page (annotated with
    `wait_started`): the minutes used so far, with one calendar read per unit, not per row."""
    now = now or timezone.now()
    calendars = {}
    for row in rows:
        row.minutes_spent = None
        if not row.is_open or row.result_reported_at is not None:
            continue
        if row.unit_id not in calendars:
            try:
                calendars[row.unit_id] = row.unit.working_calendar()
            except clock.NoServiceHours:  # the unit's hours were removed since: the record's page says so
                calendars[row.unit_id] = None
        if calendars[row.unit_id] is not None:
            row.minutes_spent = minutes_spent(row, calendars[row.unit_id], row.wait_started, now)


def open_wait(facilitation):
    return facilitation.waits.filter(ended_at=None).first()


def due_after_wait(calendar, *, due_before, started_at, minutes):
    """The due time after a wait of `minutes` working minutes begun at `started_at`, the due time being
    `due_before` then.

    A wait counts its whole working minutes, rounded down as the clock rounds the agency's own minutes, and the
    due time moves on by exactly those: the agency never gains time from a wait, and the due time, seconds
    kept, never moves earlier. (Counting the minutes left from the wait's start and adding them to its end
    floored them a second time: a wait of no time could take a minute off the due time.)
    """
    if due_before is None or due_before <= started_at or not minutes:
        # Already late when the wait began: it stays late. A wait under a minute moves nothing.
        return due_before
    return calendar.add_working_minutes(due_before, minutes)


# The standard's requirements.


@dataclass(frozen=True)
class RequirementState:
    """One of the standard's requirements on a facilitation: as step 3 recorded it, and whether it is met."""

    kind: str  # the attachment kind, and the record's field step 3 fills
    label: str
    recorded: str  # a Facilitation.Requirement, or "" before step 3
    attached: bool
    waiver: RequirementWaiver | None

    @property
    def met(self):
        return self.attached or self.waiver is not None

    @property
    def waivable(self):
        """Not met, once step 3 recorded how the team meant to obtain it: a waiver answers a failed attempt."""
        return bool(self.recorded) and not self.met

    @property
    def status(self):
        if self.attached:
            return _("Terlampir")
        if self.waiver is not None:
            return _("Dikesampingkan oleh Kabid")
        if self.recorded == Facilitation.Requirement.REQUESTED:
            return _("Diminta dari sumbernya, belum terlampir")
        return _("Belum terlampir")


def requirements_of(facilitation) -> list[RequirementState]:
    """The standard's requirements of the facilitation, in the standard's order: two queries."""
    attached = set(attachments_of(facilitation).filter(kind__in=REQUIREMENTS).values_list("kind", flat=True))
    waivers = RequirementWaiver.objects.filter(facilitation=facilitation).select_related("waived_by")
    waived = {waiver.requirement: waiver for waiver in waivers}
    return [
        RequirementState(
            kind=kind, label=str(Facilitation._meta.get_field(kind).verbose_name), recorded=getattr(facilitation, kind),
            attached=kind in attached, waiver=waived.get(kind),
        )
        for kind in REQUIREMENTS
    ]


def requirements_missing(facilitation) -> list[str]:
    return [
        _("%(label)s (terlampir, atau dikesampingkan Kabid dengan alasan)") % {"label": requirement.label}
        for requirement in requirements_of(facilitation)
        if not requirement.met
    ]


# What a step needs before it is done (Facilitation.missing_for).


def missing_for(facilitation, transition) -> list[str]:
    notes = Notes.objects.filter(facilitation=facilitation).first() or Notes(facilitation=facilitation)
    name = transition.name
    missing = requirements_missing(facilitation) if name in REQUIREMENTS_MET_BEFORE else []
    if name == "report":
        if not notes.report.strip():
            missing.append(_("isi laporan"))
    elif name == "record":
        for requirement in requirements_of(facilitation):
            if not requirement.recorded:
                missing.append(_("%(label)s: terlampir atau diminta dari sumbernya") % {"label": requirement.label})
            elif requirement.recorded == Facilitation.Requirement.ATTACHED and not requirement.attached:
                missing.append(_("lampiran %(label)s") % {"label": requirement.label})
        if not notes.population_recorded:
            missing.append(_("status rekam data kependudukan"))
    elif name == "outreach":
        if not (notes.found_address.strip() and facilitation.kecamatan_id):
            missing.append(_("tempat PPKS ditemukan (alamat dan kecamatan)"))
        if not notes.condition.strip():
            missing.append(_("kondisi PPKS"))
        if not notes.photo_consent:
            missing.append(_("persetujuan foto"))
    elif name == "analysis":
        if not notes.needs_analysis.strip():
            missing.append(_("analisis kebutuhan"))
    elif name == "accompaniment":
        if facilitation.waits.filter(ended_at=None).exists():
            missing.append(_("hasil dari Disdukcapil (penantian masih berjalan)"))
        if not facilitation.documents.exists():
            missing.append(_("dokumen kependudukan yang terbit"))
    elif name == "result_report":
        if not notes.result_summary.strip():
            missing.append(_("hasil layanan"))
        if facilitation.standard_missed and not notes.missed_reason.strip():
            missing.append(_("alasan melewati standar waktu"))
    elif name == "archive":
        if facilitation.follow_ups.filter(state=FollowUp.State.SUGGESTED).exists():
            missing.append(_("keputusan setiap tindak lanjut yang disarankan"))
    return missing


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


def _save(record, actor):
    record._history_user = actor
    try:
        record.save()
    finally:
        del record._history_user


@transaction.atomic
def facilitation_create(*, service, actor, facilitation, person, reporter, report, submission=None):
    """Record a new report in step 1: the facilitation, the person as far as known, the reporter, the report.

    `facilitation`, `person` and `reporter` are unsaved instances from the form. The number is the next of the
    service's year, taken under the service's row lock (FOR NO KEY UPDATE: it does not block rows that only
    point at the service) so two officers recording at once never get the same number. The clock starts at
    the receipt the officer entered, which may be earlier than now but never later.
    """
    Service.objects.select_for_update(no_key=True).get(pk=service.pk)
    refuse_resubmission(Facilitation, submission)
    now = timezone.now()
    if facilitation.received_at > now:
        raise TransitionError(_("Waktu laporan diterima tidak boleh di masa depan."))
    if facilitation.received_at < now - RECEIPT_MAX_AGE:
        raise TransitionError(_("Waktu laporan diterima paling lama 7 hari yang lalu."))
    facilitation.service, facilitation.unit = service, service.unit
    facilitation.take_number(timezone.localtime(facilitation.received_at).year)
    facilitation.officer = actor
    facilitation.submission = submission
    workflow_start(facilitation, actor=actor)
    calendar = facilitation.unit.working_calendar()
    facilitation.due_at = calendar.add_working_minutes(facilitation.received_at, Facilitation.TIME_STANDARD_MINUTES)
    Facilitation.objects.filter(pk=facilitation.pk).update(due_at=facilitation.due_at)
    person.facilitation = facilitation
    person.save()
    reporter.facilitation = facilitation
    reporter.save()
    Notes.objects.create(facilitation=facilitation, report=report)
    log_access(facilitation, actor, AccessLog.Action.EDIT, what=_("Laporan baru dicatat"))
    return facilitation


@transaction.atomic
def identity_update(facilitation, *, actor, expected_status, person, reporter, fields=None):
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
            _save(locked, actor)
        log_access(locked, actor, AccessLog.Action.EDIT, what=_("Identitas PPKS dan pelapor"))
    return locked


# The notes each step writes, by the status in which they are written.
NOTES_BY_STATUS = {
    "report": ("report",),
    "record": ("population_recorded", "population_record_data"),
    "outreach": ("found_address", "desa", "latitude", "longitude", "condition", "family_traces", "photo_consent"),
    "analysis": ("needs_analysis",),
}
# The record's own fields written with a step's notes.
RECORD_FIELDS_BY_STATUS = {
    "record": ("population_record", "dtks_letter"),
    "outreach": ("kecamatan",),
}


@transaction.atomic
def step_notes_update(facilitation, *, actor, expected_status, notes, fields=None):
    """Write the current step's notes (and the record's fields that go with them), as the Tim Kerja or the Kabid.

    `notes`: {Notes field: value}; only the fields of the record's current step are accepted.
    """
    fields = fields or {}
    with _locked(facilitation, expected_status) as locked:
        _require_open(locked)
        _require_team(locked, actor)
        allowed = set(NOTES_BY_STATUS.get(locked.status, ()))
        allowed_fields = set(RECORD_FIELDS_BY_STATUS.get(locked.status, ()))
        if not notes.keys() <= allowed or not fields.keys() <= allowed_fields:
            raise TransitionError(_("Catatan ini diisi pada langkahnya sendiri."))
        row = Notes.objects.select_for_update().get(facilitation=locked)
        for name, value in notes.items():
            setattr(row, name, value)
        desa = notes.get("desa")
        kecamatan = fields.get("kecamatan", locked.kecamatan)
        if desa is not None and kecamatan is not None and desa.kecamatan_id != kecamatan.pk:
            raise TransitionError(_("Desa/kelurahan itu tidak berada di kecamatan yang dipilih."))
        row.save()
        if fields:
            for name, value in fields.items():
                setattr(locked, name, value)
            _save(locked, actor)
        log_access(locked, actor, AccessLog.Action.EDIT, what=_("Catatan langkah %(step)s") % {"step": locked.step.number})
    return locked


@transaction.atomic
def wait_start(facilitation, *, actor, expected_status):
    """The team hands the person's data to Disdukcapil and waits: the agency's clock stops."""
    with _locked(facilitation, expected_status) as locked:
        _require_status(locked, ("accompaniment",), _("Menunggu Disdukcapil dicatat pada langkah pendampingan (6)."))
        _require_team(locked, actor)
        if locked.waits.filter(ended_at=None).exists():
            raise TransitionError(_("Penantian Disdukcapil sudah berjalan."))
        now = timezone.now()
        DisdukcapilWait.objects.create(facilitation=locked, started_at=now, started_by=actor, due_before=locked.due_at)
        locked.due_at = None
        _save(locked, actor)
    return locked


@transaction.atomic
def wait_end(facilitation, *, actor, expected_status):
    """Disdukcapil's output arrived: the clock runs again, the due time moved on by the wait."""
    with _locked(facilitation, expected_status) as locked:
        _require_team(locked, actor)
        wait = locked.waits.select_for_update().filter(ended_at=None).first()
        if wait is None:
            raise TransitionError(_("Tidak ada penantian Disdukcapil yang berjalan."))
        now = timezone.now()
        calendar = locked.unit.working_calendar()
        wait.minutes = calendar.working_minutes_between(wait.started_at, now)
        wait.ended_at, wait.ended_by = now, actor
        wait.save()
        locked.waited_minutes += wait.minutes
        locked.due_at = due_after_wait(
            calendar, due_before=wait.due_before, started_at=wait.started_at, minutes=wait.minutes
        )
        _save(locked, actor)
    return locked


@transaction.atomic
def document_add(facilitation, *, actor, expected_status, kind, number, issued_on, submission=None):
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
        if issued_on > timezone.localdate() or issued_on < timezone.localtime(locked.received_at).date():
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
                    submission=submission,
                )
        except IntegrityError:
            raise TransitionError(_("Isian ini sudah tersimpan sebelumnya; tidak disimpan dua kali.")) from None
        for follow_up in FollowUp.SUGGESTED_KINDS:
            FollowUp.objects.get_or_create(facilitation=locked, kind=follow_up, defaults={"updated_by": actor})
        log_access(locked, actor, AccessLog.Action.EDIT, what=_("Dokumen terbit: %(kind)s") % {"kind": DocumentKind(kind).label})
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
def requirement_waive(facilitation, *, actor, expected_status, requirement, reason):
    """The Kabid lets the facilitation go on without one of the standard's requirements, for a written reason."""
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
            waived_at=timezone.now(),
        )
        what = _("Persyaratan dikesampingkan: %(label)s") % {"label": state.label}
        log_access(locked, actor, AccessLog.Action.EDIT, what=what)
    return locked


@transaction.atomic
def follow_up_update(facilitation, *, actor, expected_status, kind, state, done_on=None, note=""):
    """Record what came of a follow-up (registered in DTSEN on a date, not needed because ...)."""
    with _locked(facilitation, expected_status) as locked:
        _require_open(locked)
        _require_team(locked, actor)
        if state == FollowUp.State.DONE and done_on is None:
            raise TransitionError(_("Isi tanggal tindak lanjut dilaksanakan."))
        if state == FollowUp.State.NOT_NEEDED and not note.strip():
            raise TransitionError(_("Tuliskan mengapa tindak lanjut ini tidak diperlukan."))
        if done_on is not None and done_on > timezone.localdate():
            raise TransitionError(_("Tanggal ini tidak boleh di masa depan."))
        FollowUp.objects.update_or_create(
            facilitation=locked, kind=kind,
            defaults={"state": state, "done_on": done_on if state == FollowUp.State.DONE else None, "note": note,
                      "updated_by": actor, "updated_at": timezone.now()},
        )
    return locked


@transaction.atomic
def result_report(facilitation, *, actor, expected_status, summary, missed_reason=""):
    """Step 7: the team reports the result to the Kabid, and the agency's time is measured and kept.

    Past the 300 minutes the standard promises compensation, so a missed standard is recorded with its reason.
    """
    with _locked(facilitation, expected_status) as locked:
        _require_team(locked, actor)
        _require_status(locked, ("result_report",), _("Hasil dilaporkan pada langkah 7."))
        now = timezone.now()
        minutes = agency_minutes(locked, now)
        missed = minutes > Facilitation.TIME_STANDARD_MINUTES
        if missed and not missed_reason.strip():
            raise TransitionError(
                _("Waktu layanan %(minutes)d menit melewati standar 300 menit: tuliskan alasannya.") % {"minutes": minutes}
            )
        Notes.objects.filter(facilitation=locked).update(
            result_summary=summary, missed_reason=missed_reason.strip() if missed else ""
        )
        Facilitation.objects.filter(pk=locked.pk).update(
            agency_minutes=minutes, standard_missed=missed, result_reported_at=now
        )
        locked.agency_minutes, locked.standard_missed, locked.result_reported_at = minutes, missed, now
        log_access(locked, actor, AccessLog.Action.EDIT, what=_("Laporan hasil layanan"))
        return transition_fire(locked, name="result_report", actor=actor, expected_status="result_report")
