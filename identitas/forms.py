"""Forms of the PPKS identity facilitation's pages: the new report, the identity, each step's form, and the
small forms of the record's parts (documents issued, follow-ups, the Kabid's waivers).

A form checks what can be typed wrong (a NIK, a date, a document number) so that the message stands beside
the field; what a step needs before it completes is its declared checks (identitas.workflow); who may write,
and in which step, is the engine's and identitas.services' to decide.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from identitas.models import (
    AccessLog,
    Facilitation,
    FollowUp,
    IssuedDocument,
    Notes,
    Person,
    PpksCategory,
    Reporter,
    RequirementWaiver,
)
from identitas.policy import Requirement, agency_minutes
from portal.forms import DateField, DateTimeField, OnceForm, PageForm, RegisterFilterForm, StepForm, not_in_future
from portal.identity import log_access
from portal.models import Desa, Kecamatan
from portal.services import save_with_history
from portal.workflow import SAVE_ONLY

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


# The step forms (identitas.workflow names each on its step): what the step records, saved on the locked record
# by portal.services.step_take in the transaction that completes the step. Completeness is the step's declared
# checks, so every field here may be left empty for a draft ("Simpan dulu").


def _notes_field(name, **kwargs):
    """The form field of a Notes field, as the model declares it (label, choices, limits), never required."""
    field = Notes._meta.get_field(name)
    return field.formfield(required=False, validators=field.validators, **kwargs)


class NotesStepForm(StepForm):
    """A step that writes the team's notes (`notes_fields`, on Notes) and the record's own fields that go with
    them (`record_fields`); every writing of the notes is logged as an edit of the identity."""

    notes_fields: tuple[str, ...] = ()
    record_fields: tuple[str, ...] = ()

    def initial_from(self, record):
        notes = record.notes
        return {
            **{name: getattr(notes, name) for name in self.notes_fields},
            **{name: getattr(record, f"{name}_id" if name == "kecamatan" else name) for name in self.record_fields},
        }

    def save(self, record, actor):
        notes = Notes.objects.select_for_update().get(facilitation=record)
        for name in self.notes_fields:
            setattr(notes, name, self.cleaned_data[name])
        notes.save()
        if self.record_fields:
            for name in self.record_fields:
                setattr(record, name, self.cleaned_data[name])
            save_with_history(record, actor=actor, at=self.now, update_fields=list(self.record_fields))
        what = _("Isian langkah %(step)s") % {"step": record.step.number}
        log_access(record, actor, AccessLog.Action.EDIT, what=what, at=self.now)


class ReportStepForm(NotesStepForm):
    """Step 1: the report as received, which the Kabid reads before deciding."""

    notes_fields = ("report",)
    report = _notes_field("report", label=_("Isi laporan"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))


class RecordStepForm(NotesStepForm):
    """Step 3: the standard's two requirements, each attached (uploaded under Lampiran) or asked of its source,
    and what Disdukcapil's population data says."""

    record_fields = ("population_record", "dtks_letter")
    notes_fields = ("population_recorded", "population_record_data")
    population_record = forms.ChoiceField(
        label=_("Informasi rekam data kependudukan"), choices=Requirement.choices, widget=forms.RadioSelect,
        required=False, help_text=_("Yang terlampir diunggah di bagian Lampiran, di bawah."),
    )
    dtks_letter = forms.ChoiceField(
        label=_("Surat keterangan terdaftar/tidak terdaftar di DTKS"), choices=Requirement.choices,
        widget=forms.RadioSelect, required=False,
    )
    population_recorded = _notes_field("population_recorded")
    population_record_data = _notes_field("population_record_data", widget=forms.Textarea(attrs={"rows": 3}))


