"""The guarantee's writes: the reason a record passed its time standard, and the head's decision on the
compensation. Each locks the record's one MissedStandard row, so a double submit saves once, and each refuses
(TransitionError, in Indonesian) rather than changing anything."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.guarantee import policy
from portal.guarantee.models import MissedStandard, Promise
from portal.notifications.services import email_queue
from portal.workflow import TransitionError


def promises_compensation(service) -> bool:
    return Promise.objects.filter(service=service, compensation=True).exists()


def _locked_row(record) -> MissedStandard:
    """The record's MissedStandard, made on first need and locked for the enclosing transaction."""
    key = policy.record_key(record)
    MissedStandard.objects.get_or_create(**key, defaults={
        "service_id": record.service_id, "unit_id": record.unit_id,
        "record_number": policy.record_number(record), "due_at": record.due_at,
    })
    return MissedStandard.objects.select_for_update().get(**key)


def reason_record(record, *, reason, actor, now=None) -> MissedStandard:
    """Write why `record` passed its time standard, as one who acts on it. A reason is written once."""
    now = now or timezone.now()
    reason = reason.strip()
    if not policy.missed(record, now):
        raise TransitionError(_("Berkas ini tidak melewati standar waktu layanan."))
    refusal = policy.reason_refusal(record, actor)
    if refusal:
        raise TransitionError(refusal)
    if not reason:
        raise TransitionError(_("Tuliskan alasan melewati standar waktu."))
    if type(record).recorded_missed_reasons([record]).get(record.pk):
        raise TransitionError(_("Alasan berkas ini sudah tercatat pada langkah layanannya."))
    with transaction.atomic():
        row = _locked_row(record)
        if row.reason:
            raise TransitionError(_("Alasan berkas ini sudah tercatat; tidak dicatat dua kali."))
        row.reason, row.reason_by, row.reason_at = reason, actor, now
        row.save(update_fields=["reason", "reason_by", "reason_at"])
    return row


def compensation_decide(record, *, data, actor, now=None) -> MissedStandard:
    """The head's decision on the compensation the service promises (`data`: DecisionForm's cleaned data): given
    (what, when, to whom) or none (why). Refused before a reason exists, and once decided. Where the record has a
    contact e-mail (WorkflowRecord.contact_email) the decision is sent there after the commit."""
    now = now or timezone.now()
    if not policy.missed(record, now):
        raise TransitionError(_("Berkas ini tidak melewati standar waktu layanan."))
    if not promises_compensation(record.service):
        raise TransitionError(_("Standar pelayanan layanan ini tidak menjanjikan kompensasi."))
    refusal = policy.decision_refusal(record, actor)
    if refusal:
        raise TransitionError(refusal)
    kept_by_app = type(record).recorded_missed_reasons([record]).get(record.pk)
    email = record.contact_email()
    with transaction.atomic():
        row = _locked_row(record)
        if not (row.reason or kept_by_app):
            raise TransitionError(_("Alasan melewati standar waktu belum dituliskan: kompensasi diputuskan sesudahnya."))
        if row.decision:
            raise TransitionError(_("Kompensasi berkas ini sudah diputuskan; tidak diputuskan dua kali."))
        given = data["decision"] == MissedStandard.Decision.GIVEN
        row.decision = data["decision"]
        row.compensation = data["compensation"].strip() if given else ""
        row.given_on = data["given_on"] if given else None
        row.given_to = data["given_to"] if given else ""
        row.no_compensation_reason = "" if given else data["no_compensation_reason"].strip()
        row.decided_by, row.decided_at = actor, now
        row.notified_via = MissedStandard.Notice.EMAIL if email else data.get("notified_via", "")
        row.notified_at = now if row.notified_via else None
        row.save()
        if email:
            _mail(row, record.service, email)
    return row


def _mail(row, service, address):
    subject = _("Kompensasi layanan berkas %(number)s") % {"number": row.record_number}
    body = _(
        "Layanan %(service)s untuk berkas nomor %(number)s melewati standar waktu pelayanan.\n\n"
        "Sesuai jaminan pelayanan dalam standar pelayanan, keputusan kompensasinya: %(decision)s.\n"
    ) % {"service": service.name, "number": row.record_number, "decision": row.decision_words()}
    email_queue(subject=subject, body=body, to=[address])
