"""Fixtures for the ALOKON app, on top of tests/conftest.py (government > agency, with its service hours).

    government (pemkab): kecamatan "Kawali" and "Panjalu"
    └── agency (dinas): the warehouse; `alokon_service` runs here; `storekeeper`, `secretary`, `agency_head`
        ├── uptd (UPTD P5A Kawali): `uptd_officer` works here; `facility` is under it
        └── division (bidang): `outside_officer`

Users:
    storekeeper       Role.STOREKEEPER in the agency: keeps the books, issues SBBKs, delivers
    secretary         Role.HEAD in the agency: approves SPMBs and stock counts
    second_head       another Role.HEAD in the agency, holding no office: approves no SPMB
    agency_head       Role.AGENCY_HEAD in the agency: observes
    uptd_officer      Role.OFFICER in the UPTD: monitors its faskes, may act for one without an account
    outside_officer   Role.OFFICER in the division: no business in ALOKON's faskes
    faskes_user       a FacilityAccount of `facility` (no membership)
    other_faskes_user a FacilityAccount of `other_facility`

Items (tracked by lot unless said): `pill` (strip, pack 1), `injectable` (vial, pack 1), `condom` (piece,
pack 144: issued in whole boxes), `implant` (set, MKJP), `untracked` (kept without lots).

Helpers:
    receive(item, quantity, lot="L1", expiry=..., on=today)   stock received through receipt_post
    distribution_at(status, lines=...)  a request walked through the real steps until it waits in `status`
    balance(lot)                       the StockBalance quantity of a lot (0 when none)
    ledger_sum(lot)                    the ledger's sum for a lot
    take_step(client, user, distribution, transition, **fields)
                                       the step's form posted to the distribution's page (portal.views.record_page)
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone

from alokon.models import Facility, FacilityAccount, Item, Movement, StockBalance
from alokon.services import allocation, dispatch, ledger, usage
from portal.models import Kecamatan, Service
from portal.roles import Office, Role


@pytest.fixture
def kecamatan(government):
    return Kecamatan.objects.create(regency=government, name="Kawali", code="32.07.08")


@pytest.fixture
def other_kecamatan(government):
    return Kecamatan.objects.create(regency=government, name="Panjalu", code="32.07.09")


@pytest.fixture
def alokon_service(agency):
    return Service.objects.create(slug="alokon", name="Penyaluran Alokon", unit=agency, app="alokon")


@pytest.fixture
def storekeeper(agency, make_user):
    return make_user(agency, Role.STOREKEEPER, username="pengelola")


@pytest.fixture
def secretary(agency, make_user):
    return make_user(agency, Role.HEAD, username="sekretaris", office=Office.AGENCY_SECRETARY)


@pytest.fixture
def second_head(agency, make_user):
    return make_user(agency, Role.HEAD, username="kabid")


@pytest.fixture
def agency_head(agency, make_user):
    return make_user(agency, Role.AGENCY_HEAD, username="kadis", office=Office.AGENCY_HEAD)


@pytest.fixture
def uptd_officer(uptd, make_user):
    return make_user(uptd, Role.OFFICER, username="petugas_uptd")


@pytest.fixture
def outside_officer(division, make_user):
    return make_user(division, Role.OFFICER, username="petugas_bidang")


@pytest.fixture
def facility(agency, uptd, kecamatan):
    return Facility.objects.create(
        unit=agency, registration_number="32070801", name="Puskesmas Kawali", kind=Facility.Kind.PUSKESMAS,
        kecamatan=kecamatan, uptd=uptd, mkjp_mou=True,
    )


@pytest.fixture
def other_facility(agency, other_kecamatan):
    return Facility.objects.create(
        unit=agency, registration_number="32070902", name="Klinik Panjalu", kind=Facility.Kind.CLINIC,
        kecamatan=other_kecamatan,
    )


def _account(facility, username):
    user = get_user_model().objects.create_user(username=username, password="sandi-uji-panjang")
    FacilityAccount.objects.create(user=user, facility=facility)
    return user


@pytest.fixture
def faskes_user(facility):
    return _account(facility, "faskes_kawali")


@pytest.fixture
def other_faskes_user(other_facility):
    return _account(other_facility, "faskes_panjalu")


def _item(code, method, name, unit, pack=1, tracks_lots=True):
    return Item.objects.create(
        code=code, method=method, name=name, unit_of_issue=unit, pack_size=pack, tracks_lots=tracks_lots
    )


@pytest.fixture
def pill(db):
    return _item("pil-kb", "pil", "Pil KB Kombinasi", "strip")


@pytest.fixture
def injectable(db):
    return _item("suntik-3", "suntik", "Suntik KB 3 Bulanan", "vial")


@pytest.fixture
def condom(db):
    return _item("kondom", "kondom", "Kondom", "buah", pack=144)


@pytest.fixture
def implant(db):
    return _item("implan", "implan", "Implan 1 Batang", "set")


@pytest.fixture
def untracked(db):
    return _item("iud-kit", "iud", "IUD Kit", "set", tracks_lots=False)


@pytest.fixture
def receive(agency, storekeeper):
    """receive(item, quantity, lot="L1", expiry=today + 400 days, on=today): a receipt of one line."""

    def receive_(item, quantity, lot="L1", expiry=None, on=None):
        expiry = expiry or timezone.localdate() + timedelta(days=400)
        return ledger.receipt_post(
            warehouse=agency, actor=storekeeper, received_on=on or timezone.localdate(),
            source_document="BKKBN/uji", supplier="Perwakilan BKKBN Provinsi", funding="apbn",
            lines=[{"item": item, "lot_number": lot, "expiry_date": expiry, "quantity": quantity}],
        )

    return receive_


@pytest.fixture
def balance(agency):
    def balance_(lot):
        row = StockBalance.objects.filter(warehouse=agency, lot=lot).first()
        return row.quantity if row else 0

    return balance_


@pytest.fixture
def ledger_sum(agency):
    def ledger_sum_(lot):
        return Movement.objects.filter(warehouse=agency, lot=lot).aggregate(total=Sum("quantity"))["total"] or 0

    return ledger_sum_


def current(record):
    return type(record).objects.get(pk=record.pk)


@pytest.fixture
def distribution_at(alokon_service, facility, faskes_user, secretary, storekeeper, uptd_officer, pill, receive):
    """distribution_at(status, lines=None): a request of `facility` (default: 20 strips of pill, with 100 in
    stock) walked through the real steps until it waits in `status` ("spmb", "packing", "delivery",
    "monitoring", "receipt" or "service")."""

    def walk(status, lines=None):
        if lines is None:
            receive(pill, 100)
            lines = [(pill, 20)]
        distribution = allocation.request_create(
            service=alokon_service, facility=facility, actor=faskes_user, lines=lines, request_letter="SP/01"
        )
        if status == "spmb":
            return distribution
        approved = {line.pk: line.requested for line in distribution.lines.all()}
        distribution = allocation.spmb_approve(distribution, actor=secretary, expected_status="spmb", approved=approved)
        if status == "packing":
            return distribution
        distribution = dispatch.sbbk_issue(distribution, actor=storekeeper, expected_status="packing")
        if status == "delivery":
            return distribution
        distribution = dispatch.delivery_record(
            distribution, actor=storekeeper, expected_status="delivery", delivered_on=timezone.localdate()
        )
        if status == "monitoring":
            return distribution
        distribution = usage.monitoring_record(
            distribution, actor=uptd_officer, expected_status="monitoring", mode="kunjungan",
            monitored_on=timezone.localdate(), monitored_by="Petugas UPTD", findings="Dipantau.",
        )
        if status == "receipt":
            return distribution
        confirmations = {m.pk: (-m.quantity, 0, "") for m in distribution.movements.filter(kind="keluar")}
        distribution = dispatch.receipt_confirm(
            distribution, actor=faskes_user, expected_status="receipt", confirmations=confirmations
        )
        if status == "service":
            return distribution
        raise ValueError(f"distribution_at({status!r}) is not walked yet")

    return walk


def last_month(today=None):
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


__all__ = ["current", "date", "last_month"]


def take_step(client, user, distribution, transition, expected_status=None, **fields):
    """Post the current step's form of `distribution` to its page as `user`: the way out pressed (`transition`) and
    the step's fields, named as the page names them (StepForm's prefix "langkah")."""
    client.force_login(user)
    data = {"langkah-transition": transition, "langkah-expected_status": expected_status or current(distribution).status}
    data.update({f"langkah-{name}": value for name, value in fields.items()})
    return client.post(distribution.get_absolute_url(), data)
