"""The ALOKON pages' forms. Quantities are whole units, checked here for the message and again in
alokon.services, which decides."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from alokon import stock
from alokon.models import Facility, Item, Lot, Method, Monitoring, Movement, Receipt, ReceiptConfirmation
from alokon.services import allocation, dispatch, usage
from alokon.services import ledger
from alokon.services.ledger import MAX_QUANTITY
from portal.forms import DateField, MonthField, OnceForm, StepForm, not_in_future
from portal.workflow import TransitionError

QUANTITY_ERRORS = {
    "invalid": _("Isi bilangan bulat, tanpa koma atau titik."),
    "min_value": _("Jumlah tidak boleh kurang dari %(limit_value)s."),
    "max_value": _("Jumlah %(limit_value)s ke atas tidak wajar: periksa kembali angkanya."),
}


def quantity_field(label, *, required=False, min_value=0, initial=None):
    return forms.IntegerField(
        label=label, required=required, min_value=min_value, max_value=MAX_QUANTITY, initial=initial,
        error_messages=QUANTITY_ERRORS, widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )


class RequestForm(OnceForm):
    """A Surat Permohonan: the faskes, its letter number, and a quantity per item (blank: not asked for)."""

    id_prefix = "permintaan"
    facility = forms.ModelChoiceField(
        label=_("Faskes"), queryset=Facility.objects.none(),
        error_messages={"invalid_choice": _("Faskes ini tidak terdaftar atau tidak aktif.")},
    )
    request_letter = forms.CharField(label=_("Nomor surat permohonan"), max_length=100, required=False)

    def __init__(self, *args, facilities, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_status"].required = False
        self.fields["facility"].queryset = facilities
        if facilities.count() == 1:
            self.fields["facility"].initial = facilities.first()
        self.items = list(items)
        for item in self.items:
            field = quantity_field(f"{item.name} ({item.get_unit_of_issue_display()})")
            if item.pack_size > 1:
                field.help_text = _("Dalam kemasan utuh: kelipatan %(pack)s.") % {"pack": item.pack_size}
                field.widget.attrs["step"] = item.pack_size
            self.fields[f"item_{item.pk}"] = field

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            quantity = cleaned.get(f"item_{item.pk}")
            if quantity and quantity % item.pack_size:
                self.add_error(
                    f"item_{item.pk}",
                    _("Diminta dalam kemasan utuh isi %(pack)s, misalnya %(up)s.")
                    % {"pack": item.pack_size, "up": -(-quantity // item.pack_size) * item.pack_size},
                )
        if not self.errors and not self.lines():
            raise ValidationError(_("Isi jumlah paling sedikit satu barang."))
        return cleaned

    def lines(self):
        return [(item, self.cleaned_data.get(f"item_{item.pk}")) for item in self.items
                if self.cleaned_data.get(f"item_{item.pk}")]


def _number(value):
    return f"{value:,}".replace(",", ".")


def pack_note(item, usable):
    """What stands beside a quantity typed for `item`: its pack size and the warehouse's usable stock (`usable`:
    stock.usable_by_item, None while a count is blind)."""
    note = _("Isi per kemasan %(pack)s %(unit)s") % {"pack": item.pack_size, "unit": item.get_unit_of_issue_display()}
    if usable is None:
        return f"{note}."
    return _("%(note)s; stok gudang %(usable)s.") % {"note": note, "usable": _number(usable.get(item.pk, 0))}


def whole_packs(quantity, item, most):
    """The whole-pack quantities nearest `quantity`, at most `most`: what a refusal proposes instead."""
    down = quantity // item.pack_size * item.pack_size
    up = down + item.pack_size
    return [value for value in (down, up) if value <= most]


class SpmbForm(StepForm):
    """Step 2: the Sekretaris' decision. Approving gives each line its quantity in whole packs, no more than it asked
    for (pre-filled with that); refusing writes why in the note. Every line not in whole packs is refused at once,
    each with the whole-pack quantities beside it."""

    def __init__(self, *args, record, **kwargs):
        self.lines = list(record.lines.select_related("item"))
        super().__init__(*args, record=record, **kwargs)
        usable = stock.usable_by_item(record.service.unit)
        for line in self.lines:
            field = quantity_field(_("%(item)s, diminta %(requested)s") % {"item": line.item, "requested": line.requested})
            field.help_text = _("%(note)s Paling banyak %(most)s: yang diminta, dalam kemasan utuh.") % {
                "note": pack_note(line.item, usable), "most": line.most_approvable,
            }
            field.widget.attrs.update(max=line.most_approvable, step=line.item.pack_size)
            self.fields[f"line_{line.pk}"] = field

    def initial_from(self, record):
        return {
            f"line_{line.pk}": line.most_approvable if line.approved is None else line.approved for line in self.lines
        }

    def clean(self):
        data = super().clean()
        if data.get("transition") == "spmb.reject":
            return data  # a refusal is not held up by the quantities
        for line in self.lines:
            name = f"line_{line.pk}"
            quantity = data.get(name)
            if quantity is None:
                continue
            if quantity > line.requested:
                self.add_error(name, _("Melebihi yang diminta (%(requested)s): paling banyak %(most)s.")
                               % {"requested": line.requested, "most": line.most_approvable})
            elif quantity % line.item.pack_size:
                proposed = " atau ".join(str(value) for value in whole_packs(quantity, line.item, line.most_approvable))
                self.add_error(name, _("Bukan kemasan utuh (isi %(pack)s): isi %(proposed)s.")
                               % {"pack": line.item.pack_size, "proposed": proposed})
        return data

    def save(self, record, actor):
        transition = self.cleaned_data["transition"]
        if transition == "spmb.reject":
            return
        approved = {line.pk: self.cleaned_data.get(f"line_{line.pk}") for line in self.lines}
        allocation.spmb_write(record, approved=approved, take_number=transition == "spmb.approve")


class SbbkForm(StepForm):
    """Step 3, the storekeeper's SBBK: lots are picked earliest-expiry-first unless another lot is chosen, with a
    reason; the stock leaves with the step."""

    drafts = False  # the stock leaves with the step, never as a draft
    fields_template = "alokon/_sbbk_fields.html"

    issued_on = DateField(
        label=_("Tanggal SBBK"), validators=[not_in_future], required=False,
        help_text=_("Hari ini, atau tanggal SBBK kertas yang baru dicatat sekarang (bulan yang belum ditutup)."),
    )
    choice_reason = forms.CharField(
        label=_("Alasan memilih lot lain"), required=False, max_length=300,
        help_text=_("Wajib bila lot yang dipilih bukan yang paling awal kedaluwarsa."),
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        self.lots_by_line = usable_lots(record)
        for line, balances in self.lots_by_line:
            item = line.item
            self.fields[f"lot_{item.pk}"] = forms.ChoiceField(
                label=_("Lot %(item)s") % {"item": item}, required=False,
                choices=[("", _("Otomatis (FEFO: paling awal kedaluwarsa)"))] + [
                    (b.lot_id, f"{b.lot} - {_('stok')} {b.quantity}") for b in balances
                ],
                error_messages={"invalid_choice": _("Lot ini tidak tersedia atau sudah kedaluwarsa.")},
                help_text=_("%(note)s Lot lain selain FEFO harus mencukupi seluruh jumlah yang disetujui.") % {
                    "note": pack_note(item, {item.pk: sum(b.quantity for b in balances)}),
                },
            )

    def initial_from(self, record):
        return {"issued_on": timezone.localdate()}

    def fefo_preview(self):
        """[(line, [(balance, quantity)], shortage)]: what the SBBK takes, lot by lot, if issued now with the
        automatic choice; or the shortage, in words."""
        preview = []
        for line, balances in self.lots_by_line:
            try:
                picked = ledger.fefo_allocate(balances, line.item, line.approved, on=timezone.localdate())
            except TransitionError as error:
                preview.append((line, [], str(error)))
            else:
                preview.append((line, picked, ""))
        return preview

    def preferred_lots(self):
        lots = {}
        for line, _balances in self.lots_by_line:
            value = self.cleaned_data.get(f"lot_{line.item_id}")
            if value:
                lots[line.item_id] = Lot.objects.get(pk=value)
        return lots

    def save(self, record, actor):
        dispatch.sbbk_write(
            record, actor=actor, on=self.cleaned_data["issued_on"] or timezone.localdate(),
            preferred_lots=self.preferred_lots(), choice_reason=self.cleaned_data["choice_reason"],
        )


def usable_lots(distribution):
    """[(approved line, its item's unexpired lots with stock, earliest expiry first)] for `distribution`."""
    by_item = {}
    for balance in stock.lots_on_hand(distribution.service.unit):
        if not balance.expired:
            by_item.setdefault(balance.item_id, []).append(balance)
    lines = distribution.lines.select_related("item").filter(approved__gt=0)
    return [(line, by_item.get(line.item_id, [])) for line in lines]


class DeliveryForm(StepForm):
    """Step 4: the day the stock reached the faskes."""

    delivered_on = DateField(label=_("Tanggal diterima faskes"), validators=[not_in_future], required=False)

    def initial_from(self, record):
        return {"delivered_on": record.delivered_on or timezone.localdate()}

    def clean_delivered_on(self):
        delivered_on = self.cleaned_data["delivered_on"]
        issued_on = self.record.sbbk_issued_on
        if delivered_on and issued_on and delivered_on < issued_on:
            raise ValidationError(
                _("Tidak boleh sebelum tanggal SBBK (%(date)s).") % {"date": date_format(issued_on, "j F Y")}
            )
        return delivered_on

    def save(self, record, actor):
        dispatch.delivery_write(record, delivered_on=self.cleaned_data["delivered_on"])


class MonitoringForm(StepForm):
    """Step 5: how the UPTD P5A monitored the faskes' use, recording and reporting of what it received."""

    drafts = False  # the visit's row is written whole, with the step
    fields_template = "alokon/_monitoring_fields.html"

    mode = forms.ChoiceField(
        label=_("Cara"), choices=Monitoring.Mode.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Pilih cara monitoring.")},
    )
    monitored_on = DateField(
        label=_("Tanggal monitoring"), validators=[not_in_future],
        error_messages={"required": _("Isi tanggal monitoring.")},
    )
    monitored_by = forms.CharField(
        label=_("Dilakukan oleh"), max_length=200, help_text=_("Nama petugas, dan bila ada PLKB atau bidan yang ikut."),
        error_messages={"required": _("Tuliskan siapa yang melakukan monitoring.")},
    )
    findings = forms.CharField(
        label=_("Temuan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Penggunaan, pencatatan (kartu stok faskes) dan pelaporan alokon yang diterima."),
        error_messages={"required": _("Tuliskan temuan monitoring.")},
    )
    follow_up = forms.CharField(
        label=_("Tindak lanjut"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def initial_from(self, record):
        user = self.user
        return {"monitored_on": timezone.localdate(), "monitored_by": user.get_full_name() or user.username}

    def clean_monitored_on(self):
        monitored_on = self.cleaned_data["monitored_on"]
        delivered_on = self.record.delivered_on
        if delivered_on and monitored_on < delivered_on:
            raise ValidationError(
                _("Tidak boleh sebelum alokon diterima faskes (%(date)s).") % {"date": date_format(delivered_on, "j F Y")}
            )
        return monitored_on

    def save(self, record, actor):
        fields = ("mode", "monitored_on", "monitored_by", "findings", "follow_up")
        usage.monitoring_write(record, actor=actor, **{name: self.cleaned_data[name] for name in fields})


class ReceiptConfirmForm(StepForm):
    """Step 6, the faskes' receipt: per SBBK line the units accepted and rejected, a rejection with its reason."""

    drafts = False  # returns go back to the ledger with the step
    fields_template = "alokon/_receipt_fields.html"

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        self.issues = list(record.movements.filter(kind=Movement.Kind.ISSUE).select_related("lot__item"))
        reasons = [("", "-")] + list(ReceiptConfirmation.Reason.choices)
        for issue in self.issues:
            shipped = -issue.quantity
            required = {"required": _("Isi jumlahnya (0 bila tidak ada).")}
            self.fields[f"accepted_{issue.pk}"] = quantity_field(_("Diterima"), required=True, initial=shipped)
            self.fields[f"rejected_{issue.pk}"] = quantity_field(_("Ditolak"), required=True, initial=0)
            for kind in ("accepted", "rejected"):
                self.fields[f"{kind}_{issue.pk}"].error_messages.update(required)
            self.fields[f"reason_{issue.pk}"] = forms.ChoiceField(
                label=_("Alasan penolakan"), choices=reasons, required=False
            )

    def rows(self):
        """For the template: each issue with its three fields."""
        return [(issue, self[f"accepted_{issue.pk}"], self[f"rejected_{issue.pk}"], self[f"reason_{issue.pk}"])
                for issue in self.issues]

    def clean(self):
        cleaned = super().clean()
        for issue in self.issues:
            accepted, rejected = cleaned.get(f"accepted_{issue.pk}"), cleaned.get(f"rejected_{issue.pk}")
            if accepted is None or rejected is None:
                continue
            if accepted + rejected != -issue.quantity:
                self.add_error(f"accepted_{issue.pk}", _("Diterima + ditolak harus sama dengan dikirim (%(shipped)s).")
                               % {"shipped": -issue.quantity})
            if rejected and not cleaned.get(f"reason_{issue.pk}"):
                self.add_error(f"reason_{issue.pk}", _("Pilih alasan penolakan."))
        return cleaned

    def save(self, record, actor):
        confirmations = {
            issue.pk: (
                self.cleaned_data[f"accepted_{issue.pk}"], self.cleaned_data[f"rejected_{issue.pk}"],
                self.cleaned_data[f"reason_{issue.pk}"],
            )
            for issue in self.issues
        }
        dispatch.receipt_write(record, actor=actor, confirmations=confirmations)


class ReportForm(OnceForm):
    """A faskes' monthly report: units used per item (received is pre-filled), acceptors per method."""

    id_prefix = "laporan"
    coordination_note = forms.CharField(
        label=_("Koordinasi dengan UPTD P5A bulan ini"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, stock_rows, first, **kwargs):
        """`first`: the facility's first report, on which it states its opening stock."""
        super().__init__(*args, **kwargs)
        self.fields["expected_status"].required = False
        self.stock_rows, self.first = stock_rows, first
        for row in stock_rows:
            if first:
                self.fields[f"opening_{row['item'].pk}"] = quantity_field(_("Stok awal"), required=True, initial=0)
            self.fields[f"used_{row['item'].pk}"] = quantity_field(_("Dipakai"), required=True, initial=0)
        for method, label in Method.choices:
            for kind, kind_label in (("new", _("Baru")), ("repeat", _("Ulang")), ("switching", _("Ganti cara"))):
                self.fields[f"{kind}_{method}"] = quantity_field(f"{label} - {kind_label}", required=True, initial=0)

    def stock_fields(self):
        """(row, opening field or None, used field) per item."""
        return [
            (row, self[f"opening_{row['item'].pk}"] if self.first else None, self[f"used_{row['item'].pk}"])
            for row in self.stock_rows
        ]

    def service_fields(self):
        return [(label, self[f"new_{method}"], self[f"repeat_{method}"], self[f"switching_{method}"])
                for method, label in Method.choices]

    def clean(self):
        cleaned = super().clean()
        opening = self.opening() if self.first else {}
        for row in self.stock_rows:
            used = cleaned.get(f"used_{row['item'].pk}")
            available = (opening.get(row["item"].pk) or row["opening"]) + row["received"]
            if used is not None and used > available:
                self.add_error(f"used_{row['item'].pk}", _("Melebihi stok awal + diterima (%(available)s).")
                               % {"available": available})
        return cleaned

    def opening(self):
        if not self.first:
            return None
        return {row["item"].pk: self.cleaned_data.get(f"opening_{row['item'].pk}") or 0 for row in self.stock_rows}

    def used(self):
        return {row["item"].pk: self.cleaned_data[f"used_{row['item'].pk}"] for row in self.stock_rows}

    def services(self):
        return {
            method: (self.cleaned_data[f"new_{method}"], self.cleaned_data[f"repeat_{method}"],
                     self.cleaned_data[f"switching_{method}"])
            for method in Method.values
        }


class ReceiptPostForm(OnceForm):
    """The header of a receipt from the province (the SBBM); its lines are ReceiptLineFormSet."""

    id_prefix = "sbbm"
    received_on = DateField(label=_("Tanggal terima"), validators=[not_in_future])
    source_document = forms.CharField(label=_("Nomor dokumen pengirim"), max_length=100)
    supplier = forms.CharField(label=_("Dari"), max_length=200, initial="Perwakilan BKKBN Provinsi")
    funding = forms.ChoiceField(label=_("Sumber dana"), choices=Receipt.Funding.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_status"].required = False


class ReceiptLineForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Barang"), queryset=Item.objects.filter(is_active=True))
    lot_number = forms.CharField(label=_("Nomor lot/batch"), max_length=60, required=False)
    expiry_date = DateField(label=_("Kedaluwarsa"), required=False)
    production_date = DateField(label=_("Tanggal produksi"), required=False)
    quantity = quantity_field(_("Jumlah"), required=True, min_value=1)

    def clean(self):
        cleaned = super().clean()
        item = cleaned.get("item")
        if item is not None and item.tracks_lots:
            if not cleaned.get("lot_number"):
                self.add_error("lot_number", _("Barang ini dicatat per lot: isi nomor lot."))
            if not cleaned.get("expiry_date"):
                self.add_error("expiry_date", _("Isi tanggal kedaluwarsa."))
        expiry, produced = cleaned.get("expiry_date"), cleaned.get("production_date")
        if expiry and produced and produced >= expiry:
            self.add_error("production_date", _("Tanggal produksi harus sebelum kedaluwarsa."))
        return cleaned


ReceiptLineFormSet = forms.formset_factory(ReceiptLineForm, extra=4, min_num=1, validate_min=True)


class AdjustmentForm(OnceForm):
    id_prefix = "penyesuaian"
    lot = forms.ModelChoiceField(label=_("Barang dan lot"), queryset=Lot.objects.none())
    direction = forms.ChoiceField(
        label=_("Arah"), choices=[("-1", _("Kurangi stok")), ("1", _("Tambah stok"))], widget=forms.RadioSelect
    )
    quantity = quantity_field(_("Jumlah"), required=True, min_value=1)
    reason = forms.ChoiceField(label=_("Alasan"), choices=Movement.Reason.choices)
    occurred_on = DateField(label=_("Tanggal"), validators=[not_in_future])
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)

    def __init__(self, *args, lots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_status"].required = False
        self.fields["lot"].queryset = lots
        self.fields["lot"].label_from_instance = lambda lot: f"{lot.item} - {lot}"
        self.fields["occurred_on"].initial = timezone.localdate()

    def signed_quantity(self):
        return int(self.cleaned_data["direction"]) * self.cleaned_data["quantity"]


class ReverseForm(forms.Form):
    note = forms.CharField(
        label=_("Alasan pembatalan"), max_length=300, error_messages={"required": _("Tuliskan alasan pembatalan.")}
    )


class PeriodCloseForm(forms.Form):
    month = MonthField(label=_("Bulan yang ditutup"))


class PlanForm(forms.Form):
    month = MonthField(label=_("Bulan distribusi"))
    min_months = forms.DecimalField(
        label=_("Stok minimum (bulan)"), min_value=0.5, max_value=24, decimal_places=1, initial=1
    )
    max_months = forms.DecimalField(
        label=_("Stok maksimum (bulan)"), min_value=0.5, max_value=24, decimal_places=1, initial=3
    )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_months"), cleaned.get("max_months")
        if low is not None and high is not None and low > high:
            self.add_error("max_months", _("Stok maksimum harus sama dengan atau lebih dari minimum."))
        return cleaned


class PlanLinesForm(forms.Form):
    """The officer's figures for a proposed plan, one per faskes and item, each beside its item's pack size and the
    warehouse's stock (`usable`: stock.usable_by_item). Every figure not in whole packs is refused at once, with the
    whole-pack figures beside it."""

    def __init__(self, *args, lines, usable, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        self.usable = usable
        for line in self.lines:
            field = quantity_field(f"{line.facility.name} - {line.item}", required=True, initial=line.quantity)
            field.widget.attrs["step"] = line.item.pack_size
            self.fields[f"line_{line.pk}"] = field

    def rows(self):
        """(line, its field, its item's pack size and stock in words)."""
        return [(line, self[f"line_{line.pk}"], pack_note(line.item, self.usable)) for line in self.lines]

    def clean(self):
        cleaned = super().clean()
        for line in self.lines:
            quantity = cleaned.get(f"line_{line.pk}")
            if quantity and quantity % line.item.pack_size:
                proposed = " atau ".join(str(value) for value in whole_packs(quantity, line.item, MAX_QUANTITY))
                self.add_error(f"line_{line.pk}", _("Bukan kemasan utuh (isi %(pack)s): isi %(proposed)s.")
                               % {"pack": line.item.pack_size, "proposed": proposed})
        return cleaned

    def quantities(self):
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}


class CountForm(forms.Form):
    """The blind count: counted units per lot, with no book figure beside them."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = quantity_field(_("Jumlah fisik"), required=True)

    def rows(self):
        return [(line, self[f"line_{line.pk}"]) for line in self.lines]

    def counted(self):
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}


class CountApproveForm(forms.Form):
    """The head's approval: a reason for each difference."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [line for line in lines if line.difference]
        for line in self.lines:
            self.fields[f"reason_{line.pk}"] = forms.ChoiceField(
                label=_("Alasan selisih"), choices=Movement.Reason.choices
            )

    def rows(self):
        return [(line, self[f"reason_{line.pk}"]) for line in self.lines]

    def reasons(self):
        return {line.pk: self.cleaned_data[f"reason_{line.pk}"] for line in self.lines}


def parse_month(value, default=None):
    """A "YYYY-MM" query value as the month's first day; `default` when absent or malformed."""
    try:
        return datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return default
