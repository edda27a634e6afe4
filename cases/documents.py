"""The printed documents of a case: the SPT penjangkauan, a Surat Rujukan, and the closure report.

Each function returns PDF bytes under the letterhead of the case's unit. Which of them a user may print,
and logging the printing to AccessLog, is the views' part, and for the closure report, which takes a moment to
lay out and is made off the request (portal.downloads), its declaration's at the end (DOWNLOADS): the referral
letter and the closure report name the victim. The SPT does not, because the team carries it in the field.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    Case,
    CaseNotes,
    Perpetrator,
    Referral,
    Reporter,
    TeamMember,
    Victim,
)
from portal.downloads.registry import printed_text, record_document
from portal.letters import letter_place, signature, signing_memberships
from portal.models import Membership, holds_office_on
from portal.pdf import render_pdf
from portal.roles import Role
from portal.selectors import transition_log

# The narrative sections of the closure report, in the order the case was handled.
NOTE_SECTIONS = ("chronology", "outreach_result", "assessment", "reintegration_result", "closure_summary")


def _address(victim):
    parts = [victim.address]
    if victim.desa:
        parts.append(_("Desa/Kel. %(name)s") % {"name": victim.desa})
    if victim.kecamatan:
        parts.append(_("Kec. %(name)s") % {"name": victim.kecamatan})
    return ", ".join(part for part in parts if part)


def spt_pdf(case) -> bytes:
    """The SPT penjangkauan: the case's active team, sent to verify the case where the victim lives.

    It names the team and the place, never the victim: it is carried in the field.
    """
    if case.spt_issued_at is None:
        raise ValueError(f"case {case.pk} has no SPT issued")
    units = [case.unit, *case.unit.ancestors()]
    team = list(TeamMember.objects.filter(case=case, ended_at=None).select_related("user"))
    memberships = signing_memberships([m.user_id for m in team], units, Role.OFFICER)
    for member in team:
        member.membership = memberships.get(member.user_id)
    # Only the village and kecamatan: the victim's name and NIK never reach this template.
    desa, kecamatan = Victim.objects.filter(case=case).values_list("desa__name", "kecamatan__name").get()
    signer = case.spt_issued_by
    signer_membership = signing_memberships(
        [signer], units, Role.HEAD, on=timezone.localdate(case.spt_issued_at)
    ).get(signer.pk)
    context = {
        "case": case,
        "number": f"SPT/{case.number}/P2TP2A",
        "service": case.service,
        "team": team,
        "desa": desa,
        "kecamatan": kecamatan,
        "signature": signature(signer, signer_membership, place=letter_place(units), date=case.spt_issued_at),
    }
    return render_pdf("cases/documents/spt.html", context, unit=case.unit)


def referral_letter_pdf(referral) -> bytes:
    """A Surat Rujukan to the referral's partner, naming the victim, signed by a head of the P2TP2A."""
    if referral.partner is None:
        raise ValueError(f"referral {referral.pk} is a service of the P2TP2A itself: it has no letter")
    case = referral.case
    service_unit = case.service.unit
    # The Ketua signs; the Sekretaris when there is no Ketua (or Plt.) that day.
    offices = Case.workflow.executor("chair").offices
    holders = Membership.objects.filter(holds_office_on(referral.referred_on), unit=service_unit, office__in=offices)
    head = min(
        holders.select_related("user", "unit"),
        key=lambda m: (offices.index(m.office), m.acting, m.user.get_full_name(), m.user.username),
        default=None,
    )
    if head is None:
        raise ValueError(f"unit {service_unit.code} has no head to sign the referral letter")
    victim = Victim.objects.select_related("desa", "kecamatan").get(case=case)
    units = [case.unit, *case.unit.ancestors()]
    context = {
        "case": case,
        "number": f"RUJ/{case.number}/{referral.pk}/P2TP2A",
        "referral": referral,
        "partner": referral.partner,
        "service_unit": service_unit,
        "victim": victim,
        "victim_age": victim.age_on(referral.referred_on),
        "victim_address": _address(victim),
        "signature": signature(head.user, head, place=letter_place(units), date=referral.referred_on),
    }
    return render_pdf("cases/documents/referral_letter.html", context, unit=case.unit)


CLOSURE_REPORT_TEMPLATE = "cases/documents/closure_report.html"


def closure_report_pdf(case) -> bytes:
    """Dokumentasi laporan penanganan kasus: the whole case, from the report to its approval by a head."""
    return render_pdf(CLOSURE_REPORT_TEMPLATE, _closure_report(case), unit=case.unit)


def closure_report_html(case) -> str:
    """The closure report before its layout: what its version is read from (DOWNLOADS)."""
    return printed_text(CLOSURE_REPORT_TEMPLATE, _closure_report(case), unit=case.unit)


def _closure_report(case) -> dict:
    """What the closure report prints."""
    workflow = case.workflow
    units = [case.unit, *case.unit.ancestors()]
    victim = Victim.objects.select_related("desa", "kecamatan").get(case=case)
    notes = CaseNotes.objects.get(case=case)
    team = list(TeamMember.objects.filter(case=case).select_related("user"))

    log = list(transition_log(case))
    for entry in log:
        entry.step = workflow.step_for(entry.from_status)
        entry.label = workflow.transition_label(entry.transition)
    # The head who moved the case into its final status approves the report: for a case done, the "closure" step.
    closing = next((e for e in reversed(log) if e.to_status in workflow.final_statuses), None)

    memberships = signing_memberships([m.user_id for m in team], units, Role.OFFICER)
    for member in team:
        member.membership = memberships.get(member.user_id)
    approval = None
    if closing is not None:
        approver = signing_memberships(
            [closing.actor], units, Role.HEAD, on=timezone.localdate(closing.at)
        ).get(closing.actor_id)
        approval = signature(closing.actor, approver, place=letter_place(units), date=closing.at)
        approval["title"] = _("Menyetujui,") + "\n" + approval["title"]

    referrals = Referral.objects.filter(case=case).select_related("service_type", "partner").prefetch_related("milestones")
    by_step = {code: [] for code, _label in Referral.STEPS}
    for referral in referrals:
        by_step[referral.step].append(referral)

    incident_day = case.incident_date or timezone.localtime(case.created_at).date()
    return {
        "case": case,
        "closed_at": case.status_changed_at if not case.is_open else None,
        "violence_types": list(case.violence_types.all()),
        "victim": victim,
        "victim_age": victim.age_on(incident_day),
        "victim_address": _address(victim),
        "reporter": Reporter.objects.filter(case=case).first(),
        "perpetrators": list(Perpetrator.objects.filter(case=case).select_related("relation")),
        "team": team,
        "log": log,
        "referral_steps": [(label, by_step[code]) for code, label in Referral.STEPS if by_step[code]],
        "notes": [(CaseNotes._meta.get_field(name).verbose_name, getattr(notes, name)) for name in NOTE_SECTIONS],
        "signature": approval,
    }


# Made off the request (portal.downloads), for the team and its heads as portal.views.identity_pdf prints the
# other documents: each download logged as a print, the file named by the case number only.
DOWNLOADS = [
    record_document(
        name="cases.closure_report", model=Case, what=gettext_lazy("Laporan penanganan kasus"),
        file_prefix="laporan-kasus",
        select_related=("service", "service__unit", "unit__parent__parent", "kecamatan", "place_type"),
        html=lambda case, user: closure_report_html(case),
        pdf=lambda case, user: closure_report_pdf(case),
    ),
]
