"""The system check tells an app developer what is wrong with an SOP declaration, by model and step."""

import dataclasses

import pytest
from django.core.management import call_command
from django.db.models import Q

from portal.checks import check_sop_apps
from portal.workflow import Check, Task, Transition
from tests.testapp.models import Ticket


def messages(monkeypatch, **changes):
    monkeypatch.setattr(Ticket, "workflow", dataclasses.replace(Ticket.workflow, **changes))
    return [(error.id, error.msg) for error in check_sop_apps() if error.obj is Ticket]


def with_step(step_code, **changes):
    return tuple(dataclasses.replace(s, **changes) if s.code == step_code else s for s in Ticket.workflow.steps)


def test_the_projects_declarations_pass():
    assert check_sop_apps() == []
    call_command("check", fail_level="WARNING")


def test_a_check_about_a_field_its_form_lacks_is_named(monkeypatch):
    check = Check(lambda ticket: True, "Isi ringkasan.", field="ringkasan")
    assert messages(monkeypatch, steps=with_step("checked", checks=(check,))) == [
        ("portal.E002", "testapp.Ticket.workflow: step checked: check names 'ringkasan', not a field of CheckForm")
    ]


def test_a_check_without_a_message_is_named(monkeypatch):
    assert messages(monkeypatch, steps=with_step("checked", checks=(Check(lambda ticket: True, ""),))) == [
        ("portal.E002", "testapp.Ticket.workflow: step checked: a check needs a test and a message")
    ]


def test_a_step_form_that_does_not_import_is_named(monkeypatch):
    [(code, text)] = messages(monkeypatch, steps=with_step("checked", form="tests.testapp.forms.NoSuchForm"))
    assert code == "portal.E002" and "form 'tests.testapp.forms.NoSuchForm' does not import" in text


def test_a_step_hold_that_does_not_import_is_named(monkeypatch):
    [(code, text)] = messages(monkeypatch, steps=with_step("checked", hold="tests.testapp.workflow.no_such_hold"))
    assert code == "portal.E002" and "step checked: hold 'tests.testapp.workflow.no_such_hold' does not import" in text


def test_a_step_form_that_is_not_a_step_form_is_named(monkeypatch):
    assert messages(monkeypatch, steps=with_step("received", form="portal.forms.AttachmentForm")) == [
        ("portal.E002", "testapp.Ticket.workflow: step received: form 'portal.forms.AttachmentForm' is not a portal.forms.StepForm")
    ]


def test_a_decision_with_checks_of_its_own_is_named(monkeypatch):
    assert messages(monkeypatch, steps=with_step("decided", checks=(Check(lambda ticket: True, "Ya."),))) == [
        ("portal.E002", "testapp.Ticket.workflow: step decided is a decision: its checks belong to its branches")
    ]


def test_a_task_of_an_unknown_executor_is_named(monkeypatch):
    task = Task("sign", "Tanda tangani", "nobody", ("checked",), lambda: Q(summary=""), anchor="ttd")
    assert messages(monkeypatch, tasks=(task,)) == [
        ("portal.E002", "testapp.Ticket.workflow: task sign names unknown executor nobody")
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
