from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.access import get_record_or_404
from tests.testapp.models import Ticket


@require_safe
@login_required
def ticket_detail(request, pk):
    return render(request, "testapp/ticket_detail.html", {"ticket": get_record_or_404(request, Ticket, pk)})
