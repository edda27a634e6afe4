from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import selectors
from portal.services import available_transitions

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
def workflow_panel(context, record, action_url):
    """The SOP steps of a record, where it stands, who did what, and the buttons its user may press now."""
    workflow = record.workflow
    log = list(selectors.transition_log(record))
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
    return {
        "record": record,
        "steps": steps,
        "log": log,
        "transitions": available_transitions(record, context["request"].user),
        "action_url": action_url,
        "csrf_token": context.get("csrf_token"),
    }
