"""The seeds' rules (portal.evaluation.demo): Ciamis by the direct superior, Purwakarta by the leadership, both
quarterly; a second run changes nothing an Admin set."""

from io import StringIO

import pytest

from portal.evaluation import demo
from portal.evaluation.models import EvaluationRule
from portal.models import Service

pytestmark = pytest.mark.django_db


def test_it_loads_the_seeds_rules_once(government):
    for slug, app in [("p2tp2a-ciamis", "cases"), ("alokon-ciamis", "alokon"), ("identitas-ppks-purwakarta", "identitas"),
                      ("pengaduan-dppkbpppa-ciamis", "complaints")]:
        Service.objects.create(slug=slug, name=slug, unit=government, app=app)
    demo.load(StringIO())
    rules = {rule.service.slug: rule for rule in EvaluationRule.objects.select_related("service")}
    assert set(rules) == {"p2tp2a-ciamis", "alokon-ciamis", "identitas-ppks-purwakarta"}
    assert rules["p2tp2a-ciamis"].signer == EvaluationRule.Signer.DIRECT_SUPERIOR
    assert rules["identitas-ppks-purwakarta"].signer == EvaluationRule.Signer.LEADERSHIP
    assert all(rule.period == EvaluationRule.Period.QUARTER for rule in rules.values())
    assert "triwulan" in rules["alokon-ciamis"].note
    EvaluationRule.objects.filter(service__slug="alokon-ciamis").update(note="Diubah Admin")
    demo.load(StringIO())
    assert EvaluationRule.objects.count() == 3
    assert EvaluationRule.objects.get(service__slug="alokon-ciamis").note == "Diubah Admin"
