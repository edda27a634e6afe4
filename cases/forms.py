
from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Case,
    CaseNotes,
    Consent,
    LegalMilestone,
    Partner,
    Perpetrator,
    PerpetratorRelation,
    PlaceType,
    Referral,
    Reporter,
    ServiceType,
    TeamMember,
    Victim,
    ViolenceType,
)
from cases import services
from portal.forms import DateField, OnceForm, PageForm, RegisterFilterForm, StatusForm, StepForm, not_in_future
from portal.models import Desa
from portal.nik import parse_nik


class CaseForm(forms.ModelForm):
    chronology = forms.CharField(
        label=_("Kronologi kejadian"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000,
        help_text=_("Catatan ini rahasia: hanya tim kasus dan pimpinan P2TP2A yang dapat membacanya."),
    )

    class Meta:
        model = Case
        fields = ["channel", "risk", "incident_date", "place_type", "kecamatan", "violence_types"]
        field_classes = {"incident_date": DateField}
        widgets = {"violence_types": forms.CheckboxSelectMultiple}
        help_texts = {"risk": _("Risiko tinggi langsung tampil di daftar pimpinan.")}

    def __init__(self, *args, unit, with_chronology=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = unit.regency_kecamatan()
        self.fields["place_type"].queryset = PlaceType.objects.filter(is_active=True)
        self.fields["violence_types"].queryset = ViolenceType.objects.filter(is_active=True)
        self.fields["violence_types"].required = True
        # No risk level until someone weighs it: "Sedang" by default kept high-risk cases off the heads' alert.
        self.fields["risk"].choices = [("", _("Pilih tingkat risiko")), *Case.Risk.choices]
        self.fields["risk"].error_messages["required"] = _("Pilih tingkat risiko.")
        if self.instance.pk is None:
            self.initial["risk"] = ""
        self.fields["violence_types"].error_messages["required"] = _("Pilih sedikitnya satu jenis kekerasan.")
        if not with_chronology:
            del self.fields["chronology"]

    def clean_incident_date(self):
        return not_in_future(self.cleaned_data["incident_date"])


class VictimForm(forms.ModelForm):
    class Meta:
        model = Victim
        fields = [
            "name", "nik", "sex", "birth_date", "age", "kecamatan", "desa", "address",
            "education", "disability", "marital_status", "phone",
        ]
        field_classes = {"birth_date": DateField}
        widgets = {"nik": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16})}
        help_texts = {"nik": _("16 angka. Kosongkan bila korban belum memiliki atau belum diketahui.")}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        kecamatan = unit.regency_kecamatan()
        self.fields["kecamatan"].queryset = kecamatan
        self.fields["desa"].queryset = Desa.objects.filter(kecamatan__in=kecamatan).select_related("kecamatan")
        self.fields["desa"].label_from_instance = lambda desa: f"{desa.name} ({desa.kecamatan.name})"

    def clean_birth_date(self):
        return not_in_future(self.cleaned_data["birth_date"])

    def clean(self):
        data = super().clean()
        nik, born, sex = data.get("nik"), data.get("birth_date"), data.get("sex")
        if not born and data.get("age") is None and "birth_date" not in self.errors:
            self.add_error("birth_date", _("Isi tanggal lahir, atau perkiraan umur bila tanggal lahir tidak diketahui."))
        if nik and "nik" not in self.errors:
            try:
                nik_born, nik_sex = parse_nik(nik)
            except ValidationError:
                nik_born = nik_sex = None  # the field's own validator says why, on the field
            if born and nik_born and born != nik_born:
                self.add_error("nik", _("Tanggal lahir dalam NIK (%(date)s) tidak sama dengan isian tanggal lahir.") % {"date": nik_born.strftime("%d-%m-%Y")})
            if sex and nik_sex and sex != nik_sex:
                self.add_error("nik", _("Jenis kelamin dalam NIK tidak sama dengan isian jenis kelamin."))
        desa, kecamatan = data.get("desa"), data.get("kecamatan")
        if desa and kecamatan and desa.kecamatan_id != kecamatan.pk:
            self.add_error("desa", _("Desa ini tidak berada di kecamatan yang dipilih."))
        return data


SELF_REPORTED = _("Korban sendiri")


