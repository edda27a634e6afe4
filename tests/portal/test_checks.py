"""The system check tells an app developer what is wrong with an SOP declaration, by model and step."""

import dataclasses

import pytest
from django.core.management import call_command

from portal.checks import check_sop_apps
from portal.roles import Role
from portal.workflow import Transition
from tests.testapp.models import Ticket


def messages(monkeypatch, **changes):
    monkeypatch.setattr(Ticket, "workflow", dataclasses.replace(Ticket.workflow, **changes))
    return [(error.id, error.msg) for error in check_sop_apps() if error.obj is Ticket]


def with_step(step_code, **changes):
    return tuple(dataclasses.replace(s, **changes) if s.code == step_code else s for s in Ticket.workflow.steps)


def test_the_projects_declarations_pass():
    assert check_sop_apps() == []
    call_command("check", fail_level="WARNING")


def test_a_required_field_the_model_lacks_is_named(monkeypatch):
    assert messages(monkeypatch, steps=with_step("checked", required_fields=("summary", "ringkasan"))) == [
        ("portal.E003", "testapp.Ticket.workflow: checked requires field 'ringkasan', which Ticket does not have")
    ]


def test_a_required_field_the_engine_sets_is_named(monkeypatch):
    assert messages(monkeypatch, steps=with_step("checked", required_fields=("status",))) == [
        ("portal.E004", "testapp.Ticket.workflow: checked requires 'status', a field the engine sets itself")
    ]


def test_a_document_kind_without_a_label_is_named(monkeypatch):
    assert messages(monkeypatch, documents={}) == [
        ("portal.E002", "testapp.Ticket.workflow: step checked requires document 'spt', which `documents` does not label")
    ]


def test_an_extra_transition_to_an_unknown_status_is_named(monkeypatch):
    cancel = Transition("batal", "Batalkan", "received", "dibatalkan")
    assert messages(monkeypatch, extra_transitions=(cancel,)) == [
        ("portal.E002", "testapp.Ticket.workflow: transition batal names unknown status dibatalkan")
    ]


def test_a_workflow_that_is_not_a_declaration_is_named(monkeypatch):
    monkeypatch.setattr(Ticket, "workflow", {"steps": []})
    assert [(e.id, e.obj) for e in check_sop_apps()] == [("portal.E001", Ticket)]


@pytest.mark.parametrize("app", ["cases", "alokon", "identitas", "testapp"])
def test_every_sop_app_is_found_from_its_record_model(app):
    from portal.models import sop_models

    assert sop_models()[app].workflow.steps
