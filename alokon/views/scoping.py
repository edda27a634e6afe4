"""What the ALOKON pages share: who opens which warehouse, and the few helpers every job's pages use.

A distribution is fetched through portal.access.get_record_or_404; the warehouse's own rows (receipts, movements,
plans, counts) through `warehouse`, which answers only for a user holding a warehouse role in the service's unit or
above; a faskes' reports through `Facility.objects.handled_by`.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from alokon.forms import parse_month
from alokon.models import WAREHOUSE_ROLES, Distribution
from portal.models import access_for
from portal.selectors import services_where

PAGE_SIZE = 50


def warehouse_services(user):
    """The ALOKON services whose warehouse the user may open, by a warehouse role in its unit or above."""
    return services_where(user, "alokon", WAREHOUSE_ROLES)


def warehouse(request):
    """The service (and so the warehouse: its unit) this page is about: ?layanan=<slug>, or the user's first."""
    services = warehouse_services(request.user)
    if not services:
        raise PermissionDenied(_("Halaman gudang alokon hanya untuk pengelola barang dan pimpinan."))
    slug = request.GET.get("layanan") or request.POST.get("layanan")
    for service in services:
        if service.slug == slug:
            return service
    return services[0]


def warehouse_month(request):
    """The warehouse and the month (?bulan=YYYY-MM) a monthly document of it is asked for; 404 for another month."""
    service = warehouse(request)
    month = parse_month(request.GET.get("bulan"))
    if month is None:
        raise Http404(_("Bulan tidak dikenali."))
    return service, month


def alokon_services(user):
    """The ALOKON services the user has any part in: a role of the workflow held in the service's unit, above
    it or in a UPTD P5A covering its faskes, or a faskes account of the agency."""
    return services_where(user, "alokon", Distribution.workflow.access_roles, below=True)


def holds(user, service, roles):
    return bool(access_for(user).roles_in(service.unit_id) & set(roles))


def refused(request, error):
    messages.error(request, str(error))


def last_month(today):
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
