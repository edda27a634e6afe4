from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class MembershipBackend(ModelBackend):
    """Django permissions also come from the roles a user holds through memberships."""

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(
            Q(group__user=user_obj) | Q(group__memberships__user=user_obj)
        ).distinct()
