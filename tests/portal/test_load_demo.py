import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from alokon.models import FacilityAccount
from portal.management.commands.load_demo import DEMO_ACCOUNTS
from portal.complaints.models import Desk
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
    assert set(Service.objects.values_list("app", flat=True)) == {"cases", "alokon", "identitas", "complaints"}
    # Each agency's complaint desk, handled as its standard prints it.
    assert dict(Desk.objects.values_list("service__unit__code", "procedure")) == {
        "dppkbpppa-ciamis": "check", "dinsos-p3a-purwakarta": "respond",
    }
    assert not User.objects.exists()


class TestInDemoMode:
    """One load in demo mode for the class (`demo_loaded`); each test runs in demo mode too."""

    @pytest.fixture(autouse=True)
    def demo_mode(self, demo_loaded, settings):
        settings.DEMO_MODE = True

    def test_it_creates_the_demo_accounts_only_in_demo_mode_and_again_duplicates_nothing(self, capsys):
        users, memberships = User.objects.count(), Membership.objects.count()
        call_command("load_demo")
        assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
        accounts = [account[2] for account in DEMO_ACCOUNTS]
        assert Membership.objects.filter(user__username__in=accounts).count() == len(DEMO_ACCOUNTS)
        assert "petugas.p2tp2a-ciamis" in capsys.readouterr().out
        assert User.objects.get(username="admin.dppkbpppa-ciamis").is_staff
        assert User.objects.get(username="petugas.p2tp2a-ciamis").check_password("demo-layanan-2026")

    def test_each_demo_account_has_a_name_and_a_title_said_once(self):
        kabid = Membership.objects.get(user__username="kepala.rehdayasos-purwakarta")
        assert kabid.title == "Kepala Bidang Rehdayasos"
        for membership in Membership.objects.select_related("user"):
            words = membership.title.split()
            assert all(a != b for a, b in zip(words, words[1:])), membership.title
            assert membership.user.get_full_name()

    @pytest.mark.parametrize("role", Role.ALL)
    def test_every_role_has_a_demo_account(self, role):
        if role == Role.FASKES:  # a faskes logs in with an account of its facility, not a membership
            assert FacilityAccount.objects.count() == 20
        else:
            assert Membership.objects.filter(role__name=role).exists()
