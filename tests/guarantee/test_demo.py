"""The demo's promises: Purwakarta's PPKS identity standard promises compensation, Ciamis' standards do not."""

from io import StringIO

import pytest

from portal.guarantee import demo
from portal.guarantee.models import Promise
from portal.models import Service

pytestmark = pytest.mark.django_db


def test_it_loads_the_seeds_promises_once_and_keeps_the_admins_changes(agency):
    for slug, app in [("identitas-ppks-purwakarta", "identitas"), ("p2tp2a-ciamis", "cases"), ("alokon-ciamis", "alokon")]:
        Service.objects.create(slug=slug, name=slug, unit=agency, app=app)
    demo.load(StringIO())
    promises = {p.service.slug: p for p in Promise.objects.select_related("service")}
    assert promises["identitas-ppks-purwakarta"].compensation
    assert promises["identitas-ppks-purwakarta"].words == "Layanan diberikan sebaik-baiknya dengan jaminan kompensasi layanan"
    assert not promises["p2tp2a-ciamis"].compensation and not promises["alokon-ciamis"].compensation
    Promise.objects.filter(service__slug="alokon-ciamis").update(words="Diubah admin")
    demo.load(StringIO())
    assert Promise.objects.count() == 3 and Promise.objects.get(service__slug="alokon-ciamis").words == "Diubah admin"
