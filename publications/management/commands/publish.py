from django.core.management.base import BaseCommand

from publications.publishing import publish_all


class Command(BaseCommand):
    help = "Render the published documents whose content, letterhead, workflow or layout changed (run at each deploy)."

    def handle(self, *args, **options):
        published = publish_all()
        self.stdout.write(f"{len(published)} dokumen terbit diperiksa dan dirender bila berubah.")
