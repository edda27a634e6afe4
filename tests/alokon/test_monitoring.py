"""Step 5: the UPTD P5A of the faskes' kecamatan records its monitoring (how, when, by whom, findings, follow-up)
on the distribution's page; the step is done with it, by that UPTD's officer only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alokon.models import Monitoring
from alokon.services import ledger, usage
from portal.models import TransitionLog, Unit
from portal.roles import Role
from portal.services import transition_fire
from portal.workflow import TransitionError
from tests.alokon.conftest import current, take_step


@pytest.fixture
def delivered(distribution_at):
    return distribution_at("monitoring")


def state(distribution):
    record = current(distribution)
    return (
        list(Monitoring.objects.values_list("pk", "findings")),
        record.status,
        TransitionLog.objects.filter(object_id=distribution.pk).count(),
    )


def form_data(client, user, distribution, **values):
    """The monitoring form's fields as the page gives them to `user`, filled with `values`."""
    client.force_login(user)
    form = client.get(reverse("alokon:distribution", args=[distribution.pk])).context["form"]
    data = {name: form[name].value() for name in ("monitored_on", "monitored_by")}
    data["monitored_on"] = data["monitored_on"].strftime("%d/%m/%Y")
    data.update(mode="kunjungan", findings="Kartu stok faskes sesuai SBBK; laporan Oktober belum dikirim.",
                follow_up="Faskes mengirim laporan sebelum tanggal 15.")
    data.update(values)
    return data


def test_the_uptd_officer_records_the_monitoring_and_the_step_is_done(client, delivered, uptd_officer, faskes_user):
    data = form_data(client, uptd_officer, delivered, monitored_by="Rina (petugas UPTD) dan bidan desa")
    page = client.get(reverse("alokon:distribution", args=[delivered.pk])).content.decode()
    assert "Simpan hasil monitoring" in page

    response = take_step(client, uptd_officer, delivered, "monitoring", **data)
    assert response.status_code == 302 and current(delivered).status == "receipt"
    monitoring = Monitoring.objects.get(distribution=delivered)
    assert (monitoring.mode, monitoring.monitored_on, monitoring.monitored_by, monitoring.recorded_by) == (
        "kunjungan", timezone.localdate(), "Rina (petugas UPTD) dan bidan desa", uptd_officer,
    )
    assert TransitionLog.objects.filter(object_id=delivered.pk, transition="monitoring", actor=uptd_officer).exists()

    # The same form posted again (a double click) saves nothing more.
    response = take_step(client, uptd_officer, delivered, "monitoring", expected_status="monitoring", **data)
    assert response.status_code == 400 and Monitoring.objects.count() == 1
    assert "baru saja diubah oleh pengguna lain" in response.content.decode()

    # The record's page shows what was monitored, to the faskes too.
    client.force_login(faskes_user)
    page = client.get(reverse("alokon:distribution", args=[delivered.pk])).content.decode()
    for text in ("Kunjungan ke faskes", "Rina (petugas UPTD) dan bidan desa", "laporan Oktober belum dikirim",
                 "Faskes mengirim laporan sebelum tanggal 15."):
        assert text in page


def test_the_monitoring_date_is_shown_in_indonesian(client, delivered, uptd_officer):
    day = timezone.localdate()
    usage.monitoring_record(delivered, actor=uptd_officer, expected_status="monitoring", mode="telepon",
                               monitored_on=day, monitored_by="Rina", findings="Sesuai.")
    client.force_login(uptd_officer)
    page = client.get(reverse("alokon:distribution", args=[delivered.pk])).content.decode()
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember"]
    assert f"Telepon atau pesan, {day.day} {months[day.month - 1]} {day.year}" in page


