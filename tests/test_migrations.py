"""The migrations describe the models exactly: the test databases are built from the models (tests/settings.py), so
a model change without its migration would pass the suite and break a deploy."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"makemigrations --check found changes without a migration:\n{out.getvalue()}", pytrace=False)
