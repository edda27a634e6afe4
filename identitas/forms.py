"""Forms of the PPKS identity facilitation's pages: the new report, the identity, and each step's own form.

A form checks what can be typed wrong (a NIK, a date, a document number) so that the message stands beside
the field; who may write, and in which step, is identitas.services' to decide when the view calls it.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from identitas.models import (
    Facilitation,
    FollowUp,
    IssuedDocument,
    Notes,
    Person,
    PpksCategory,
    Reporter,
    RequirementWaiver,
)
from portal.forms import DateField, DateTimeField, OnceForm, PageForm, not_in_future
from portal.models import Desa, Kecamatan

NIK_INPUT = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"})
COORDINATE_INPUT = forms.NumberInput(attrs={"step": "any"})


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)


class FacilitationForm(forms.ModelForm):
    """Step 1: how and when the report came, what kind of PPKS it is about, and what it says."""

    report = forms.CharField(
        label=_("Isi laporan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000,
        error_messages={"required": _("Tuliskan isi laporan.")},
        help_text=_("Hanya Tim Kerja dan Kabid yang dapat membacanya."),
    )

    class Meta:
        model = Facilitation
        fields = ["channel", "received_at", "category"]
        field_classes = {"received_at": DateTimeField}
        help_texts = {
            "received_at": _("Standar 300 menit kerja dihitung dari waktu ini; paling lama 7 hari yang lalu."),
        }
        error_messages = {
            "channel": {"required": _("Pilih saluran laporan.")},
            "received_at": {"required": _("Isi waktu laporan diterima.")},
            "category": {"required": _("Pilih jenis PPKS.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = _now
        self.fields["category"].queryset = PpksCategory.objects.filter(is_active=True)


class CategoryForm(forms.ModelForm):
    """The PPKS category, corrected on the identity page; a category since deactivated stays selectable."""

    class Meta:
        model = Facilitation
        fields = ["category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = PpksCategory.objects.filter(Q(is_active=True) | Q(pk=self.instance.category_id))


class PersonForm(forms.ModelForm):
    """The person as far as known. The model says one of birth date and estimated age is needed."""

    class Meta:
        model = Person
        fields = ["name", "is_alias", "nik", "sex", "birth_date", "estimated_age", "origin", "disability", "family_contact"]
        field_classes = {"birth_date": DateField}
        widgets = {"nik": NIK_INPUT}
        help_texts = {"nik": _("16 angka. Kosongkan bila belum diketahui.")}
        error_messages = {
            "name": {"required": _("Tulis nama PPKS, atau nama panggilannya bila nama asli belum diketahui.")},
            "sex": {"required": _("Pilih jenis kelamin.")},
        }


class ReporterForm(forms.ModelForm):
    class Meta:
        model = Reporter
        fields = ["name", "contact", "relation"]
        error_messages = {
            "name": {"required": _("Tulis nama pelapor atau lembaganya.")},
            "contact": {"required": _("Tulis kontak pelapor: jawaban dan hasil layanan dikirim kepadanya.")},
        }


# The current step's notes on the facilitation page: each form holds the Notes fields of its step, and the
# record's own fields written with them (identitas.services.NOTES_BY_STATUS and RECORD_FIELDS_BY_STATUS).


class StepNotesForm(PageForm, forms.ModelForm):
    """Notes of one step. Bound, it starts from an empty Notes row, so what was typed never lands on the one
    the page shows."""

    id_prefix = "catatan"
    record_fields: tuple[str, ...] = ()

    class Meta:
        model = Notes
        fields: list[str] = []

    def __init__(self, *args, facilitation, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.record_fields:
            self.fields[name].initial = getattr(facilitation, name)

    def notes(self):
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def record(self):
        return {name: self.cleaned_data[name] for name in self.record_fields}


class ReportNotesForm(StepNotesForm):
    class Meta(StepNotesForm.Meta):
        fields = ["report"]
        widgets = {"report": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].required = True
        self.fields["report"].error_messages["required"] = _("Tuliskan isi laporan.")


REQUIREMENT_CHOICES = Facilitation.Requirement.choices


class RecordForm(StepNotesForm):
    """Step 3: the standard's two requirements, each attached (uploaded in the panel) or asked of its source."""

    record_fields = ("population_record", "dtks_letter")
    field_order = ["population_record", "dtks_letter"]
    population_record = forms.ChoiceField(
        label=_("Informasi rekam data kependudukan"), choices=REQUIREMENT_CHOICES, widget=forms.RadioSelect,
        required=False,
    )
    dtks_letter = forms.ChoiceField(
        label=_("Surat keterangan terdaftar/tidak terdaftar di DTKS"), choices=REQUIREMENT_CHOICES,
        widget=forms.RadioSelect, required=False,
    )

    class Meta(StepNotesForm.Meta):
        fields = ["population_recorded", "population_record_data"]
        widgets = {"population_record_data": forms.Textarea(attrs={"rows": 3})}


