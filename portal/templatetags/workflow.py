from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import selectors
from portal.forms import AttachmentForm
from portal.services import acting_actors, attachment_refusal, attachments_of, transition_refusal

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


@register.inclusion_tag("portal/_due.html")
def due(deadline, is_open=True):
    """A due time with its remaining time, or how long it is overdue."""
    if deadline is None:
        return {"deadline": None}
    left = deadline - timezone.now()
    return {"deadline": deadline, "left": left, "overdue": is_open and left.total_seconds() < 0, "is_open": is_open}


@register.inclusion_tag("portal/_workflow_panel.html", takes_context=True)
def workflow_panel(context, record):
    """The SOP steps of a record, where it stands, who did what, its documents, and what its user may do now."""
    user = context["request"].user
    workflow = record.workflow
    app = record._meta.app_label
    log = list(selectors.transition_log(record))
    # Notes and attachments of a confidential record (a case) are for its team: others see the steps only.
    confidential = record.confidential_to(user)
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
    permitted, refusals, on_page = [], [], False
    for transition in workflow.transitions_from(record.status):
        if not acting_actors(record, transition.actors, user):
            continue  # another executor's step: the panel says whose below
        if transition.own_form:
            on_page = on_page or not transition_refusal(record, transition, user)
            continue  # the record's page has the step's form
        refusal = transition_refusal(record, transition, user)
        if refusal:
            refusals.append(refusal)
        else:
            permitted.append(transition)
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
        "transitions": [t for t in permitted if not t.confirm],
        "on_page": on_page,
        "notes_required": [str(t.label) for t in permitted if t.note_required and not t.confirm],
        # Ways out that cannot be undone: each in a form of its own, behind a closed section and a ticked sentence.
        "final_ways_out": [t for t in permitted if t.confirm],
        "refusals": list(dict.fromkeys(refusals)),
        "attachments": attachments,
        "missing_documents": [
            workflow.document_label(kind) for kind in (step.required_documents if step else ()) if kind not in present
        ],
        "attachment_form": AttachmentForm(workflow) if may_attach else None,
        "action_url": reverse("record_transition", args=[app, record.pk]),
        "upload_url": reverse("attachment_upload", args=[app, record.pk]),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, None when absent: e.g. the form of one row of a list."""
    return mapping.get(key) if mapping else None
