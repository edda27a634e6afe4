"""Handling a complaint through each agency's stages, its time standard in working days, the late ones in the
head's worklist, and who sees what."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from portal.complaints.models import Complaint, Reply
from portal.models import DayOff
from portal.roles import Role
from portal.selectors import worklist
from portal.workflow import DONE

WIB = ZoneInfo("Asia/Jakarta")


def take(client, complaint, transition, **fields):
    """The step's form as the record's page sends it."""
    data = {"langkah-transition": transition, "langkah-expected_status": complaint.status,
            **{f"langkah-{name}": value for name, value in fields.items()}}
    return client.post(reverse("complaints:detail", args=[complaint.pk]), data)


def test_the_team_answers_through_every_stage(client, team_desk, about, officer, submit, django_capture_on_commit_callbacks):
    complaint, code = submit(team_desk, about=about)
    client.force_login(officer)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Kirim tanggapan awal" in page and "pengadu@example.org" in page

    refused = take(client, complaint, "check", findings="Data dicek.")
    assert refused.status_code == 400 and "Tuliskan jawaban untuk pengadu." in refused.content.decode()
    assert "Data dicek." in refused.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "check" and not complaint.replies.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert take(client, complaint, "check", reply="Kami sedang memeriksa.", findings="Data dicek.").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "field" and complaint.first_response_at is not None
    assert mail.outbox[-1].to == ["pengadu@example.org"] and "Kami sedang memeriksa." in mail.outbox[-1].body
    for stage in ("field", "internal"):
        assert take(client, complaint, stage, findings=f"Tahap {stage}.").status_code == 302
        complaint.refresh_from_db()
    assert complaint.status == "agencies"
    with django_capture_on_commit_callbacks(execute=True):
        take(client, complaint, "agencies", reply="Sudah diselesaikan.")
    complaint.refresh_from_db()
    assert complaint.status == DONE
    assert list(complaint.replies.values_list("text", flat=True)) == ["Kami sedang memeriksa.", "Sudah diselesaikan."]
    assert len(mail.outbox) == 2

    followed = client.post(reverse("complaints:follow_up"), {"number": complaint.number, "code": code})
    assert "Sudah diselesaikan." in followed.content.decode() and "Selesai" in followed.content.decode()


def test_a_draft_answer_is_kept_and_sends_nothing(client, team_desk, about, officer, submit):
    complaint, _code = submit(team_desk, about=about)
    client.force_login(officer)
    take(client, complaint, "simpan", reply="Draf jawaban")
    complaint.refresh_from_db()
    assert complaint.status == "check" and complaint.draft_reply == "Draf jawaban" and not Reply.objects.exists()
    assert "Draf jawaban" in client.get(complaint.get_absolute_url()).content.decode()


def test_an_officer_who_cannot_settle_it_passes_it_to_the_official(
    client, escalation, other_division, make_user, submit, django_capture_on_commit_callbacks,
):
    officer = make_user(other_division, Role.OFFICER)
    official = make_user(other_division, Role.HEAD)
    complaint, _code = submit(escalation, about=escalation.services().first())
    assert complaint.status == "respond" and complaint.due_at is None  # Purwakarta's standard names no time
    client.force_login(officer)
    refused = take(client, complaint, "respond.escalate")
    assert refused.status_code == 400 and "Tuliskan alasannya" in refused.content.decode()
    assert take(client, complaint, "respond.escalate", note="Butuh keputusan Kabid.").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "official"
    assert take(client, complaint, "official", reply="Dicoba petugas").status_code == 400  # not the officer's step

    [work] = [w for w in worklist(official) if w.service == escalation.service]
    assert [c.pk for c in work.waiting] == [complaint.pk]
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        assert take(client, complaint, "official", reply="Diselesaikan oleh Kabid.").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == DONE and mail.outbox[-1].body.startswith("Diselesaikan oleh Kabid.")


def test_a_walk_in_complaint_is_recorded_and_answered_by_the_same_officer(client, escalation, other_division, make_user):
    officer = make_user(other_division, Role.OFFICER)
    client.force_login(officer)
    response = client.post(reverse("complaints:record", args=[escalation.service.slug]), {
        "channel": "langsung", "kind": "pertanyaan", "text": "Apakah gratis?", "submission": "8d3e1c52-5f36-4a59-9a40-1d1fd3a44f5e",
    })
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.recorded_by == officer and complaint.channel == "langsung"
    assert take(client, complaint, "respond.settled", reply="Gratis.").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == DONE


@pytest.mark.parametrize("received, due", [
    # Friday 10.30 before a Monday off: Friday is day 0, Tuesday day 1, Wednesday day 2, at closing time.
    (datetime(2027, 1, 8, 10, 30, tzinfo=WIB), datetime(2027, 1, 13, 14, 45, tzinfo=WIB)),
    # Friday 11.30, after Friday's closing: the clock starts on Tuesday.
    (datetime(2027, 1, 8, 11, 30, tzinfo=WIB), datetime(2027, 1, 14, 14, 45, tzinfo=WIB)),
])
def test_the_first_response_is_due_two_working_days_after_receipt(team_desk, about, submit, received, due):
    DayOff.objects.create(date=date(2027, 1, 11), name="Libur daerah")
    complaint, _code = submit(team_desk, about=about, now=received)
    assert complaint.due_at == due


def test_a_late_complaint_reaches_the_head_until_instructed(client, team_desk, about, head, officer, submit):
    late, _code = submit(team_desk, about=about, now=datetime(2026, 11, 2, 9, tzinfo=WIB))
    on_time, _code = submit(team_desk, about=about, address="10.0.0.2")
    [work] = [w for w in worklist(head) if w.service == team_desk.service]
    assert [c.pk for c in work.waiting] == [late.pk]
    client.force_login(officer)
    assert client.post(reverse("complaints:instruct", args=[late.pk]), {"instruction": "Segera"}).status_code == 302
    late.refresh_from_db()
    assert late.instruction == ""  # an officer gives no instruction
    client.force_login(head)
    assert "Beri arahan" in client.get(late.get_absolute_url()).content.decode()
    refused = client.post(reverse("complaints:instruct", args=[late.pk]), {"instruction": ""})
    assert refused.status_code == 400 and "Tuliskan arahan" in refused.content.decode()
    assert client.post(reverse("complaints:instruct", args=[late.pk]), {"instruction": "Hubungi pengadu hari ini."}).status_code == 302
    late.refresh_from_db()
    assert late.instruction == "Hubungi pengadu hari ini." and late.instructed_by == head
    [work] = [w for w in worklist(head) if w.service == team_desk.service]
    assert work.waiting == []
    assert on_time.pk not in [c.pk for c in work.waiting]


def test_who_sees_a_complaint(client, team_desk, about, officer, head, general_officer, make_user, division, uptd, agency, submit):
    about_division, _code = submit(team_desk, about=about, name="Nama Pengadu")
    general, _code = submit(team_desk, address="10.0.0.5")
    url = about_division.get_absolute_url()
    assert client.get(url).status_code == 302  # anonymous: to the login
    assert client.get(reverse("complaints:register")).status_code == 302
    seen = {
        officer: {about_division.pk},
        head: {about_division.pk},
        general_officer: {general.pk},
        make_user(agency, Role.AGENCY_HEAD): {about_division.pk, general.pk},
        make_user(agency, Role.STOREKEEPER): set(),  # complaints about ALOKON only
        make_user(agency, Role.FASKES): set(),
    }
    for user, expected in seen.items():
        assert set(Complaint.objects.visible_to(user).values_list("pk", flat=True)) == expected
        client.force_login(user)
        for complaint in (about_division, general):
            status = client.get(complaint.get_absolute_url()).status_code
            assert status == (200 if complaint.pk in expected else 404), (user, complaint)


def test_script_is_escaped_on_the_officers_page(client, team_desk, about, officer, submit):
    complaint, _code = submit(team_desk, about=about, text="<script>alert(1)</script>", name="<img src=x>")
    client.force_login(officer)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x>" not in page


@pytest.mark.parametrize("rows", [5, 60])
def test_the_register_reads_a_page_in_constant_queries(client, team_desk, about, head, submit, rows, django_assert_num_queries):
    for number in range(rows):
        submit(team_desk, about=about, address=f"10.0.{number}.1")
    client.force_login(head)
    with django_assert_num_queries(11):  # 10, and the bell's unread count
        response = client.get(reverse("complaints:register"), {"status": "semua"})
    assert response.status_code == 200
    assert Complaint.objects.order_by("-created_at", "-pk").first().number in response.content.decode()


def test_the_start_page_leads_to_the_complaints_waiting_for_the_officer(client, team_desk, about, officer, submit):
    mine, _code = submit(team_desk, about=about)
    general, _code = submit(team_desk, address="10.0.0.9")  # the UPTD's, not the officer's
    client.force_login(officer)
    home = client.get("/").content.decode()
    assert "Catat pengaduan" in home and mine.number in home
    assert "/publik/layanan/pengaduan-dinas/" not in home  # the desk has no standard of its own
    register = client.get(reverse("complaints:register"), {"tugas": "saya"})
    assert mine.number in register.content.decode() and general.number not in register.content.decode()
    assert "Catat pengaduan" in register.content.decode()


def test_a_head_reaches_the_services_quarterly_reports_from_the_start_page(client, about, head, team_desk):
    client.force_login(head)
    home = client.get("/").content.decode()
    assert "/survei/ikm/?layanan=layanan-bidang" in home and "/jaminan/?layanan=layanan-bidang" in home
    assert "/evaluasi/?layanan=layanan-bidang" in home