class OutreachForm(StepNotesForm):
    """Step 4: where the person was found and how they are. Photos are attachments, with consent."""

    record_fields = ("kecamatan",)
    field_order = ["found_address", "kecamatan"]
    kecamatan = forms.ModelChoiceField(label=_("Kecamatan ditemukan"), queryset=Kecamatan.objects.none(), required=False)
    photo_consent = forms.ChoiceField(
        label=_("Persetujuan foto"), choices=Notes.PhotoConsent.choices, widget=forms.RadioSelect, required=False,
        help_text=_("Foto PPKS diunggah sebagai lampiran “Foto PPKS” hanya bila tidak menolak."),
    )

    class Meta(StepNotesForm.Meta):
        fields = ["found_address", "desa", "latitude", "longitude", "condition", "family_traces", "photo_consent"]
        widgets = {
            "latitude": COORDINATE_INPUT,
            "longitude": COORDINATE_INPUT,
            "condition": forms.Textarea(attrs={"rows": 3}),
            "family_traces": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"latitude": _("Opsional, misalnya -6.556100."), "longitude": _("Opsional, misalnya 107.443300.")}

    def __init__(self, *args, facilitation, **kwargs):
        super().__init__(*args, facilitation=facilitation, **kwargs)
        kecamatan = facilitation.unit.regency_kecamatan()
        self.fields["kecamatan"].queryset = kecamatan
        self.fields["desa"].queryset = Desa.objects.filter(kecamatan__in=kecamatan).select_related("kecamatan")
        self.fields["desa"].label_from_instance = lambda desa: f"{desa.name} ({desa.kecamatan.name})"

    def clean(self):
        data = super().clean()
        desa, kecamatan = data.get("desa"), data.get("kecamatan")
        if desa and not kecamatan:
            self.add_error("kecamatan", _("Pilih kecamatan desa/kelurahan itu."))
        elif desa and desa.kecamatan_id != kecamatan.pk:
            self.add_error("desa", _("Desa/kelurahan itu tidak berada di kecamatan yang dipilih."))
        return data


class AnalysisForm(StepNotesForm):
    class Meta(StepNotesForm.Meta):
        fields = ["needs_analysis"]
        widgets = {"needs_analysis": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs_analysis"].required = True
        self.fields["needs_analysis"].error_messages["required"] = _("Tuliskan analisis kebutuhan.")


# The step whose notes each form writes, by the status in which the page showed it.
STEP_NOTES_FORMS = {"report": ReportNotesForm, "record": RecordForm, "outreach": OutreachForm, "analysis": AnalysisForm}


class DocumentForm(OnceForm, forms.ModelForm):
    """A document Disdukcapil issued; the model checks its number's format by kind."""

    id_prefix = "dokumen"

    class Meta:
        model = IssuedDocument
        fields = ["kind", "number", "issued_on"]
        field_classes = {"issued_on": DateField}
        widgets = {"number": forms.TextInput(attrs={"autocomplete": "off"})}
        # Beside the panel's attachment form, whose field is "Jenis dokumen" too.
        labels = {"kind": _("Jenis dokumen terbit"), "number": _("Nomor dokumen")}
        help_texts = {
            "number": _("NIK, KTP-el, KIA dan KK: 16 angka. Akta kelahiran: seperti 3214-LT-15012026-0001."),
        }

    def clean_issued_on(self):
        return not_in_future(self.cleaned_data["issued_on"])


class FollowUpForm(PageForm):
    """What came of one follow-up; the service says what each state needs."""

    kind = forms.ChoiceField(choices=FollowUp.Kind.choices, widget=forms.HiddenInput)
    state = forms.ChoiceField(label=_("Keadaan"), choices=FollowUp.State.choices)
    done_on = DateField(label=_("Tanggal dilaksanakan"), required=False)
    note = forms.CharField(label=_("Keterangan"), required=False, max_length=300)

    def __init__(self, *args, kind, **kwargs):
        kwargs.setdefault("auto_id", f"id_tindaklanjut_{kind}_%s")  # one form per follow-up on the page
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = kind

    def clean_done_on(self):
        return not_in_future(self.cleaned_data["done_on"])


class WaiverForm(PageForm):
    """The Kabid's waiver of one requirement, with its reason; the service says who may give it and when."""

    requirement = forms.ChoiceField(
        choices=RequirementWaiver._meta.get_field("requirement").choices, widget=forms.HiddenInput
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
        error_messages={"required": _("Tuliskan alasan persyaratan ini dikesampingkan.")},
    )

    def __init__(self, *args, requirement, **kwargs):
        kwargs.setdefault("auto_id", f"id_kesampingkan_{requirement}_%s")  # one form per requirement on the page
        super().__init__(*args, **kwargs)
        self.fields["requirement"].initial = requirement
        label = Facilitation._meta.get_field(requirement).verbose_name
        self.fields["reason"].label = _("Alasan mengesampingkan %(label)s") % {"label": label}


class ResultReportForm(PageForm):
    """Step 7. Past the 300 minutes the standard promises compensation, so the reason is then required."""

    id_prefix = "hasil"
    summary = forms.CharField(
        label=_("Hasil layanan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000,
        error_messages={"required": _("Tuliskan hasil layanan.")},
    )
    missed_reason = forms.CharField(
        label=_("Alasan melewati standar waktu 300 menit"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000,
        required=False, error_messages={"required": _("Waktu layanan melewati standar 300 menit: tuliskan alasannya.")},
    )

    def __init__(self, *args, missed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missed_reason"].required = missed