class OutreachStepForm(NotesStepForm):
    """Step 4: where the person was found and how they are. Photos are attachments, with consent."""

    record_fields = ("kecamatan",)
    notes_fields = ("found_address", "desa", "latitude", "longitude", "condition", "family_traces", "photo_consent")
    found_address = _notes_field("found_address")
    kecamatan = forms.ModelChoiceField(label=_("Kecamatan ditemukan"), queryset=Kecamatan.objects.none(), required=False)
    desa = forms.ModelChoiceField(label=_("Desa/kelurahan"), queryset=Desa.objects.none(), required=False)
    latitude = _notes_field("latitude", widget=COORDINATE_INPUT, help_text=_("Opsional, misalnya -6.556100."))
    longitude = _notes_field("longitude", widget=COORDINATE_INPUT, help_text=_("Opsional, misalnya 107.443300."))
    condition = _notes_field("condition", widget=forms.Textarea(attrs={"rows": 3}))
    family_traces = _notes_field("family_traces", widget=forms.Textarea(attrs={"rows": 3}))
    photo_consent = forms.ChoiceField(
        label=_("Persetujuan foto"), choices=Notes.PhotoConsent.choices, widget=forms.RadioSelect, required=False,
        help_text=_("Foto PPKS diunggah sebagai lampiran “Foto PPKS” hanya bila tidak menolak."),
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        kecamatan = record.unit.regency_kecamatan()
        self.fields["kecamatan"].queryset = kecamatan
        self.fields["desa"].queryset = Desa.objects.filter(kecamatan__in=kecamatan).select_related("kecamatan")
        self.fields["desa"].label_from_instance = lambda desa: f"{desa.name} ({desa.kecamatan.name})"

    def initial_from(self, record):
        return {**super().initial_from(record), "desa": record.notes.desa_id}

    def clean(self):
        data = super().clean()
        desa, kecamatan = data.get("desa"), data.get("kecamatan")
        if desa and not kecamatan:
            self.add_error("kecamatan", _("Pilih kecamatan desa/kelurahan itu."))
        elif desa and desa.kecamatan_id != kecamatan.pk:
            self.add_error("desa", _("Desa/kelurahan itu tidak berada di kecamatan yang dipilih."))
        return data


class AnalysisStepForm(NotesStepForm):
    """Step 5: the needs analysis reported to the Kabid."""

    notes_fields = ("needs_analysis",)
    needs_analysis = _notes_field("needs_analysis", widget=forms.Textarea(attrs={"rows": 4}))


class ResultStepForm(StepForm):
    """Step 7: the result reported to the Kabid. Completing the step measures the agency's time and keeps it;
    past the 300 minutes the standard promises compensation, so the step's check then asks for the reason."""

    summary = forms.CharField(
        label=_("Hasil layanan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000, required=False
    )
    missed_reason = forms.CharField(
        label=_("Alasan melewati standar waktu 300 menit"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000, required=False,
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record.is_open:
            spent = agency_minutes(record)
            if spent > record.TIME_STANDARD_MINUTES:
                help_text = _(
                    "Waktu layanan %(minutes)d menit kerja melewati standar 300 menit. Standar Pelayanan menjanjikan "
                    "kompensasi bila layanan gagal, sehingga alasannya wajib ditulis."
                ) % {"minutes": spent}
            else:
                help_text = _(
                    "Waktu layanan sejauh ini %(minutes)d dari 300 menit kerja. Bila standar terlewati saat "
                    "dilaporkan, alasannya wajib ditulis."
                ) % {"minutes": spent}
            self.fields["missed_reason"].help_text = help_text

    def initial_from(self, record):
        notes = record.notes
        return {"summary": notes.result_summary, "missed_reason": notes.missed_reason}

    def save(self, record, actor):
        data = self.cleaned_data
        notes = Notes.objects.select_for_update().get(facilitation=record)
        notes.result_summary, notes.missed_reason = data["summary"], data["missed_reason"]
        if data["transition"] != SAVE_ONLY:
            minutes = agency_minutes(record, self.now)
            missed = minutes > record.TIME_STANDARD_MINUTES
            if not missed:
                notes.missed_reason = ""
            type(record).objects.filter(pk=record.pk).update(
                agency_minutes=minutes, standard_missed=missed, result_reported_at=self.now
            )
        notes.save()
        log_access(record, actor, AccessLog.Action.EDIT, what=_("Laporan hasil layanan"), at=self.now)


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

    def clean(self):
        data = super().clean()
        if data.get("state") == FollowUp.State.DONE and data.get("done_on") is None and "done_on" not in self.errors:
            self.add_error("done_on", _("Isi tanggal tindak lanjut dilaksanakan."))
        if data.get("state") == FollowUp.State.NOT_NEEDED and not data.get("note", "").strip():
            self.add_error("note", _("Tuliskan mengapa tindak lanjut ini tidak diperlukan."))
        return data


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


class FacilitationFilterForm(RegisterFilterForm):
    """The register's filters; "tugas=saya" (the start page's link) shows every facilitation waiting for the user,
    whatever its status."""

    STATUSES = [
        ("terbuka", _("Masih berjalan")), ("terlambat", _("Lewat batas waktu")), ("selesai", _("Selesai")),
        ("ditolak", _("Tidak dilanjutkan")), ("semua", _("Semua")),
    ]

    jenis = forms.ModelChoiceField(
        label=_("Jenis PPKS"), queryset=PpksCategory.objects.all(), required=False, empty_label=_("Semua"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    field_order = ["status", "kecamatan", "jenis", "q", "tugas"]

    def __init__(self, data, *, kecamatan):
        super().__init__(data, status_choices=self.STATUSES, kecamatan=kecamatan)
        self.fields["kecamatan"].label = _("Kecamatan ditemukan")
