"""A complaint reaches the bell of the officers who handle it, as a complaint (Kind.COMPLAINT), each user choosing
how they hear of complaints apart from their other work; the complainant is named in no notification."""

import pytest

from portal.notifications.models import Kind, Notification
from portal.roles import Role

pytestmark = pytest.mark.django_db


def test_a_complaint_sent_from_the_public_form_reaches_the_officers_who_handle_it(team_desk, about, officer, head,
                                                                                  general_officer, submit, make_user):
    outsider = make_user(team_desk.service.unit, Role.FASKES)
    complaint, _code = submit(team_desk, about=about, name="Sulastri Wiraatmaja", text="Petugas tidak ramah.")
    told = Notification.objects.filter(url=complaint.get_absolute_url())
    assert list(told.values_list("user", "kind")) == [(officer.pk, Kind.COMPLAINT)]
    assert told.get().text == f"Pengaduan Dinas nomor {complaint.number} menunggu langkah Anda: Cek data."
    assert not Notification.objects.filter(user__in=[head, general_officer, outsider]).exists()
