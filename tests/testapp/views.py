from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from portal.access import get_record_or_404
from portal.views import record_page
from tests.testapp.models import Ticket


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ticket_detail(request, pk):
    ticket = get_record_or_404(request, Ticket, pk)
    return record_page(request, ticket, lambda *, step_form, status: render(
        request, "testapp/ticket_detail.html", {"ticket": ticket, "step_form": step_form}, status=status
    ))
