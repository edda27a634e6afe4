"""A user's notifications (the bell's list): read, followed, marked read; and how they want to be told."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.notifications import services
from portal.notifications.forms import PreferencesForm
from portal.notifications.models import Notification
from portal.pagination import REGISTER_PAGE_SIZE, BoundedPaginator


@require_safe
@login_required
def index(request):
    notifications = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = BoundedPaginator(notifications, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/index.html", {"page": page})


@require_safe
@login_required
def follow(request, pk):
    """Open what a notification is about, and count it read."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notification_read(user=request.user, pk=notification.pk)
    # The address was made by the portal; it stays on the portal whatever a row says.
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect("notifications:index")
    return redirect(notification.url)


@require_POST
@login_required
def read(request, pk=None):
    if pk is not None:
        get_object_or_404(Notification, pk=pk, user=request.user)
    count = services.notification_read(user=request.user, pk=pk)
    if pk is None:
        messages.success(request, _("%(count)d notifikasi ditandai sudah dibaca.") % {"count": count})
    return redirect("notifications:index")


@login_required
def preferences(request):
    if request.method == "POST":
        form = PreferencesForm(request.POST, user=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Pengaturan notifikasi tersimpan."))
            return redirect("notifications:preferences")
        messages.error(request, _("Belum tersimpan: periksa isian yang ditandai."))
        status = 400
    else:
        form, status = PreferencesForm(user=request.user), 200
    return render(request, "notifications/preferences.html", {
        "form": form, "email": request.user.email, "now": timezone.now(),
    }, status=status)
