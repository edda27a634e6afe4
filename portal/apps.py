from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import checks  # noqa: F401 - registers the system checks
        from portal.identity import create_name_search_indexes
        from portal.roles import sync_role_groups

        # Like Django's own permissions: the role groups exist after every migrate.
        post_migrate.connect(sync_role_groups, sender=self)
        post_migrate.connect(create_name_search_indexes, sender=self)