class ReporterForm(forms.ModelForm):
    is_victim = forms.BooleanField(label=_("Pelapor adalah korban sendiri"), required=False)

    class Meta:
        model = Reporter
        fields = ["is_victim", "is_anonymous", "name", "nik", "relation", "phone", "address"]
        widgets = {"nik": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_victim"].initial = self.instance.relation == str(SELF_REPORTED)

    def clean(self):
        data = super().clean()
        if data.get("is_victim"):
            data["relation"] = str(SELF_REPORTED)
            self.instance.relation = data["relation"]
        elif not data.get("is_anonymous") and not (data.get("name") or "").strip():
            self.add_error("name", _("Isi nama pelapor atau lembaga, atau tandai pelapor tidak mau disebut namanya."))
        return data


class PerpetratorForm(forms.ModelForm):
    class Meta:
        model = Perpetrator
        fields = ["relation", "sex", "age"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relation"].queryset = PerpetratorRelation.objects.filter(is_active=True)


PerpetratorFormSet = inlineformset_factory(
    Case, Perpetrator, form=PerpetratorForm, extra=2, max_num=10, can_delete=False,
)


class NotesForm(StatusForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)

    def __init__(self, *args, field, **kwargs):
        kwargs.setdefault("auto_id", f"id_{field}_%s")  # several notes forms share a page: one id each
        super().__init__(*args, **kwargs)
        self.fields["text"].label = CaseNotes._meta.get_field(field).verbose_name.capitalize()
        self.fields["text"].error_messages["required"] = _("Catatan ini belum diisi.")


# The step forms (cases.workflow: Step.form). Each opens with what the case holds and writes it on the case's locked
# row; what a step needs before it completes is its checks, so every field may be left empty in a draft.


def note_field(name, rows=4):
    """A narrative note (CaseNotes) as a step form's field."""
    return forms.CharField(
        label=CaseNotes._meta.get_field(name).verbose_name.capitalize(), required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class NotesStepForm(StepForm):
    """A step whose data are narrative notes: each change is kept as a version (services.note_write)."""

    def initial_from(self, record):
        return {name: getattr(record.notes, name) for name in self._notes}

    @property
    def _notes(self):
        # base_fields: initial_from is asked before the form's own fields exist.
        return [name for name in self.base_fields if name in CaseNotes.NARRATIVE]

    def save(self, record, actor):
        for name in self._notes:
            services.note_write(record, actor=actor, field=name, text=self.cleaned_data[name])


class ReportForm(NotesStepForm):
    chronology = note_field("chronology")


class IntakeForm(ReportForm):
    violence_types = forms.ModelMultipleChoiceField(
        label=_("Jenis kekerasan"), queryset=ViolenceType.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    missing_documents_reason = note_field("missing_documents_reason", rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing_documents_reason"].help_text = CaseNotes._meta.get_field("missing_documents_reason").help_text

    def initial_from(self, record):
        return {**super().initial_from(record), "violence_types": [v.pk for v in record.violence_types.all()]}

    def save(self, record, actor):
        super().save(record, actor)
        record.violence_types.set(self.cleaned_data["violence_types"])


class OutreachForm(NotesStepForm):
    outreach_result = note_field("outreach_result")


class ReintegrationForm(NotesStepForm):
    reintegration_result = note_field("reintegration_result")
    closure_summary = note_field("closure_summary")


class ClosureForm(NotesStepForm):
    closure_summary = note_field("closure_summary")


NEEDED = [("ya", _("Diperlukan")), ("tidak", _("Tidak diperlukan"))]


def need_field(label):
    return forms.TypedChoiceField(
        label=label, choices=NEEDED, coerce=lambda v: v == "ya", empty_value=None, required=False,
        widget=forms.RadioSelect,
    )


class AssessmentForm(StepForm):
    """The social worker's assessment; a change withdraws the Ketua's approval (services.assessment_write)."""

    assessment = forms.CharField(
        label=_("Hasil asesmen: kebutuhan dan risiko korban"), required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # No default: the heads' alert reads it, so it is chosen, not assumed.
    risk = forms.ChoiceField(label=_("Tingkat risiko"), choices=[("", _("Pilih tingkat risiko")), *Case.Risk.choices], required=False)
    needs_medical = need_field(_("Layanan medis (langkah 5)"))
    needs_psychological = need_field(_("Layanan psikologis (langkah 6)"))
    needs_legal = need_field(_("Bantuan hukum (langkah 7)"))

    def initial_from(self, record):
        answers = {True: "ya", False: "tidak"}
        return {
            "assessment": record.notes.assessment, "risk": record.risk,
            **{name: answers.get(getattr(record, name)) for name in Case.NEEDS_FIELD.values()},
        }

    def save(self, record, actor):
        data = self.cleaned_data
        services.assessment_write(
            record, actor=actor, text=data["assessment"], risk=data["risk"] or record.risk,
            needs={name: data[name] for name in Case.NEEDS_FIELD.values()},
        )


class TeamForm(PageForm):
    id_prefix = "tim"
    user = forms.ModelChoiceField(label=_("Petugas"), queryset=None, error_messages={"invalid_choice": _("Pilih petugas P2TP2A.")})
    # No default: "Divisi Data" by default put a Pendamping on the SPT as Divisi Data.
    function = forms.ChoiceField(
        label=_("Fungsi"), choices=[("", _("Pilih fungsi")), *TeamMember.FUNCTIONS],
        error_messages={"required": _("Pilih fungsi petugas pada kasus ini.")},
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = officers
        self.fields["user"].label_from_instance = lambda user: user.get_full_name() or user.username


class ConsentForm(OnceForm):
    id_prefix = "persetujuan"
    scope = forms.ChoiceField(label=_("Persetujuan untuk"), choices=Consent.SCOPES)
    granted = forms.TypedChoiceField(
        label=_("Jawaban"), coerce=lambda v: v == "ya", widget=forms.RadioSelect,
        choices=[("ya", _("Setuju")), ("tidak", _("Tidak setuju"))],
    )
    given_by_guardian = forms.BooleanField(label=_("Diberikan oleh wali (korban anak)"), required=False)
    guardian_name = forms.CharField(label=_("Nama wali"), required=False, max_length=200)


class ReferralForm(OnceForm, forms.ModelForm):
    id_prefix = "rujukan"
    override_reason = forms.CharField(
        label=_("Alasan merujuk tanpa persetujuan (hanya pimpinan)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Referral
        fields = ["step", "service_type", "partner", "referred_on"]
        field_classes = {"referred_on": DateField}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.filter(is_active=True)
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True, unit_id__in=[u.pk for u in [case.unit, *case.unit.ancestors()]])

    def clean_referred_on(self):
        return not_in_future(self.cleaned_data["referred_on"])


class ReferralUpdateForm(StatusForm):
    outcome = forms.CharField(label=_("Hasil"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000, required=False)
    completed_on = DateField(label=_("Tanggal selesai"), required=False)
    void_reason = forms.CharField(
        label=_("Batalkan rujukan ini (salah input): alasannya"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_completed_on(self):
        return not_in_future(self.cleaned_data["completed_on"])

    def clean(self):
        data = super().clean()
        if data.get("completed_on") and not (data.get("outcome") or "").strip():
            self.add_error("outcome", _("Tuliskan hasilnya sebelum menandai rujukan selesai."))
        return data


class MilestoneForm(OnceForm, forms.ModelForm):
    class Meta:
        model = LegalMilestone
        fields = ["kind", "date", "note"]
        field_classes = {"date": DateField}

    def clean_date(self):
        return not_in_future(self.cleaned_data["date"])


class CaseFilterForm(RegisterFilterForm):
    """The register's filters. A kecamatan or violence type finds only the rows that show it (cases.disclosure)."""

    jenis = forms.ModelChoiceField(
        label=_("Jenis kekerasan"), queryset=ViolenceType.objects.all(), required=False, empty_label=_("Semua"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    risk = forms.ChoiceField(
        label=_("Risiko"), choices=[("", _("Semua")), *Case.Risk.choices], required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    terlambat = forms.BooleanField(
        label=_("Lewat waktu"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    tim = forms.BooleanField(label=_("Tim saya"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    field_order = ["status", "kecamatan", "jenis", "risk", "q", "terlambat", "tim", "tugas"]

    def __init__(self, data, *, kecamatan):
        statuses = [("terbuka", _("Masih berjalan")), ("semua", _("Semua")), *Case.workflow.status_choices]
        super().__init__(data, status_choices=statuses, kecamatan=kecamatan)
