"""Writes of the complaint desk: a complaint sent by the public or recorded by an officer, a reply to the
complainant, a head's instruction on a late complaint. Status changes go through portal.services."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.complaints.models import Complaint, Desk, Reply, keyed_hash
from portal.complaints.workflow import EVIDENCE
from portal.notifications.services import email_queue
from portal.services import attachment_add, refuse_resubmission, save_with_history, workflow_start
from portal.workflow import TransitionError

# A flood from one address: at most this many complaints an hour reach the desk from the public form.
PUBLIC_LIMIT_PER_HOUR = 5
# Guesses of a follow-up code from one address an hour, right or wrong.
FOLLOW_UP_LIMIT_PER_HOUR = 20


def public_limit_reached(client_address, *, now=None) -> bool:
    since = (now or timezone.now()) - datetime.timedelta(hours=1)
    sent = Complaint.objects.filter(client_digest=keyed_hash(client_address), created_at__gte=since).count()
    return sent >= PUBLIC_LIMIT_PER_HOUR


def _start(complaint, desk, *, actor, now):
    complaint.service = desk.service
    complaint.unit = complaint.about.unit if complaint.about_id else desk.general_unit
    with transaction.atomic():
        complaint.take_number((now or timezone.now()).year)  # under the desk's lock: so is the check below
        refuse_resubmission(Complaint, complaint.submission)
        if actor is None or not actor.is_authenticated:
            actor = None
        workflow_start(complaint, actor=actor, status=desk.procedure, now=now)
    return complaint


def complaint_submit(
    *, desk: Desk, complaint: Complaint, client_address: str, evidence=None, now=None
) -> tuple[Complaint, str]:
    # `complaint.submission`: the form's one-time token, so a double click files one complaint.
    """A complaint sent from the public form: numbered, started in the desk's first step, and given its secret
    follow-up code, which is returned once and kept only as a digest. Refused over the hourly limit of its address."""
    if public_limit_reached(client_address, now=now):
        raise TransitionError(_(
            "Terlalu banyak pengaduan dari alamat jaringan ini dalam satu jam. Coba lagi nanti, atau sampaikan "
            "langsung melalui telepon atau datang ke kantor."
        ))
    complaint.channel = Complaint.Channel.PORTAL
    complaint.client_digest = keyed_hash(client_address)
    code = complaint.set_follow_up_code()
    with transaction.atomic():
        _start(complaint, desk, actor=None, now=now)
        if evidence is not None:
            attachment_add(complaint, kind=EVIDENCE, file=evidence, actor=None, now=now)
    _mail_receipt(complaint, code)
    return complaint, code


def complaint_record(*, desk: Desk, complaint: Complaint, actor, now=None) -> tuple[Complaint, str]:
    """A complaint an officer records as it came (in person, by telephone, letter, e-mail, Instagram, the agency's
    website), with the follow-up code to hand over."""
    complaint.recorded_by = actor
    code = complaint.set_follow_up_code()
    _start(complaint, desk, actor=actor, now=now)
    _mail_receipt(complaint, code)
    return complaint, code


def _follow_up_url():
    return settings.PORTAL_PUBLIC_URL + reverse("complaints:follow_up")


def _mail(complaint, subject, body):
    """E-mail to the complainant after the transaction commits: a rollback sends nothing."""
    if complaint.email:
        email_queue(subject=subject, body=body, to=[complaint.email])


def _mail_receipt(complaint, code):
    _mail(
        complaint,
        _("Pengaduan %(number)s diterima") % {"number": complaint.number},
        _(
            "Pengaduan Anda telah kami terima dengan nomor %(number)s.\n\nKode tindak lanjut: %(code)s\n\n"
            "Simpan nomor dan kode ini untuk melihat perkembangan dan jawabannya di %(url)s.\n"
        ) % {"number": complaint.number, "code": code, "url": _follow_up_url()},
    )


def reply_send(complaint, *, text, actor, now=None) -> Reply:
    """A reply to the complainant, kept for the follow-up page and e-mailed when they gave an address. Called by
    the step that completes with it, inside its transaction."""
    now = now or timezone.now()
    reply = Reply.objects.create(
        complaint=complaint, text=text, sent_at=now, author=actor, emailed=bool(complaint.email)
    )
    if complaint.first_response_at is None:
        complaint.first_response_at = now
    _mail(
        complaint,
        _("Jawaban atas pengaduan %(number)s") % {"number": complaint.number},
        _("%(text)s\n\nPerkembangan pengaduan %(number)s dapat dilihat di %(url)s dengan kode tindak lanjut Anda.\n")
        % {"text": text, "number": complaint.number, "url": _follow_up_url()},
    )
    return reply


def instruction_give(complaint, *, text, actor, now=None):
    """A head's instruction on a complaint past its response time: it leaves the head's worklist and is kept on
    the complaint for the officers."""
    if not complaint.is_overdue(now):
        raise TransitionError(_("Arahan diberikan atas pengaduan yang melewati batas waktu tanggapan."))
    complaint.instruction, complaint.instructed_at, complaint.instructed_by = text, now or timezone.now(), actor
    save_with_history(complaint, actor=actor, reason=_("Arahan pimpinan"))
    return complaint


def follow_up_find(number: str, code: str):
    """The complaint with this ticket number whose code is `code`, or None (the same for a wrong number as for a
    wrong code, so the page tells a guesser nothing)."""
    try:
        sequence, year = (int(part) for part in number.strip().split("/"))
    except ValueError:
        return None
    for complaint in Complaint.objects.filter(sequence=sequence, year=year).select_related("about"):
        if complaint.opens_with(code):
            return complaint
    return None
