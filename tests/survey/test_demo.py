"""The survey's demo answers (portal.survey.demo), loaded by load_demo in demo mode."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.models import Service
from portal.survey import demo
from portal.survey.models import Response
from portal.periods import Quarter
from portal.survey.selectors import quarter_figures

pytestmark = pytest.mark.django_db


class TestDemo:
    @pytest.fixture(autouse=True)
    def demo_mode(self, demo_loaded, settings):
        settings.DEMO_MODE = True

    def test_each_service_has_a_quarter_of_answers_with_realistic_figures(self):
        quarter = Quarter.of(timezone.localdate())
        for service in Service.objects.exclude(app="complaints"):
            figures = quarter_figures(service, quarter)
            assert 40 <= figures.respondents <= 90
            assert figures.index.category.letter in ("A", "B")
        # A complaint desk is no service of its own: each service's survey asks about complaint handling.
        assert not Response.objects.filter(service__app="complaints").exists()

    def test_a_second_run_adds_nothing(self):
        before = Response.objects.count()
        call_command("load_demo", stdout=StringIO())
        demo.load(StringIO())
        assert Response.objects.count() == before > 0


def test_it_loads_nothing_outside_demo_mode(settings, service):
    settings.DEMO_MODE = False
    demo.load(StringIO())
    assert not Response.objects.exists()
