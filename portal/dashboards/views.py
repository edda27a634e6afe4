"""The heads' dashboard (/dasbor/): one service's figures (?layanan=<slug>), or, for a head of several services, the
services side by side first, each leading to its own."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.dashboards import policy, printed
from portal.dashboards.figures import DUE_SOON, service_figures
from portal.dashboards.registers import complaint_links


@require_safe
@login_required
def index(request):
    """403 for whom leads no service; 404 for a service the user does not lead, as if it did not exist."""
    if not policy.reads_any(request.user):
        raise PermissionDenied(_("Dasbor dibaca oleh pimpinan layanan."))
    services = policy.read_services(request.user)
    slug = request.GET.get("layanan")
    now = timezone.now()
    context = {"services": services, "made_at": now, "due_soon_hours": int(DUE_SOON.total_seconds() // 3600)}
    if slug:
        service = next((s for s in services if s.slug == slug), None)
        if service is None:
            raise Http404(_("Layanan tidak dikenal."))
    elif len(services) == 1:
        service = services[0]
    else:
        all_figures = [service_figures(s, now=now, waits=False) for s in services]
        rows = printed.summary_rows(all_figures)
        context.update({
            "rows": rows, "chart": printed.summary_chart(rows),
            "hides_small_counts": any(policy.hides_small_counts(s) for s in services),
        })
        return render(request, "dashboards/summary.html", context)
    context.update({
        "service": service,
        "complaint_links": complaint_links(request.user),
        **printed.service_page(service_figures(service, now=now)),
    })
    return render(request, "dashboards/service.html", context)
