from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from portal.models import Membership


class MembershipBackend(ModelBackend):
    """Django permissions also come from the roles a user holds through memberships."""

    def _get_group_permissions(self, user_obj):
        # The user's roles and groups as subqueries on their own rows: joining through the roles' memberships
        # read every membership of a role (every officer's, for the Petugas role) on each admin page.
        roles = Membership.objects.filter(user=user_obj).values("role")
        groups = user_obj.groups.through.objects.filter(user=user_obj).values("group")
        return Permission.objects.filter(Q(group__in=roles) | Q(group__in=groups)).distinct()
