"""Step 2, the SPMB: the Sekretaris approves at most what each line asked for, in whole packs, seeing each item's pack
size and the warehouse's stock; a refused approval is shown again as typed, every line not in whole packs with the
whole-pack quantities beside it, and changes nothing."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from alokon.models import Distribution, DistributionLine
from alokon.services import allocation, ledger
from portal.models import TransitionLog
from tests.alokon.conftest import current, take_step


@pytest.fixture
def asked(distribution_at, pill, condom, receive):
    """A request waiting for its SPMB: 44 strips of pill and 200 condoms (boxes of 144), with stock of both.

    A request is asked in whole packs now; 200 condoms stands for one asked before that, or a routine plan's line
    the storekeeper edited."""
    receive(pill, 500)
    receive(condom, 1440, lot="K1")
    distribution = distribution_at("spmb", lines=[(pill, 44), (condom, 144)])
    DistributionLine.objects.filter(distribution=distribution, item=condom).update(requested=200)
    lines = {line.item_id: line for line in distribution.lines.select_related("item")}
    return distribution, lines[pill.pk], lines[condom.pk]


def state(distribution):
    """Everything an approval writes: the lines' figures, the record's status and SPMB number, the log."""
    record = current(distribution)
    return (
        list(DistributionLine.objects.order_by("pk").values_list("pk", "requested", "approved")),
        (record.status, record.spmb_year, record.spmb_sequence),
        TransitionLog.objects.filter(object_id=distribution.pk).count(),
        Distribution.history.filter(pk=distribution.pk).count(),
    )


def approve(client, secretary, distribution, values):
    lines = {f"line_{pk}": value for pk, value in values.items()}
    return take_step(client, secretary, distribution, "spmb.approve", expected_status="spmb", **lines)


def test_it_refuses_approving_a_million_units_where_44_were_asked(client, secretary, asked):
    distribution, pill_line, condom_line = asked
    before = state(distribution)
    response = approve(client, secretary, distribution, {pill_line.pk: "1000000", condom_line.pk: "144"})
    assert response.status_code == 400
    assert response.request["PATH_INFO"] == distribution.get_absolute_url()
    assert "Melebihi yang diminta (44): paling banyak 44." in response.content.decode()
    form = response.context["step_form"]
    assert (form[f"line_{pill_line.pk}"].value(), form[f"line_{condom_line.pk}"].value()) == ("1000000", "144")
    assert state(distribution) == before

    # Refusing the SPMB from the same form is not held up by the figure typed.
    response = take_step(client, secretary, distribution, "spmb.reject", note="Stok faskes masih cukup.", **{
        f"line_{pill_line.pk}": "1000000", f"line_{condom_line.pk}": "144",
    })
    assert response.status_code == 302 and current(distribution).status == "ditolak"
    assert not DistributionLine.objects.filter(approved__isnull=False).exists()


def test_the_service_refuses_more_than_was_asked_whoever_calls_it(secretary, asked):
    distribution, pill_line, condom_line = asked
    before = state(distribution)
    with pytest.raises(ledger.StockError, match="disetujui 1000000, padahal diminta 44"):
        allocation.spmb_approve(distribution, actor=secretary, expected_status="spmb",
                              approved={pill_line.pk: 1_000_000, condom_line.pk: 144})
    with pytest.raises(ledger.StockError, match="padahal diminta 200. SPMB tidak boleh melebihi permintaan: "
                                                  "paling banyak 144"):
        allocation.spmb_approve(distribution, actor=secretary, expected_status="spmb",
                              approved={pill_line.pk: 44, condom_line.pk: 288})
    assert state(distribution) == before


def test_the_database_holds_no_line_approved_above_its_request(asked):
    _distribution, pill_line, _condom_line = asked
    with pytest.raises(IntegrityError), transaction.atomic():
        DistributionLine.objects.filter(pk=pill_line.pk).update(approved=45)


def test_a_line_is_offered_as_asked_rounded_down_to_whole_packs_beside_its_pack_and_stock(client, secretary, asked):
    distribution, pill_line, condom_line = asked
    client.force_login(secretary)
    page = client.get(reverse("alokon:distribution", args=[distribution.pk]))
    form = page.context["form"]
    assert (form[f"line_{pill_line.pk}"].value(), form[f"line_{condom_line.pk}"].value()) == (44, 144)
    text = page.content.decode()
    assert "Isi per kemasan 144 buah; stok gudang 1.440. Paling banyak 144: yang diminta, dalam kemasan utuh." in text
    assert "Isi per kemasan 1 strip; stok gudang 500. Paling banyak 44" in text

    response = approve(client, secretary, distribution, {pill_line.pk: "44", condom_line.pk: "144"})
    assert response.status_code == 302
    assert sorted(DistributionLine.objects.values_list("requested", "approved")) == [(44, 44), (200, 144)]
    assert current(distribution).status == "packing"


# (what is typed in the pill line, in the condom line; what the page then says)
BAD = [
    ("1000000", "144", "Melebihi yang diminta (44): paling banyak 44."),
    ("44", "288", "Melebihi yang diminta (200): paling banyak 144."),  # the next whole pack is more than asked
    ("44", "100", "Bukan kemasan utuh (isi 144): isi 0 atau 144."),
    ("-5", "144", "Jumlah tidak boleh kurang dari 0."),
    ("abc", "144", "Isi bilangan bulat, tanpa koma atau titik."),
    ("4.5", "144", "Isi bilangan bulat, tanpa koma atau titik."),
    ("99999999", "144", "tidak wajar"),
    ("0", "0", "Tidak ada barang yang disetujui: isi jumlahnya, atau tolak SPMB ini dengan alasannya."),
]


def test_every_refused_approval_keeps_what_was_typed_says_why_and_changes_nothing(client, secretary, asked):
    distribution, pill_line, condom_line = asked
    before = state(distribution)
    for pill_value, condom_value, message in BAD:
        response = approve(client, secretary, distribution, {pill_line.pk: pill_value, condom_line.pk: condom_value})
        assert response.status_code == 400, (pill_value, condom_value)
        assert message in response.content.decode(), (pill_value, condom_value)
        form = response.context["step_form"]
        assert form[f"line_{pill_line.pk}"].value() == pill_value
        assert form[f"line_{condom_line.pk}"].value() == condom_value
        assert state(distribution) == before


def test_a_routine_plans_spmbs_are_approved_as_planned_in_whole_packs(
    alokon_service, facility, storekeeper, secretary, condom, pill, receive
):
    receive(condom, 1440, lot="K1")
    plan = allocation.plan_propose(
        service=alokon_service, actor=storekeeper, month=timezone.localdate(), facilities=[facility],
        items=[pill, condom], min_months=1, max_months=3,
    )
    lines = {line.item_id: line.pk for line in plan.lines.all()}
    # The storekeeper's edit is in whole packs too: part of a box could only be approved as none.
    with pytest.raises(ledger.StockError, match="Kondom diminta per kemasan isi 144: 300 bukan kelipatannya"):
        allocation.plan_submit(plan, actor=storekeeper, quantities={lines[pill.pk]: 0, lines[condom.pk]: 300})
    assert not Distribution.objects.exists()
    allocation.plan_submit(plan, actor=storekeeper, quantities={lines[pill.pk]: 0, lines[condom.pk]: 288})
    approved, refused = allocation.spmb_approve_plan(plan, actor=secretary)
    assert (len(approved), refused) == (1, [])
    assert list(DistributionLine.objects.values_list("requested", "approved")) == [(288, 288)]

def test_every_line_not_in_whole_packs_is_refused_at_once_with_its_whole_packs(
    client, secretary, distribution_at, condom, injectable, receive
):
    Item = type(condom)
    Item.objects.filter(pk=injectable.pk).update(pack_size=10)
    receive(condom, 1440, lot="K1")
    receive(injectable, 100, lot="S1")
    distribution = distribution_at("spmb", lines=[(condom, 288), (injectable, 30)])
    lines = {line.item_id: line.pk for line in distribution.lines.all()}
    before = state(distribution)
    response = approve(client, secretary, distribution, {lines[condom.pk]: "250", lines[injectable.pk]: "25"})
    assert response.status_code == 400
    form = response.context["step_form"]
    assert form.errors[f"line_{lines[condom.pk]}"] == ["Bukan kemasan utuh (isi 144): isi 144 atau 288."]
    assert form.errors[f"line_{lines[injectable.pk]}"] == ["Bukan kemasan utuh (isi 10): isi 20 atau 30."]
    assert state(distribution) == before


def test_a_draft_keeps_the_quantities_without_an_spmb_number(client, secretary, asked):
    distribution, pill_line, condom_line = asked
    response = take_step(client, secretary, distribution, "simpan", **{
        f"line_{pill_line.pk}": "40", f"line_{condom_line.pk}": "",
    })
    assert response.status_code == 302
    assert (current(distribution).status, current(distribution).spmb_sequence) == ("spmb", None)
    client.force_login(secretary)
    form = client.get(distribution.get_absolute_url()).context["form"]
    assert form[f"line_{pill_line.pk}"].value() == 40
    # Completing it with a line still blank is refused, saying why.
    response = take_step(client, secretary, distribution, "spmb.approve", **{
        f"line_{pill_line.pk}": "40", f"line_{condom_line.pk}": "",
    })
    assert response.status_code == 400 and "Isi jumlah yang disetujui untuk setiap barang" in response.content.decode()
    assert current(distribution).status == "spmb"
