from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal import selectors, services
from portal.workflow import TransitionError


@login_required
def home(request):
    return render(request, "portal/home.html", {"services": selectors.services_for(request.user)})


def fire_transition(request, record, *, redirect_to):
    """Fire the transition a workflow panel posted, for an app's thin view.

    The app's view fetches the record through its unit-scoped helper first and
    decorates itself with require_POST and login_required.
    """
    name = request.POST.get("transition", "")
    expected_status = request.POST.get("expected_status", "")
    note = request.POST.get("note", "").strip()[:2000]
    try:
        services.transition_fire(record, name=name, actor=request.user, expected_status=expected_status, note=note)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Langkah tersimpan."))
    return redirect(redirect_to)
