"""The bell and its list: a user reads, follows and marks their own notifications only, and chooses how they are
told."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.notifications.models import Kind, Notification, Preference
from portal.roles import Role

pytestmark = pytest.mark.django_db

INDEX = reverse("notifications:index")


@pytest.fixture
def mine(officer):
    return [
        Notification.objects.create(
            user=officer, kind=Kind.STEP, text=f"Layanan Tiket nomor {n} menunggu langkah Anda.",
            url=f"/tiket/{n}/", key=f"k{n}", created_at=timezone.now(),
        )
        for n in (1, 2, 3)
    ]


@pytest.fixture
def theirs(head):
    return Notification.objects.create(
        user=head, kind=Kind.APPROVAL, text="Layanan Tiket nomor 9 menunggu persetujuan Anda.", url="/tiket/9/",
        key="k9", created_at=timezone.now(),
    )


def test_anonymous_visitors_are_sent_to_log_in(client, mine):
    for url in (INDEX, reverse("notifications:follow", args=[mine[0].pk]), reverse("notifications:preferences")):
        assert client.get(url).status_code == 302
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_the_bell_counts_the_unread_and_the_list_shows_them_newest_first(client, officer, mine, theirs):
    client.force_login(officer)
    response = client.get(reverse("home"))
    text = response.content.decode()
    assert 'Notifikasi <span class="badge text-bg-light">3</span><span class="visually-hidden"> belum dibaca</span>' in text
    page = client.get(INDEX)
    assert [n.pk for n in page.context["page"].object_list] == [n.pk for n in reversed(mine)]
    assert theirs.text not in page.content.decode()


def test_following_a_notification_opens_its_record_and_counts_it_read(client, officer, mine):
    client.force_login(officer)
    response = client.get(reverse("notifications:follow", args=[mine[0].pk]))
    assert response.status_code == 302 and response["Location"] == "/tiket/1/"
    assert Notification.objects.get(pk=mine[0].pk).read_at is not None
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_a_notification_leading_off_the_portal_is_not_followed(client, officer, mine):
    Notification.objects.filter(pk=mine[0].pk).update(url="https://contoh.example.org/")
    client.force_login(officer)
    assert client.get(reverse("notifications:follow", args=[mine[0].pk]))["Location"] == INDEX


def test_another_users_notification_is_404_and_stays_unread(client, officer, theirs):
    client.force_login(officer)
    assert client.get(reverse("notifications:follow", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_marking_read_one_and_all(client, officer, mine, theirs):
    client.force_login(officer)
    client.post(reverse("notifications:read", args=[mine[1].pk]))
    assert list(Notification.objects.filter(user=officer, read_at__isnull=False).values_list("pk", flat=True)) == [mine[1].pk]
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "2 notifikasi ditandai sudah dibaca." in response.content.decode()
    assert not Notification.objects.filter(user=officer, read_at__isnull=True).exists()
    assert 'class="badge text-bg-light"' not in response.content.decode()
    assert client.get(reverse("notifications:read_all")).status_code == 405  # a write: never by a link


def test_the_list_costs_the_same_queries_with_3_or_60_notifications(client, officer, mine, django_assert_num_queries):
    client.force_login(officer)
    client.get(INDEX)
    with django_assert_num_queries(5) as few:
        client.get(INDEX)
    Notification.objects.bulk_create(
        Notification(user=officer, kind=Kind.OVERDUE, text=f"T {n}", url="/", key=f"m{n}", created_at=timezone.now())
        for n in range(57)
    )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(INDEX)


def test_preferences_are_kept_and_a_forged_choice_changes_nothing(client, officer):
    client.force_login(officer)
    page = client.get(reverse("notifications:preferences"))
    assert "belum mempunyai alamat surel" in page.content.decode()
    choices = {kind: Preference.Channel.IMMEDIATE for kind in Kind.values}
    client.post(reverse("notifications:preferences"), {**choices, Kind.OVERDUE: Preference.Channel.DIGEST})
    assert dict(Preference.objects.filter(user=officer).values_list("kind", "channel"))[Kind.OVERDUE] == "ringkasan"
    before = list(Preference.objects.values_list("kind", "channel"))
    response = client.post(reverse("notifications:preferences"), {**choices, Kind.STEP: "sms"})
    assert response.status_code == 400 and "Pilih salah satu cara yang ada." in response.content.decode()
    assert list(Preference.objects.values_list("kind", "channel")) == before


def test_a_user_with_nothing_unread_sees_no_count(client, officer, mine, make_user, division):
    client.force_login(make_user(division, Role.OFFICER))
    assert 'class="badge text-bg-light"' not in client.get(reverse("home")).content.decode()
