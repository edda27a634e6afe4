from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    url_prefix = "p2tp2a/"
    verbose_name = _("P2TP2A")

    def ready(self):
        from cases.simfoni import create_master_lists

        # After every migrate (and a test database's flush), as portal does with the role groups.
        post_migrate.connect(create_master_lists, sender=self)
