from django import template
from django.urls import reverse
from django.utils import timezone

from portal.guarantee import policy, selectors
from portal.guarantee.forms import DecisionForm, ReasonForm
from portal.guarantee.models import MissedStandard, Promise
from portal.guarantee.views import REFUSED

register = template.Library()


@register.inclusion_tag("guarantee/_missed.html", takes_context=True)
def missed_standard(context, record):
    """On a record's page (the workflow panel): when the record missed its time standard, the due time, the reason
    (asked of those who act on it) and, where the service promises compensation, the head's decision. Nothing, and
    no query, for a record within its standard."""
    now = timezone.now()
    if not policy.missed(record, now):
        return {"shown": False}
    user = context.request.user
    app = record._meta.app_label
    entry = MissedStandard.objects.filter(**policy.record_key(record)).first()
    kept = type(record).recorded_missed_reasons([record]).get(record.pk, "")
    promise = Promise.objects.filter(service_id=record.service_id).first()
    has_reason = bool((entry and entry.reason) or kept)
    decided = bool(entry and entry.decision)
    compensation = promise is not None and promise.compensation
    done_at = None if record.is_open else record.status_changed_at
    minutes, working = policy.lateness(record.due_at, done_at or now, policy.unit_calendar(record.unit))
    may_decide = compensation and not decided and not policy.decision_refusal(record, user)
    # A form refused a moment ago comes back as typed, its reasons beside its fields (views._write).
    refused = context.request.session.get(REFUSED)
    if refused and refused["record"] == policy.record_label(record):
        del context.request.session[REFUSED]
    else:
        refused = None
    typed = {refused["form"]: refused["data"]} if refused else {}
    return {
        "shown": True,
        "record": record,
        "entry": entry,
        "promise": promise,
        "compensation": compensation,
        "late": policy.lateness_words(minutes, working),
        "done_at": done_at,
        "kept_reason": kept if kept and policy.reads_reasons_kept_by_app(user, record) else "",
        "kept_hidden": bool(kept) and not policy.reads_reasons_kept_by_app(user, record),
        "reason_form": ReasonForm(typed.get("reason")) if not has_reason and not policy.reason_refusal(record, user) else None,
        "decision_form": DecisionForm(typed.get("decision")) if may_decide and has_reason else None,
        "decision_waits_for_reason": may_decide and not has_reason,
        "contact": bool(record.contact_email()) if may_decide else False,
        "reason_url": reverse("guarantee:reason", args=[app, record.pk]),
        "decision_url": reverse("guarantee:decision", args=[app, record.pk]),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("guarantee/_waiting.html", takes_context=True)
def missed_waiting(context):
    """On the start page: the records past their standard waiting for the user's reason or decision."""
    return {"waiting": selectors.waiting(context.request.user)}
