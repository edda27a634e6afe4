"""The due time a register shows on each row and a record's page at its top (portal.templatetags.workflow.due)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone, translation

WIB = ZoneInfo("Asia/Jakarta")


def due(deadline, is_open=True):
    with translation.override("id"):
        return Template("{% load workflow %}{% due deadline is_open %}").render(
            Context({"deadline": deadline, "is_open": is_open})
        )


def test_a_time_still_ahead_says_what_is_left_in_indonesian(monkeypatch):
    now = datetime(2026, 3, 2, 8, 0, tzinfo=WIB)
    monkeypatch.setattr(timezone, "now", lambda: now)
    assert due(now + timedelta(days=2, hours=3)) == "<span>4 Maret 2026, 11.00 WIB &middot; sisa 2 hari 3 jam</span>"


def test_a_time_passed_on_an_open_record_stands_out(monkeypatch):
    now = datetime(2026, 3, 2, 8, 0, tzinfo=WIB)
    monkeypatch.setattr(timezone, "now", lambda: now)
    assert due(now - timedelta(minutes=45)) == (
        '<span class="status-overdue">2 Maret 2026, 07.15 WIB &middot; lewat 45 menit</span>'
    )


def test_a_closed_record_shows_the_time_alone_and_none_shows_a_dash():
    deadline = datetime(2026, 3, 2, 8, 0, tzinfo=WIB) - timedelta(days=30)
    assert due(deadline, is_open=False) == "<span>31 Januari 2026, 08.00 WIB</span>"
    assert due(None) == '<span class="text-muted">&ndash;</span>'
