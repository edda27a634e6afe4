from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _take_snapshots(**kwargs):
    from publications.steps import snapshots_take

    snapshots_take()


def _documents_changed(sender, raw=False, **kwargs):
    # loaddata saves raw; whoever loads fixtures publishes afterwards (load_demo does).
    if not raw:
        from publications.publishing import mark_stale

        mark_stale()


class PublicationsConfig(AppConfig):
    name = "publications"
    # Published for everyone, without login (UU 25/2009).
    url_prefix = "publik/"
    verbose_name = _("Dokumen terbit")

    def ready(self):
        from portal.complaints.models import Desk
        from portal.models import Service, ServiceHours, Unit
        from publications.models import (
            Decree,
            DecreeDecision,
            DraftingNote,
            ServiceStandard,
            SOPDocument,
            StandardComponent,
        )

        # Every deploy runs migrate: it keeps the activity tables then in force (see publications.steps).
        post_migrate.connect(_take_snapshots, sender=self)
        # A change to anything the published documents print has them rendered again after commit.
        # This is cache invalidation, so it sits here rather than in the services that change those rows.
        # A complaint desk's procedure chooses the steps its SOP sheet prints (publications.steps.sheet_steps).
        for model in (
            Unit, ServiceHours, Service, ServiceStandard, StandardComponent, SOPDocument, Decree, DecreeDecision,
            DraftingNote, Desk,
        ):
            post_save.connect(_documents_changed, sender=model, dispatch_uid=f"publish-{model.__name__}-save")
            post_delete.connect(_documents_changed, sender=model, dispatch_uid=f"publish-{model.__name__}-delete")
        m2m_changed.connect(_documents_changed, sender=DecreeDecision.sops.through, dispatch_uid="publish-sops")
