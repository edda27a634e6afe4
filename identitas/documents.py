"""The printed documents of a facilitation: the Laporan Hasil Layanan of step 7, and the letter telling the
reporter that their report is not continued.

Each function returns A4 PDF bytes under the letterhead of the service's unit. Both name the person, so which
user may print them, and writing the printing to AccessLog, are the views' part (for the result report, made off
the request by portal.downloads, its declaration's at the end: DOWNLOADS): these functions only render.
The person's name is printed in the document's body only; the PDF's title carries the facilitation's number.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from identitas.models import (
    DisdukcapilWait,
    Facilitation,
    FollowUp,
    IssuedDocument,
    Notes,
    Person,
    Reporter,
)
from identitas.policy import requirements_of
from portal.downloads.registry import printed_text, record_document
from portal.letters import letter_place, person_name, signature, signing_memberships
from portal.pdf import render_pdf
from portal.roles import Role
from portal.selectors import transition_log


def _units(facilitation):
    """The record's unit and those above it: where its signers' jabatan and the letter's place are read."""
    return [facilitation.unit, *facilitation.unit.ancestors()]


def _entry(log, transition, facilitation):
    """The latest row of `transition` in the record's log."""
    entry = next((e for e in reversed(log) if e.transition == transition), None)
    if entry is None:
        raise ValueError(f"facilitation {facilitation.pk} has no {transition!r} in its log")
    return entry


def _signature_of(user, units, role, *, date, title):
    """The signature block of `user` as their membership in `units` (one in `role` first) prints it, headed by
    `title`: "Tim Kerja," or "Mengetahui,". Without `date` ("") it prints no place and date, as a "Mengetahui"
    block stands."""
    membership = signing_memberships([user], units, role).get(user.pk)
    block = signature(user, membership, place=letter_place(units) if date else "", date=date)
    if role not in Role.HEADS:
        # signature() falls back to "Pimpinan <unit>", a head's title: an officer without a jabatan signs as Tim Kerja.
        block["title"] = membership.title if membership else ""
    block["title"] = "\n".join(line for line in (title, block["title"]) if line)
    return block


def _context(facilitation, context, user, printed_at):
    return {
        "facilitation": facilitation,
        "service": facilitation.service,
        "printed_by": person_name(user),
        "printed_at": printed_at,
        **context,
    }


def _render(template, facilitation, context, user):
    context = _context(facilitation, context, user, timezone.now())
    return render_pdf(f"identitas/documents/{template}.html", context, unit=facilitation.service.unit)


def result_report_pdf(facilitation, *, user) -> bytes:
    """Laporan Hasil Layanan to the Kabid Rehdayasos (step 7): the report and its requirements (a waiver with who
    gave it, when and why), the person, where they were found, the needs analysis, the documents issued and the
    follow-ups, the agency's time against the 300 minutes, and the steps taken. Signed by the responsible officer
    (Tim Kerja) and known by the Kabid who accepted the report in step 2. `user`: who prints it.

    Raises ValueError before the result is reported: the agency's time is measured only then.
    """
    return _render("result_report", facilitation, _result_report(facilitation), user)


def result_report_html(facilitation, *, user) -> str:
    """The result report before its layout and without the moment it is printed: what its version is read from
    (DOWNLOADS). Printed again unchanged, it is the same file."""
    context = _context(facilitation, _result_report(facilitation), user, printed_at=None)
    return printed_text("identitas/documents/result_report.html", context, unit=facilitation.service.unit)


def _result_report(facilitation) -> dict:
    """What the result report prints but who prints it and when."""
    if facilitation.result_reported_at is None:
        raise ValueError(f"facilitation {facilitation.pk} has no result reported")
    workflow = facilitation.workflow
    units = _units(facilitation)
    log = list(transition_log(facilitation))
    for entry in log:
        entry.step = workflow.step_for(entry.from_status)
        entry.label = workflow.transition_label(entry.transition)
    head = _entry(log, "review.accept", facilitation).actor
    return {
        "person": Person.objects.get(facilitation=facilitation),
        "notes": Notes.objects.select_related("desa").get(facilitation=facilitation),
        "requirements": requirements_of(facilitation),
        "documents": list(IssuedDocument.objects.filter(facilitation=facilitation)),
        "waits": list(DisdukcapilWait.objects.filter(facilitation=facilitation)),
        "follow_ups": list(FollowUp.objects.filter(facilitation=facilitation)),
        "log": log,
        "time_standard": facilitation.TIME_STANDARD_MINUTES,
        "over_standard": facilitation.agency_minutes - facilitation.TIME_STANDARD_MINUTES,
        "officer_signature": _signature_of(
            facilitation.officer, units, Role.OFFICER, date=facilitation.result_reported_at, title=_("Tim Kerja,")
        ),
        "head_signature": _signature_of(head, units, Role.HEAD, date="", title=_("Mengetahui,")),
    }


def decline_letter_pdf(facilitation, *, user) -> bytes:
    """The reply to the reporter: their report is not continued, for the reason the Kabid wrote when declining it
    in step 2, signed by that Kabid on that day. `user`: who prints it.

    Raises ValueError for a facilitation that was not declined.
    """
    decline = _entry(list(transition_log(facilitation)), "review.decline", facilitation)
    units = _units(facilitation)
    membership = signing_memberships([decline.actor], units, Role.HEAD).get(decline.actor_id)
    context = {
        "reporter": Reporter.objects.get(facilitation=facilitation),
        "person": Person.objects.get(facilitation=facilitation),
        "decline": decline,
        "signature": signature(decline.actor, membership, place=letter_place(units), date=decline.at),
    }
    return _render("decline_letter", facilitation, context, user)


# Made off the request (portal.downloads), for the Tim Kerja and the Kabid as portal.views.identity_pdf prints the
# reply letter: each download logged as a print, the file named by the facilitation's number only.
DOWNLOADS = [
    record_document(
        name="identitas.result_report", model=Facilitation, what=gettext_lazy("Laporan hasil layanan"),
        file_prefix="laporan-hasil",
        select_related=("service", "service__unit", "unit__parent__parent", "category", "kecamatan", "officer"),
        missing=lambda facilitation: "" if facilitation.result_reported_at else _("Hasil layanan belum dilaporkan."),
        html=lambda facilitation, user: result_report_html(facilitation, user=user),
        pdf=lambda facilitation, user: result_report_pdf(facilitation, user=user),
    ),
]
