import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from portal.models import Membership, Service, ServiceHours, Unit
from portal.roles import Role

pytestmark = pytest.mark.django_db


def test_it_loads_both_agencies_with_letterheads_hours_and_services(settings):
    settings.DEMO_MODE = False
    call_command("load_demo", stdout=open("/dev/null", "w"))
    ciamis = Unit.objects.get(code="dppkbpppa-ciamis")
    assert ciamis.government_name == "PEMERINTAH KABUPATEN CIAMIS"
    assert Unit.objects.get(code="uptd-p5a-ciamis").letterhead_unit() == ciamis
    friday = ServiceHours.objects.get(unit=ciamis, weekday=4)
    assert (friday.opens.hour, friday.closes.hour) == (8, 11)
    assert Unit.objects.get(code="rehdayasos-purwakarta").parent.code == "dinsos-p3a-purwakarta"
    assert set(Service.objects.values_list("app", flat=True)) == {"cases", "alokon", "identitas"}
    assert not User.objects.exists()


def test_it_creates_one_demo_user_per_role_per_unit_only_in_demo_mode(settings, capsys):
    settings.DEMO_MODE = True
    call_command("load_demo")
    call_command("load_demo")  # again: nothing duplicated
    units = Unit.objects.exclude(kind=Unit.Kind.GOVERNMENT).count()
    assert Membership.objects.count() == units * len(Role.ALL)
    assert User.objects.count() == units * len(Role.ALL)
    assert "petugas.p2tp2a-ciamis" in capsys.readouterr().out
    assert User.objects.get(username="admin.dppkbpppa-ciamis").is_staff
    assert User.objects.get(username="petugas.p2tp2a-ciamis").check_password("demo-layanan-2026")
