from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import identity, selectors
from portal.forms import AttachmentForm
from portal.services import (
    SAVE_ONLY,
    acting_actors,
    attachment_refusal,
    attachments_of,
    changed_meanwhile,
    executor_description,
    pending_tasks,
    transition_refusal,
)

register = template.Library()


@register.filter
def duration_id(delta):
    """A timedelta in words: "2 hari 3 jam", "45 menit"."""
    minutes = int(abs(delta.total_seconds()) // 60)
    day_count, rest = divmod(minutes, 24 * 60)
    hour_count, minute_count = divmod(rest, 60)
    parts = []
    if day_count:
        parts.append(ngettext("%d hari", "%d hari", day_count) % day_count)
    if hour_count:
        parts.append(ngettext("%d jam", "%d jam", hour_count) % hour_count)
    if minute_count and not day_count:
        parts.append(ngettext("%d menit", "%d menit", minute_count) % minute_count)
    return " ".join(parts) or _("kurang dari 1 menit")


@register.filter
def tally(count, more):
    """A bounded count (portal.pagination.bounded_count) in words: "37", or "lebih dari 100" when there are more."""
    number = number_format(count, force_grouping=True)
    return _("lebih dari %(number)s") % {"number": number} if more else number


@register.simple_tag
def due(deadline, is_open=True):
    """A due time with its remaining time, or how long it is overdue. Built here rather than in an included
    template: a register shows it on each of its rows."""
    if deadline is None:
        return mark_safe('<span class="text-muted">&ndash;</span>')
    when = date_format(timezone.localtime(deadline), "j F Y, H.i")
    if not is_open:
        return format_html("<span>{} WIB</span>", when)
    left = deadline - timezone.now()
    if left.total_seconds() < 0:
        return format_html('<span class="status-overdue">{} WIB &middot; {}</span>', when, _("lewat %(d)s") % {"d": duration_id(left)})
    return format_html("<span>{} WIB &middot; {}</span>", when, _("sisa %(d)s") % {"d": duration_id(left)})


@register.inclusion_tag("portal/_next_action.html", takes_context=True)
def next_action(context, record):
    """The top of a record's page: its status and due times, and what the user may do on it now: the current
    step's form (StepForm) with one button per way out, the tasks waiting for them (Workflow.tasks), or whose
    step it is. The form is the view's when a refused POST comes back (record_page), else a fresh one."""
    user = context["request"].user
    workflow = record.workflow
    buttons, ways_out, elsewhere, refusals = [], [], [], []
    for transition in workflow.transitions_from(record.status):
        if not acting_actors(record, transition.actors, user):
            continue  # another executor's step: the section says whose
        refusal = transition_refusal(record, transition, user)
        if refusal:
            refusals.append(refusal)
        elif transition.done_at:
            elsewhere.append((transition.label, transition.done_at(record)))
        else:
            (ways_out if transition.confirm else buttons).append(transition)
    form = context.get("step_form")
    step = record.step
    stale = None
    posted_status = form.data.get(form["expected_status"].html_name) if form is not None else None
    if posted_status != record.status and posted_status in dict(workflow.status_choices):
        # Sent from a page showing an earlier status: the refusal and what was typed there, then the current form.
        stale, form = form, None
    if form is None and (buttons or ways_out):
        form = workflow.step_form(step)(record=record, user=user)
    return {
        "record": record,
        "step": step,
        "form": form,
        "stale": stale,
        "changed_meanwhile": changed_meanwhile(record) if stale is not None else "",
        "buttons": buttons,
        # The way out a refused POST chose: its section opens again with the reason as typed.
        "chosen": form.data.get(form["transition"].html_name, "") if form is not None and form.is_bound else "",
        "ways_out": ways_out,
        # A draft is worth saving where the step has fields to fill, not for a bare confirmation.
        "save_only": SAVE_ONLY if form is not None and buttons and form.data_fields and form.drafts else "",
        "refusals": list(dict.fromkeys(refusals)),
        "tasks": pending_tasks(record, user),
        "waiting_for": executor_description(record, step.executor) if step is not None else "",
        "elsewhere": elsewhere,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("portal/_workflow_panel.html", takes_context=True)
def workflow_panel(context, record):
    """The SOP steps of a record, where it stands, who did what, its documents, and what its user may do now."""
    user = context["request"].user
    workflow = record.workflow
    app = record._meta.app_label
    log = list(selectors.transition_log(record))
    # Notes and attachments of a confidential record (a case) are for its team: others see the steps only.
    confidential = identity.keeps_from(user, record)
    completed = {entry.from_status for entry in log}
    for entry in log:
        entry.label = workflow.transition_label(entry.transition)
    steps = [
        {
            "step": step,
            "executor": workflow.executor(step.executor),
            "current": step.code == record.status,
            "done": step.code in completed,
        }
        for step in workflow.steps
    ]
    attachments = [] if confidential else list(attachments_of(record).select_related("uploaded_by"))
    for attachment in attachments:
        attachment.label = workflow.document_label(attachment.kind)
    step = record.step
    present = {a.kind for a in attachments}
    may_attach = bool(workflow.documents) and not attachment_refusal(record, user)
    return {
        "record": record,
        "steps": steps,
        "log": log,
        "confidential": confidential,
        "attachments": attachments,
        "missing_documents": [
            workflow.document_label(kind) for kind in (step.required_documents if step else ()) if kind not in present
        ],
        "attachment_form": AttachmentForm(workflow) if may_attach else None,
        "upload_url": reverse("attachment_upload", args=[app, record.pk]),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, None when absent: e.g. the form of one row of a list."""
    return mapping.get(key) if mapping else None
