from django.utils.functional import SimpleLazyObject

from portal.notifications.models import Notification


def bell(request):
    """The number of the user's unread notifications, for the bell in the navbar: counted only when a page shows
    it (one query, on the partial index of unread ones)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(
        lambda: Notification.objects.filter(user=user, read_at__isnull=True).count()
    )}
