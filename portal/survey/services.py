"""The survey's writes: a link for a completed record, e-mailed to whoever asked for it, and an answer."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from portal.notifications.services import email_queue
from portal.survey.elements import ELEMENT_CODES
from portal.survey.models import Invitation, Response

# Answers through the service's public link from one address: at most this many in the window.
RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)
ANSWER_FIELDS = (*ELEMENT_CODES, "sex", "age_band", "education", "occupation", "comment")


class Refused(Exception):
    """An answer the survey does not take; `status` is the page's HTTP status."""

    status = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class LinkUsed(Refused):
    status = 410


class TooManyAnswers(Refused):
    status = 429


def address_hash(address) -> str:
    """The client's address as an HMAC under SECRET_KEY: answers from one address can be counted, and the address
    is kept nowhere."""
    return salted_hmac("portal.survey.address", address or "", algorithm="sha256").hexdigest()


def invitation_create(*, service, record=None) -> Invitation:
    """A survey link for `service`: for a completed `record`, its one link (the same every time it is asked);
    without a record, a new one."""
    if record is None:
        return Invitation.objects.create(service=service, token=secrets.token_urlsafe(32))
    if record.service_id != service.pk:
        raise ValidationError(_("Berkas ini bukan berkas layanan tersebut."))
    if record.is_open:
        raise ValidationError(_("Tautan survei diberikan setelah layanan selesai."))
    invitation, _created = Invitation.objects.get_or_create(
        record_app=record._meta.app_label,
        record_pk=record.pk,
        defaults={
            "service": service,
            "token": secrets.token_urlsafe(32),
            # The record's number names no one (portal.models.YearNumbered); a record without one, its key.
            "record_number": str(getattr(record, "number", None) or record.pk),
        },
    )
    return invitation


def invitation_mail(*, record, now=None) -> Invitation | None:
    """E-mail a record's survey link to whoever asked for it (WorkflowRecord.contact_email), once. The engine calls
    it as the record reaches DONE (portal.services.transition_fire), inside the step's transaction: a rollback
    sends nothing and keeps nothing. Returns the invitation e-mailed, or None: a record without a standard of its
    own (WorkflowRecord.own_standard: the complaint desk), without an address, or whose link went already."""
    if not record.own_standard:
        return None
    address = record.contact_email()
    if not address:
        return None
    now = now or timezone.now()
    invitation = invitation_create(service=record.service, record=record)
    # Claimed by one conditional UPDATE: of two completions at once (or one retried) only one sends.
    if not Invitation.objects.filter(pk=invitation.pk, emailed_at=None).update(emailed_at=now):
        return None
    invitation.emailed_at = now
    url = settings.PORTAL_PUBLIC_URL + reverse("survey:answer", args=[invitation.token])
    # The service and the record's number only: the e-mail names no one (no name, no NIK).
    words = {"service": record.service.name, "number": invitation.record_number, "url": url}
    email_queue(
        subject=_("Survei kepuasan layanan %(service)s") % words,
        body=_(
            "Layanan %(service)s untuk berkas nomor %(number)s telah selesai.\n\n"
            "Mohon kesediaan Anda mengisi Survei Kepuasan Masyarakat tentang layanan ini melalui tautan berikut:\n"
            "%(url)s\n\n"
            "Pengisian hanya memerlukan beberapa menit dan bersifat anonim: tidak ada nama yang dicantumkan. "
            "Tautan ini hanya dapat diisi satu kali.\n"
        ) % words,
        to=[address],
    )
    return invitation


def response_submit(*, service, answers, address, invitation=None, now=None) -> Response:
    """Save one answer (`answers`: the form's cleaned data) for `service`, through `invitation` or the service's
    public link. A link answers once; the public link takes RATE_LIMIT answers an hour from one address."""
    if invitation is not None and invitation.service_id != service.pk:
        raise ValueError("the invitation is another service's")
    now = now or timezone.now()
    client = address_hash(address)
    with transaction.atomic():
        if invitation is not None:
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if invitation.used_at is not None:
                raise LinkUsed(_("Tautan survei ini sudah dipakai. Terima kasih, jawaban Anda sudah kami terima."))
        else:
            recent = Response.objects.filter(invitation=None, client_hash=client, submitted_at__gt=now - RATE_WINDOW)
            if recent.count() >= RATE_LIMIT:
                raise TooManyAnswers(_(
                    "Terlalu banyak jawaban survei dari alamat jaringan yang sama dalam satu jam. Jawaban ini tidak "
                    "disimpan; silakan coba lagi nanti."
                ))
        response = Response(
            service=service, invitation=invitation, submitted_at=now, client_hash=client,
            **{field: answers[field] for field in ANSWER_FIELDS},
        )
        response.full_clean()
        response.save()
        if invitation is not None:
            invitation.used_at = now
            invitation.save(update_fields=["used_at"])
    return response