@pytest.mark.parametrize("field, value", [
    ("findings", "   "), ("mode", ""), ("mode", "surat"), ("monitored_on", "kemarin"), ("monitored_by", ""),
])
def test_a_refused_monitoring_keeps_what_was_typed_and_changes_nothing(client, delivered, uptd_officer, field, value):
    data = form_data(client, uptd_officer, delivered, **{field: value})
    before = state(delivered)
    response = take_step(client, uptd_officer, delivered, "monitoring", **data)
    assert response.status_code == 400
    assert response.request["PATH_INFO"] == delivered.get_absolute_url()
    form = response.context["form"]
    assert list(form.errors) == [field]
    if field == "findings":
        assert "Tuliskan temuan monitoring." in response.content.decode()
    for name in ("findings", "follow_up", "monitored_by"):
        assert form[name].value() == data[name]
    assert "Simpan hasil monitoring" in response.content.decode()
    assert state(delivered) == before


@pytest.mark.parametrize("days", [-1, 1])
def test_a_monitoring_dated_before_the_delivery_or_in_the_future_is_refused(client, delivered, uptd_officer, days):
    day = delivered.delivered_on + timedelta(days=days)
    data = form_data(client, uptd_officer, delivered, monitored_on=day.isoformat())
    before = state(delivered)
    response = take_step(client, uptd_officer, delivered, "monitoring", **data)
    assert response.status_code == 400
    assert response.context["form"]["findings"].value() == data["findings"]
    assert state(delivered) == before
    with pytest.raises(ledger.StockError, match="Tanggal monitoring harus antara tanggal diterima faskes"):
        usage.monitoring_record(delivered, actor=uptd_officer, expected_status="monitoring", mode="kunjungan",
                                   monitored_on=day, monitored_by="Rina", findings="Sesuai.")
    assert state(delivered) == before


@pytest.fixture
def other_uptd_officer(agency, make_user):
    other = Unit.objects.create(code="uptd-lain", name="UPTD Lain", kind=Unit.Kind.TECHNICAL_UNIT, parent=agency)
    return make_user(other, Role.OFFICER, username="petugas_uptd_lain")


@pytest.mark.parametrize("who, refused", [
    ("faskes_user", 400), ("storekeeper", 400), ("secretary", 400), ("other_uptd_officer", 404),
])
def test_only_the_faskes_uptd_records_the_monitoring(client, delivered, uptd_officer, request, who, refused):
    data = form_data(client, uptd_officer, delivered)
    before = state(delivered)
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("alokon:distribution", args=[delivered.pk]))
    if refused == 404:
        assert page.status_code == 404
    else:
        assert "Simpan hasil monitoring" not in page.content.decode()
    response = take_step(client, request.getfixturevalue(who), delivered, "monitoring", **data)
    assert response.status_code == refused
    if refused == 400:
        assert "dilakukan oleh UPTD P5A" in response.content.decode()
    assert state(delivered) == before


def test_an_anonymous_post_is_sent_to_sign_in_and_changes_nothing(client, delivered, uptd_officer):
    data = form_data(client, uptd_officer, delivered)
    before = state(delivered)
    client.logout()
    response = client.post(delivered.get_absolute_url(), {f"langkah-{name}": value for name, value in data.items()})
    assert response.status_code == 302 and "/masuk/" in response["Location"]
    assert state(delivered) == before


def test_the_step_is_not_done_without_the_monitoring(client, delivered, uptd_officer):
    before = state(delivered)
    response = take_step(client, uptd_officer, delivered, "monitoring", note="Dipantau.")
    assert response.status_code == 400 and state(delivered) == before
    response = take_step(client, uptd_officer, delivered, "simpan", **form_data(client, uptd_officer, delivered))
    assert response.status_code == 400 and "tidak ada simpan dulu" in response.content.decode()
    assert state(delivered) == before
    with pytest.raises(TransitionError, match="Catat hasil monitoring UPTD P5A"):
        transition_fire(delivered, name="monitoring", actor=uptd_officer, expected_status="monitoring")
    assert state(delivered) == before
