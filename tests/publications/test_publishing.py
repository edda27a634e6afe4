"""Published documents are rendered ahead of the visitor, once per change, one render at a time."""

import threading
from io import StringIO

import json

import pytest
from django.core.management import call_command
from django.db import connection

import publications.publishing
from portal.models import Service, sop_models
from publications.models import Publication, StepsSnapshot
from publications.publishing import Index, SOPSheet, Standard, publish, publish_all
from publications.steps import declaration, fingerprint, steps_in_force, workflow_from


@pytest.fixture
def renders(monkeypatch):
    keys = []
    real_page = publications.publishing.PublishedDocument.page

    def counting_page(document, moment=None, note=""):
        keys.append(document.key)
        return real_page(document, moment, note)

    monkeypatch.setattr(publications.publishing.PublishedDocument, "page", counting_page)
    return keys


def test_publish_all_renders_every_document_once(loaded, renders):
    published = publish_all()
    assert sorted(published) == sorted(renders) == sorted(Publication.objects.values_list("key", flat=True))
    assert len(published) == 1 + 3 + 3 + 1  # the index, three standards, three SOP sheets, the decree
    assert all(row.pdf or row.key == "index" for row in Publication.objects.all())

    publish_all()
    assert len(renders) == 8  # nothing changed, nothing rendered


def test_the_publish_command_renders_what_changed(loaded, renders):
    out = StringIO()
    call_command("publish", stdout=out)
    assert "8 dokumen terbit" in out.getvalue()
    assert len(renders) == 8


def test_a_change_marks_the_renderings_stale_and_redoes_only_what_changed(
    loaded, renders, django_capture_on_commit_callbacks
):
    publish_all()
    service = Service.objects.get(slug="identitas-ppks-purwakarta")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        service.name = "Fasilitasi Identitas Kependudukan PPKS Terlantar"
        service.save()
    assert Publication.objects.filter(stale=False).count() == 0
    del renders[:]
    for callback in callbacks:
        callback()
    assert sorted(renders) == ["index", "sop:identitas-ppks-purwakarta", "standard:identitas-ppks-purwakarta"]
    assert not Publication.objects.filter(stale=True).exists()


def test_a_document_no_longer_published_loses_its_rendering(loaded):
    publish_all()
    Service.objects.get(slug="alokon-ciamis").components.all().delete()
    publish_all()
    assert not Publication.objects.filter(key="standard:alokon-ciamis").exists()
    assert Publication.objects.filter(key="sop:alokon-ciamis").exists()


def test_a_document_that_fails_to_render_keeps_its_last_rendering(loaded, monkeypatch, caplog):
    publish_all()
    before = Publication.objects.get(key="index")
    monkeypatch.setattr(Index, "version", lambda self, moment=None: publications.versions.Version(None, "baru"))
    monkeypatch.setattr(Index, "page", lambda self, moment=None, note="": 1 / 0)
    assert "index" not in publish_all()
    assert Publication.objects.get(key="index").html == before.html
    assert "Dokumen index tidak dapat dirender" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_two_publishers_of_a_changed_document_render_it_once(require_postgresql, renders, settings):
    settings.DEMO_MODE = False
    call_command("load_demo", stdout=StringIO())  # renders everything once committed
    Publication.objects.update(version="a version since changed")
    del renders[:]
    document = Standard(Service.objects.select_related("unit").get(slug="alokon-ciamis"))
    barrier = threading.Barrier(2)
    rows = []

    def request():
        try:
            barrier.wait(timeout=10)
            rows.append(publish(document))
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [key for key in renders if key == document.key] == [document.key]
    assert len(rows) == 2 and rows[0].version == rows[1].version


@pytest.mark.parametrize("app", ["cases", "alokon", "identitas", "testapp"])
def test_a_kept_activity_table_rebuilds_the_same_workflow(app):
    workflow = sop_models()[app].workflow
    rebuilt = workflow_from(declaration(workflow))
    assert fingerprint(rebuilt) == fingerprint(workflow)
    assert [s.code for s in rebuilt.steps] == [s.code for s in workflow.steps]


def test_what_the_sheet_does_not_print_leaves_the_kept_table_alone():
    """A step's checks are functions, whose text changes from one start to the next: they must not make every
    start keep a new table, nor may a changed check or form."""
    from dataclasses import replace

    from portal.workflow import Check

    workflow = sop_models()["testapp"].workflow
    step = workflow.steps[1]
    changed = replace(workflow, steps=(
        workflow.steps[0],
        replace(step, form="", checks=(Check(lambda ticket: True, "lain"),)),
        *workflow.steps[2:],
    ))
    assert step.checks and fingerprint(changed) == fingerprint(workflow)
    assert "checks" not in json.dumps(declaration(workflow))


def test_migrate_keeps_each_apps_activity_table(db):
    assert set(StepsSnapshot.objects.values_list("app", flat=True)) >= {"cases", "alokon", "identitas"}
    workflow, key = steps_in_force("alokon")
    assert StepsSnapshot.objects.filter(app="alokon", fingerprint=key).exists()


def test_the_sop_sheet_of_a_service_prints_its_apps_steps(loaded):
    service = Service.objects.select_related("unit").get(slug="alokon-ciamis")
    assert "Penerbitan SPMB" in SOPSheet(service).page()
