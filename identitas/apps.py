from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IdentitasConfig(AppConfig):
    name = "identitas"
    url_prefix = "identitas/"
    verbose_name = _("Identitas PPKS")

    def ready(self):
        from identitas.categories import create_categories

        # After every migrate (and a test database's flush), as the P2TP2A does with its lists.
        post_migrate.connect(create_categories, sender=self)
