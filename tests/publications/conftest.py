from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def loaded(db, settings):
    """The seeds' agencies, services and documents, without demo accounts."""
    settings.DEMO_MODE = False
    call_command("load_demo", stdout=StringIO())
