"""Use at the faskes: the UPTD P5A's monitoring (5) and the faskes' monthly report, which completes steps 7-9."""

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alokon.models import (
    Distribution,
    Facility,
    Item,
    Method,
    Monitoring,
    MonthlyReport,
    ReceiptConfirmation,
    ReportService,
    ReportStock,
    month_end,
)
from alokon.services.ledger import MAX_QUANTITY, StockError
from portal.services import record_locked, transition_fire


def monitoring_write(distribution, *, actor, mode, monitored_on, monitored_by, findings, follow_up=""):
    """Step 5's data, on the distribution locked by its step: how the UPTD P5A coordinated and monitored the faskes'
    use, recording and reporting of what was delivered (`mode`: Monitoring.Mode), on a day from the delivery to
    today."""
    if mode not in Monitoring.Mode.values:
        raise StockError(_("Pilih cara monitoring."))
    if not findings.strip() or not monitored_by.strip():
        raise StockError(_("Tuliskan temuan monitoring dan siapa yang melakukannya."))
    if not distribution.delivered_on <= monitored_on <= timezone.localdate():
        raise StockError(
            _("Tanggal monitoring harus antara tanggal diterima faskes (%(date)s) dan hari ini.")
            % {"date": date_format(distribution.delivered_on, "j F Y")}
        )
    Monitoring.objects.create(
        distribution=distribution, mode=mode, monitored_on=monitored_on, monitored_by=monitored_by.strip(),
        findings=findings.strip(), follow_up=follow_up.strip(), recorded_by=actor,
    )


def monitoring_record(distribution, *, actor, expected_status, **fields):
    """Step 5 in one go: monitoring_write, then the step."""
    with transaction.atomic(), record_locked(distribution, expected_status=expected_status) as locked:
        monitoring_write(locked, actor=actor, **fields)
        return transition_fire(locked, name="monitoring", actor=actor, expected_status="monitoring")


def received_in(facility, month):
    """{item id: units the facility accepted from deliveries made in `month`}."""
    rows = (
        ReceiptConfirmation.objects.filter(
            issue__distribution__facility=facility,
            issue__distribution__delivered_on__range=(month, month_end(month)),
        )
        .values("issue__item_id")
        .annotate(total=Sum("accepted"))
    )
    return {row["issue__item_id"]: row["total"] for row in rows}


def report_prefill(facility, month):
    """The stock rows of a new monthly report, and whether it is the facility's first.

    Opening stock comes from the last report's remaining; on a first report the faskes states it, so every
    active item is listed. Received comes from the deliveries confirmed. [{item, opening, received}].
    """
    month = month.replace(day=1)
    last = MonthlyReport.objects.filter(facility=facility, month__lt=month).order_by("-month").first()
    opening = {row.item_id: row.remaining for row in last.stock.all()} if last else {}
    received = received_in(facility, month)
    items = Item.objects.filter(pk__in=set(opening) | set(received)) if last else Item.objects.filter(
        Q(is_active=True) | Q(pk__in=received)
    )
    rows = [{"item": item, "opening": opening.get(item.pk, 0), "received": received.get(item.pk, 0)} for item in items]
    return rows, last is None


def report_submit(*, facility, month, actor, used, services, coordination_note="", opening=None):
    """Steps 7-9: the faskes' monthly report for a month that has ended. `used`: {item id: units used};
    `services`: {method: (new, repeat, switching)}; `opening`: {item id: units} the faskes held at the start of
    the month, stated on its first report only (later ones carry the last report's remaining). Completes
    services, coordination and reporting of the facility's distributions delivered up to that month and
    confirmed received, which are then done.
    """
    month = month.replace(day=1)
    if month_end(month) >= timezone.localdate():
        raise StockError(_("Laporan bulan ini baru dapat dikirim setelah bulannya berakhir."))
    if not Facility.objects.acted_for(actor).filter(pk=facility.pk).exists():
        raise StockError(_("Anda tidak dapat melapor untuk faskes ini."))
    rows, first = report_prefill(facility, month)
    if opening and not first:
        raise StockError(_("Stok awal diambil dari laporan bulan sebelumnya; tidak diisi lagi."))
    for row in rows:
        stated = (opening or {}).get(row["item"].pk, 0)
        if isinstance(stated, bool) or not isinstance(stated, int) or not 0 <= stated <= MAX_QUANTITY:
            raise StockError(_("%(item)s: stok awal harus bilangan bulat, nol atau lebih.") % {"item": row["item"]})
        row["opening"] = row["opening"] or stated
    with transaction.atomic():
        # One report per faskes and month. No key update: the faskes' row is not changed here, and requests and
        # SBBK rows pointing at it (FOR KEY SHARE at their commit) need not wait for this report.
        Facility.objects.select_for_update(no_key=True).get(pk=facility.pk)
        if MonthlyReport.objects.filter(facility=facility, month=month).exists():
            raise StockError(_("Laporan %(month)s sudah dikirim.") % {"month": f"{month:%m-%Y}"})
        report = MonthlyReport.objects.create(
            facility=facility, month=month, submitted_by=actor, coordination_note=coordination_note
        )
        stock = []
        for row in rows:
            quantity = used.get(row["item"].pk, 0)
            if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
                raise StockError(_("%(item)s: jumlah dipakai harus bilangan bulat, nol atau lebih.") % {"item": row["item"]})
            available = row["opening"] + row["received"]
            if quantity > available:
                raise StockError(
                    _("%(item)s: dipakai %(used)s melebihi stok awal + diterima (%(available)s).")
                    % {"item": row["item"], "used": quantity, "available": available}
                )
            stock.append(ReportStock(
                report=report, item=row["item"], opening=row["opening"], received=row["received"], used=quantity,
                remaining=available - quantity,
            ))
        ReportStock.objects.bulk_create(stock)
        service_rows = []
        for method, counts in services.items():
            if method not in Method.values:
                raise StockError(_("Metode tidak dikenal."))
            if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 or n > MAX_QUANTITY for n in counts):
                raise StockError(_("Jumlah peserta KB harus bilangan bulat, nol atau lebih."))
            service_rows.append(ReportService(report=report, method=method, new=counts[0], repeat=counts[1],
                                              switching=counts[2]))
        ReportService.objects.bulk_create(service_rows)
        note = _("Laporan bulanan %(month)s") % {"month": f"{month:%m-%Y}"}
        waiting = Distribution.objects.filter(
            facility=facility, status="service", delivered_on__lte=month_end(month)
        ).select_related("service", "unit")
        for distribution in waiting:
            for name in ("service", "coordination", "reporting"):
                distribution = transition_fire(
                    distribution, name=name, actor=actor, expected_status=name, note=note
                )
        return report
