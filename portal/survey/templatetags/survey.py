from django import template
from django.urls import reverse
from django.utils.formats import number_format

from portal.models import access_for
from portal.survey import ikm
from portal.survey.services import invitation_create

register = template.Library()


@register.filter
def shown(value, places):
    """An exact figure of the index (a Fraction) rounded half up to `places` decimals, written as Indonesian
    writes numbers (3,25)."""
    if value is None:
        return "-"
    return number_format(ikm.shown(value, int(places)), int(places))


@register.inclusion_tag("survey/_offer.html", takes_context=True)
def survey_offer(context, record):
    """On a completed record's page, the survey link to hand to the person served: the record's one link
    (services.invitation_create), which carries nothing of the person."""
    request = context.request
    if record.is_open or not record.own_standard or not access_for(request.user).can_view(record):
        return {"invitation": None}
    invitation = invitation_create(service=record.service, record=record)
    return {
        "invitation": invitation,
        "service": record.service,
        "url": request.build_absolute_uri(reverse("survey:answer", args=[invitation.token])),
    }
