"""The survey's writes: a link for a completed record, and an answer."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

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
