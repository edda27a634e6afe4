"""Dates, times and months are typed and shown day first, whatever the browser's language; file inputs read in
Indonesian (portal.forms)."""

import datetime
import inspect
import re
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template

import alokon.forms
import cases.forms
import identitas.forms
from portal.forms import AttachmentForm, DateField, DateTimeField, MonthField

JAKARTA = ZoneInfo("Asia/Jakarta")


class DatesForm(forms.Form):
    day = DateField(label="Tanggal", help_text="Hari ini atau sebelumnya.")
    moment = DateTimeField(label="Waktu", required=False)
    month = MonthField(label="Bulan", required=False)


def field_html(form, name):
    return str(form[name])


@pytest.mark.parametrize("typed", ["07/12/2026", "7/12/2026", "07-12-2026", "2026-12-07", " 07/12/2026 "])
def test_a_date_is_read_day_first_or_in_iso(typed):
    assert DateField().clean(typed) == datetime.date(2026, 12, 7)


@pytest.mark.parametrize("typed", ["31/02/2026", "12/31/2026", "07/12/26", "7 Desember 2026", "07.12.2026"])
def test_an_impossible_or_month_first_date_is_refused_with_an_example(typed):
    with pytest.raises(forms.ValidationError) as refusal:
        DateField().clean(typed)
    assert refusal.value.messages == ["Tanggal tidak valid. Tulis seperti 07/12/2026."]


def test_a_date_is_shown_day_first_with_its_words_and_hint():
    html = field_html(DatesForm(initial={"day": datetime.date(2026, 12, 7)}), "day")
    assert 'type="text"' in html and 'value="07/12/2026"' in html
    assert re.search(r'<span[^>]*id="id_day_words"[^>]*>7 Desember 2026</span>', html)
    # The hint is read with the field, before the form's own help text.
    assert 'aria-describedby="id_day_format id_day_helptext"' in html
    assert re.search(r'<div class="form-text" id="id_day_format">hh/bb/tttt ', html)


def test_a_date_sent_back_is_shown_day_first_whichever_way_it_came():
    html = field_html(DatesForm({"day": "2026-12-07"}), "day")
    assert 'value="07/12/2026"' in html and ">7 Desember 2026</span>" in html


def test_a_refused_date_is_shown_as_typed_without_words():
    form = DatesForm({"day": "31/02/2026"})
    assert not form.is_valid()
    html = field_html(form, "day")
    assert 'value="31/02/2026"' in html and 'data-kind="date" aria-live="polite"></span>' in html
    assert 'aria-describedby="id_day_format id_day_helptext id_day_error"' in html


@pytest.mark.parametrize("typed", ["04/12/2026 10.30", "4/12/2026 10:30", "04-12-2026 10.30", "2026-12-04T10:30"])
def test_a_date_and_time_is_read_day_first_in_24_hours(typed):
    assert DateTimeField().clean(typed) == datetime.datetime(2026, 12, 4, 10, 30, tzinfo=JAKARTA)


def test_an_evening_time_is_read_in_24_hours():
    assert DateTimeField().clean("04/12/2026 22.15") == datetime.datetime(2026, 12, 4, 22, 15, tzinfo=JAKARTA)


@pytest.mark.parametrize("typed", ["04/12/2026 25.00", "31/11/2026 10.30", "04/12/2026", "12/04/2026 10.30 PM"])
def test_an_impossible_date_and_time_is_refused_with_an_example(typed):
    with pytest.raises(forms.ValidationError) as refusal:
        DateTimeField().clean(typed)
    assert refusal.value.messages == ["Tanggal dan jam tidak valid. Tulis seperti 07/12/2026 10.30."]


def test_a_date_and_time_is_shown_day_first_with_its_day_and_zone():
    moment = datetime.datetime(2026, 12, 4, 3, 30, tzinfo=datetime.UTC)  # 10.30 in Jakarta
    html = field_html(DatesForm(initial={"moment": moment}), "moment")
    assert 'value="04/12/2026 10.30"' in html
    assert ">Jumat, 4 Desember 2026, 10.30 WIB</span>" in html and "hh/bb/tttt jj.mm" in html


@pytest.mark.parametrize("typed", ["12/2026", "12-2026", "2026-12"])
def test_a_month_is_read_as_its_first_day(typed):
    assert MonthField().clean(typed) == datetime.date(2026, 12, 1)


def test_an_impossible_month_is_refused_with_an_example():
    with pytest.raises(forms.ValidationError) as refusal:
        MonthField().clean("13/2026")
    assert refusal.value.messages == ["Bulan tidak valid. Tulis seperti 12/2026."]


def test_a_month_is_shown_month_first_with_its_words():
    html = field_html(DatesForm(initial={"month": datetime.date(2026, 12, 1)}), "month")
    assert 'value="12/2026"' in html and ">Desember 2026</span>" in html and "bb/tttt" in html


def _app_forms():
    for module in (cases.forms, identitas.forms, alokon.forms):
        for _name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                yield form


@pytest.mark.parametrize("form", list(_app_forms()), ids=lambda form: f"{form.__module__}.{form.__name__}")
def test_no_form_of_the_apps_asks_a_date_of_the_browser(form):
    for name, field in form.base_fields.items():
        if isinstance(field, forms.DateTimeField):
            assert isinstance(field, DateTimeField), name
        elif isinstance(field, forms.DateField):
            assert isinstance(field, DateField | MonthField), name


def test_the_attachment_file_input_reads_in_indonesian_with_crispy():
    form = AttachmentForm(workflow=type("Workflow", (), {"documents": {"scan": "Pindaian"}})())
    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))
    assert re.search(r'<input type="file" name="file" class="[^"]*form-control[^"]*" required[^>]*id="id_file">', html)
    assert '<label class="btn btn-sm btn-outline-secondary" for="id_file">Pilih berkas</label>' in html
    assert "Belum ada berkas dipilih" in html
