"""A urlconf for the workflow panel tests: the portal's URLs plus a Ticket page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import include, path
from django.views.decorators.http import require_POST

from portal.views import fire_transition
from tests.testapp.models import Ticket


def _get_ticket(request, pk):
    return get_object_or_404(Ticket.objects.visible_to(request.user).select_related("unit"), pk=pk)


@login_required
def ticket_detail(request, pk):
    return render(request, "testapp/ticket_detail.html", {"ticket": _get_ticket(request, pk)})


@require_POST
@login_required
def ticket_transition(request, pk):
    ticket = _get_ticket(request, pk)
    return fire_transition(request, ticket, redirect_to=f"/tiket/{ticket.pk}/")


urlpatterns = [
    path("tiket/<int:pk>/", ticket_detail),
    path("tiket/<int:pk>/transisi/", ticket_transition),
    path("", include("portal.urls")),
]
