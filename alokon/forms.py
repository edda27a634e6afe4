"""The ALOKON pages' forms. Quantities are whole units, checked here for the message and again in
alokon.services, which decides."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from alokon.models import Facility, Item, Lot, Method, Monitoring, Movement, Receipt, ReceiptConfirmation
from alokon.services import MAX_QUANTITY
from portal.forms import DateField, MonthField, OnceForm, PageForm, not_in_future

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


class SpmbForm(PageForm):
    """The Sekretaris' decision: the approved quantity of each line, or a refusal with its reason."""

    id_prefix = "spmb"
    # Posted by the button pressed: approve or reject.
    decision = forms.ChoiceField(
        choices=[("approve", _("Setujui SPMB")), ("reject", _("Tolak"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Alasan penolakan"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, lines, **kwargs):
        """`lines`: the distribution's lines, with their items."""
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            most, pack = line.most_approvable, line.item.pack_size
            field = quantity_field(
                _("%(item)s, diminta %(requested)s") % {"item": line.item, "requested": line.requested},
                required=True, initial=most,
            )
            if pack > 1:
                field.help_text = _("Paling banyak %(most)s: yang diminta, dalam kemasan utuh isi %(pack)s "
                                    "(dibulatkan ke bawah).") % {"most": most, "pack": pack}
            else:
                field.help_text = _("Paling banyak %(most)s: yang diminta.") % {"most": most}
            field.widget.attrs.update(max=most, step=pack)
            self.fields[f"line_{line.pk}"] = field

    def clean(self):
        """An approval gives each line at most what it asked for, in whole packs, and something in all; a refusal
        is not held up by the quantities."""
        cleaned = super().clean()
        if cleaned.get("decision") != "approve":
            return cleaned
        for line in self.lines:
            name = f"line_{line.pk}"
            quantity = cleaned.get(name)
            if quantity is None:
                continue
            if quantity > line.requested:
                self.add_error(name, _("Melebihi yang diminta (%(requested)s): paling banyak %(most)s.")
                               % {"requested": line.requested, "most": line.most_approvable})
            elif quantity % line.item.pack_size:
                self.add_error(name, _("Harus kelipatan isi kemasan (%(pack)s), misalnya %(most)s.")
                               % {"pack": line.item.pack_size, "most": line.most_approvable})
        if not self.errors and not any(self.approved().values()):
            raise ValidationError(
                _("Tidak ada barang yang disetujui: isi jumlahnya, atau tolak SPMB ini dengan alasannya.")
            )
        return cleaned

    def approved(self):
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}


class SbbkForm(PageForm):
    """The storekeeper's SBBK: lots are picked earliest-expiry-first unless another lot is chosen, with a reason."""

    id_prefix = "sbbk"
    issued_on = DateField(
        label=_("Tanggal SBBK"), validators=[not_in_future], required=False,
        help_text=_("Hari ini, atau tanggal SBBK kertas yang baru dicatat sekarang (bulan yang belum ditutup)."),
    )
    choice_reason = forms.CharField(
        label=_("Alasan memilih lot lain"), required=False, max_length=300,
        help_text=_("Wajib bila lot yang dipilih bukan yang paling awal kedaluwarsa."),
    )

    def __init__(self, *args, lots_by_item, **kwargs):
        """`lots_by_item`: [(item, [usable balances, earliest expiry first])] for the approved lines."""
        super().__init__(*args, **kwargs)
        self.lots_by_item = lots_by_item
        for item, balances in lots_by_item:
            self.fields[f"lot_{item.pk}"] = forms.ChoiceField(
                label=_("Lot %(item)s") % {"item": item}, required=False,
                choices=[("", _("Otomatis (FEFO: paling awal kedaluwarsa)"))] + [
                    (b.lot_id, f"{b.lot} - {_('stok')} {b.quantity}") for b in balances
                ],
                error_messages={"invalid_choice": _("Lot ini tidak tersedia atau sudah kedaluwarsa.")},
                help_text=_("Lot lain selain FEFO harus mencukupi seluruh jumlah yang disetujui."),
            )

    def preferred_lots(self):
        lots = {}
        for item, _balances in self.lots_by_item:
            value = self.cleaned_data.get(f"lot_{item.pk}")
            if value:
                lots[item.pk] = Lot.objects.get(pk=value)
        return lots


class DeliveryForm(PageForm):
    id_prefix = "serah"
    delivered_on = DateField(label=_("Tanggal diterima faskes"), validators=[not_in_future])


class MonitoringForm(OnceForm):
    """Step 5: how the UPTD P5A monitored the faskes' use, recording and reporting of what it received."""

    id_prefix = "monitoring"
    mode = forms.ChoiceField(label=_("Cara"), choices=Monitoring.Mode.choices, widget=forms.RadioSelect)
    monitored_on = DateField(label=_("Tanggal monitoring"), validators=[not_in_future])
    monitored_by = forms.CharField(
        label=_("Dilakukan oleh"), max_length=200, help_text=_("Nama petugas, dan bila ada PLKB atau bidan yang ikut.")
    )
    findings = forms.CharField(
        label=_("Temuan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Penggunaan, pencatatan (kartu stok faskes) dan pelaporan alokon yang diterima."),
        error_messages={"required": _("Tuliskan temuan monitoring.")},
    )
    follow_up = forms.CharField(
        label=_("Tindak lanjut"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, delivered_on, **kwargs):
        """`delivered_on`: the day the faskes received the stock; None before the delivery, when the step refuses."""
        super().__init__(*args, **kwargs)
        self.delivered_on = delivered_on

    def clean_monitored_on(self):
        monitored_on = self.cleaned_data["monitored_on"]
        if self.delivered_on and monitored_on < self.delivered_on:
            raise ValidationError(
                _("Tidak boleh sebelum alokon diterima faskes (%(date)s).")
                % {"date": date_format(self.delivered_on, "j F Y")}
            )
        return monitored_on

    def record(self):
        """The fields of services.monitoring_record."""
        fields = ("mode", "monitored_on", "monitored_by", "findings", "follow_up", "submission")
        return {name: self.cleaned_data[name] for name in fields}


class ReceiptConfirmForm(PageForm):
    """The faskes' receipt: per SBBK line the units accepted and rejected, a rejection with its reason."""

    id_prefix = "terima"

    def __init__(self, *args, issues, **kwargs):
        super().__init__(*args, **kwargs)
        self.issues = list(issues)
        reasons = [("", "-")] + list(ReceiptConfirmation.Reason.choices)
        for issue in self.issues:
            shipped = -issue.quantity
            self.fields[f"accepted_{issue.pk}"] = quantity_field(_("Diterima"), required=True, initial=shipped)
            self.fields[f"rejected_{issue.pk}"] = quantity_field(_("Ditolak"), required=True, initial=0)
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

    def confirmations(self):
        return {
            issue.pk: (
                self.cleaned_data[f"accepted_{issue.pk}"], self.cleaned_data[f"rejected_{issue.pk}"],
                self.cleaned_data[f"reason_{issue.pk}"],
            )
            for issue in self.issues
        }


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
    note = forms.CharField(label=_("Alasan pembatalan"), max_length=300)


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
    """The officer's figures for a proposed plan, one per faskes and item."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = quantity_field(
                f"{line.facility.name} - {line.item}", required=True, initial=line.quantity
            )

    def rows(self):
        return [(line, self[f"line_{line.pk}"]) for line in self.lines]

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
