"""The survey's pages: the public form (a service's link, or a one-time link), the thanks, and the heads' IKM.

The form and the thanks need no login: anyone served answers. The IKM page is the heads' (selectors.OVERSEERS).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.lockout import client_address
from portal.models import Service
from portal import periods
from portal.survey import ikm, selectors, services
from portal.survey.elements import ELEMENTS
from portal.survey.forms import ResponseForm
from portal.survey.models import Invitation


@require_http_methods(["GET", "HEAD", "POST"])
def public(request, slug):
    """A service's public link: anyone may answer, a few times an hour from one address."""
    return _answer(request, get_object_or_404(Service, slug=slug))


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request, token):
    """A one-time link, handed out for a completed record."""
    invitation = Invitation.objects.select_related("service").filter(token=token).first()
    if invitation is None:
        return _unavailable(request, _("Tautan survei ini tidak dikenal. Periksa kembali alamat yang Anda terima."), 404)
    if invitation.used_at is not None:
        return _unavailable(request, _("Tautan survei ini sudah dipakai. Terima kasih, jawaban Anda sudah kami terima."), 410)
    return _answer(request, invitation.service, invitation)


def _answer(request, service, invitation=None):
    form = ResponseForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_bot:
        return redirect("survey:thanks")  # as if saved: a bot learns nothing
    if form.is_bound and form.is_valid():
        try:
            services.response_submit(
                service=service, answers=form.cleaned_data, address=client_address(request), invitation=invitation
            )
        except services.Refused as refusal:
            return _unavailable(request, refusal.message, refusal.status)
        return redirect("survey:thanks")
    return render(
        request, "survey/form.html", {"service": service, "form": form}, status=400 if form.is_bound else 200
    )


def _unavailable(request, message, status):
    return render(request, "survey/unavailable.html", {"message": message}, status=status)


@require_safe
def thanks(request):
    return render(request, "survey/thanks.html")


@require_safe
@login_required
def index(request):
    """A service's IKM for a quarter (?layanan=<slug>&periode=2026-Q4), for whom oversees it."""
    if not selectors.oversees_any(request.user):
        raise PermissionDenied(_("Indeks kepuasan masyarakat dibaca oleh pimpinan layanan."))
    report = periods.report_request(request.GET, selectors.overseen_services(request.user))
    if report.error:
        messages.error(request, report.error)
    return render(request, "survey/index.html", {
        "service": report.service,
        "services": report.services,
        "quarter": report.quarter,
        "quarters": report.quarters,
        "figures": selectors.quarter_figures(report.service, report.quarter) if report.service else None,
        "elements": ELEMENTS,
        "categories": ikm.CATEGORIES,
    })
