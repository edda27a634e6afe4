"""Forms shared by the apps' pages: the workflow panel's, and the bases of a record page's own forms."""

import datetime
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.forms.widgets import DateTimeBaseInput
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.models import Kecamatan
from portal.workflow import SAVE_ONLY

UNKNOWN_TRANSITION = _("Transisi tidak dikenal.")


class StepForm(forms.Form):
    """The form of a record's current step (Step.form): the data the step records, a note for the history, and
    the way out the user pressed.

    An app's step form adds its fields and writes them in `save`, which the engine calls on the locked record in
    the transaction that completes the step (portal.services.step_take). Completeness is the step's declared
    checks (Step.checks), not `required` fields: the same form saves a draft ("Simpan dulu"), and the checks'
    messages come back beside the fields they name. A value the page could not have sent (a transition or status
    the workflow does not know) is a malformed request, answered "Transisi tidak dikenal".
    """

    prefix = "langkah"
    # False for a step whose data is written only with the step itself (stock out of the warehouse): no draft.
    drafts = True
    # The step's fields under "Langkah Anda" (rendered with `form`): one below the other, or an app's own layout
    # where the fields are rows of a table (a receipt per SBBK line) or come with what the step will do (the lots
    # an SBBK will take).
    fields_template = "portal/_step_fields.html"

    transition = forms.ChoiceField(error_messages={"invalid_choice": UNKNOWN_TRANSITION, "required": UNKNOWN_TRANSITION})
    expected_status = forms.ChoiceField(
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": UNKNOWN_TRANSITION, "required": UNKNOWN_TRANSITION},
    )
    note = forms.CharField(
        label=_("Catatan untuk riwayat langkah (opsional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Catatan paling banyak %(limit_value)d karakter.")},
    )
    confirmed = forms.BooleanField(required=False)

    def __init__(self, *args, record, user, now=None, **kwargs):
        # `now`: when the step is taken (the demo's past acts); step_take sets it, so `save` and the step's log
        # share one moment.
        self.record, self.user, self.now = record, user, now
        workflow = record.workflow
        kwargs["initial"] = {"expected_status": record.status, **self.initial_from(record), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [(name, name) for name in (*workflow.transitions, SAVE_ONLY)]
        self.fields["expected_status"].choices = workflow.status_choices
        self.fields["transition"].widget = forms.HiddenInput()
        self.fields["confirmed"].widget = forms.HiddenInput()

    @property
    def data_fields(self):
        """The step's own fields: what `save` writes."""
        return [self[name] for name in self.fields if name not in StepForm.base_fields]

    def initial_from(self, record) -> dict:
        """The fields' values as the record holds them, so the form opens with what is already saved."""
        return {}

    def save(self, record, actor):
        """Write the step's data on `record` (locked); nothing to write for a step without fields."""

    def clean(self):
        data = super().clean()
        if data.get("transition") == SAVE_ONLY and not self.drafts:
            raise forms.ValidationError(_("Langkah ini disimpan sekaligus dengan tombolnya; tidak ada simpan dulu."))
        transition = self.record.workflow.transitions.get(data.get("transition"))
        if transition is None:
            return data
        if transition.confirm and not data.get("confirmed"):
            raise forms.ValidationError(
                _("Centang pernyataan di bawah %(label)s: langkah ini tidak dapat dibatalkan.") % {"label": transition.label}
            )
        if transition.note_required and not data.get("note", "").strip():
            self.add_error("note", _("Tuliskan alasannya: %(label)s tidak dapat dilakukan tanpa alasan.") % {
                "label": transition.label
            })
        return data


class RevealForm(forms.Form):
    """Why an authorised user opens an identity they do not read (portal.views.identity_reveal): kept in the log."""

    reason = forms.CharField(
        label=_("Alasan membuka identitas"), widget=forms.Textarea(attrs={"rows": 2}), min_length=10, max_length=2000,
        help_text=_("Dicatat di log akses yang dibaca pimpinan layanan ini."),
        error_messages={
            "required": _("Tuliskan alasan membuka identitas."),
            "min_length": _("Alasan paling sedikit %(limit_value)d karakter."),
        },
    )


class FileInput(forms.FileInput):
    """A file input whose button and "no file" text are the portal's, in Indonesian: the browser's own say "Choose
    File" and "No file chosen" in the browser's language. static/js/inputs.js shows them in place of the browser's;
    without it the browser's input shows, and still works."""

    template_name = "portal/widgets/file.html"


class AttachmentField(forms.FileField):
    """A document attached to a record: PDF, JPG or PNG, at most PORTAL_ATTACHMENT_MAX_BYTES. Every upload of the
    portal takes it, an officer's and the public's alike."""

    default_validators = [FileExtensionValidator(["pdf", "jpg", "jpeg", "png"], _("Hanya berkas PDF, JPG atau PNG."))]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Berkas (PDF, JPG atau PNG)"))
        kwargs.setdefault("widget", FileInput)
        kwargs.setdefault("error_messages", {"required": _("Pilih berkas yang akan diunggah."), "empty": _("Berkas ini kosong.")})
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value.size > settings.PORTAL_ATTACHMENT_MAX_BYTES:
            limit = settings.PORTAL_ATTACHMENT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(_("Berkas paling besar %(limit)d MB.") % {"limit": limit})


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"), error_messages={"invalid_choice": _("Jenis dokumen tidak dikenal.")})
    file = AttachmentField()

    def __init__(self, workflow, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(workflow.documents.items())


# Dates, times and months are typed as text, day first, as Indonesians write them. A browser's own date input
# follows the browser's language instead: an English one shows 7 December 2026 as 12/07/2026, and its messages
# in English.


def _read(text, formats):
    """`text` as a datetime when it reads in one of `formats`, else None."""
    for format in formats:
        try:
            return datetime.datetime.strptime(text.strip(), format)
        except ValueError:
            continue
    return None


class TypedDateInput(DateTimeBaseInput):
    """A text box for a date, a date and time, or a month: its format stands beneath it as a hint, and its value in
    words once it holds one (as the page came, then as typed: static/js/inputs.js), so 07/12 is seen to be
    December. Each kind says what may be typed in `formats` (the first is how a value is shown), and `words`, the
    date_format of the words."""

    template_name = "portal/widgets/typed_date.html"
    input_type = "text"
    kind = ""
    formats: tuple[str, ...] = ()
    hint = ""
    words = ""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})}, format=self.formats[0])

    def format_value(self, value):
        # A refused form shows what was sent back as it would be typed, ISO included.
        if isinstance(value, str):
            value = _read(value, self.formats) or value
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        moment = _read(value, self.formats) if isinstance(value, str) else value
        widget = context["widget"]
        widget.update(kind=self.kind, hint=self.hint, words=date_format(moment, self.words) if moment else "")
        if id_ := widget["attrs"].get("id"):
            described = [f"{id_}_format", widget["attrs"].get("aria-describedby")]
            widget["attrs"]["aria-describedby"] = " ".join(filter(None, described))
        return context


class DateInput(TypedDateInput):
    kind = "date"
    formats = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")
    hint = _("hh/bb/tttt")
    words = "j F Y"


class DateTimeInput(TypedDateInput):
    """24 hours, written with a dot as Indonesians do (10.30), or a colon."""

    kind = "datetime"
    formats = tuple(f"{day} {time}" for day in ("%d/%m/%Y", "%d-%m-%Y") for time in ("%H.%M", "%H:%M")) + (
        "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
    )
    hint = _("hh/bb/tttt jj.mm")
    words = "l, j F Y, H.i T"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["zone"] = timezone.localtime().tzname()  # the script's words end as the server's: WIB
        return context


class MonthInput(TypedDateInput):
    kind = "month"
    formats = ("%m/%Y", "%m-%Y", "%Y-%m")
    hint = _("bb/tttt")
    words = "F Y"


class DateField(forms.DateField):
    widget = DateInput
    input_formats = DateInput.formats
    default_error_messages = {"invalid": _("Tanggal tidak valid. Tulis seperti 07/12/2026.")}


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput
    input_formats = DateTimeInput.formats
    default_error_messages = {"invalid": _("Tanggal dan jam tidak valid. Tulis seperti 07/12/2026 10.30.")}


class MonthField(forms.DateField):
    """A month, as the date of its first day."""

    widget = MonthInput
    input_formats = MonthInput.formats
    default_error_messages = {"invalid": _("Bulan tidak valid. Tulis seperti 12/2026.")}


NOT_IN_FUTURE = _("Tanggal ini tidak boleh di masa depan.")


def not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(NOT_IN_FUTURE)
    return value


class StatusForm(forms.Form):
    """The status the user saw: every write on a record's page carries it, so a stale page or a second click is
    refused."""

    expected_status = forms.CharField(widget=forms.HiddenInput)


class PageForm(StatusForm):
    """One of several forms on a record's page: its fields' ids carry the form's name, so no two forms share one."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class OnceForm(PageForm):
    """A form that adds a row: its one-time token lets a second click save nothing (the app's service refuses a
    token it has seen)."""

    submission = forms.UUIDField(widget=forms.HiddenInput, error_messages={"required": _("Muat ulang halaman lalu isi kembali.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4()


def submission_token(value):
    """A posted OnceForm token as a UUID, or None when it is missing or malformed (a tampered form)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def whole_number(value):
    """A whole number typed in ASCII digits, or None (int() would take other scripts' digits, or fail on some)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


class RegisterFilterForm(forms.Form):
    """The filters of an app's register, sent by GET and shown by templates/portal/_register_filters.html.

    A value the page could not have offered (an edited or outdated address) is dropped, not shown as an error:
    that filter is not applied. `filters` holds the valid ones by field name; the status always has one (the first
    choice when none is valid). The start page's link to everything waiting for the user
    (portal.selectors.WAITING_QUERY, "tugas=saya") ticks `tugas`.
    """

    use_required_attribute = False
    status = forms.ChoiceField(label=_("Status"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=Kecamatan.objects.none(), required=False, empty_label=_("Semua"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("Nomor"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search", "placeholder": "0007/2026"}),
    )
    tugas = forms.BooleanField(
        label=_("Menunggu langkah saya"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, data, *, status_choices, kecamatan):
        # The ids stay apart from the page's search form (its "q").
        super().__init__(data or None, auto_id="saring-%s")
        self.fields["status"].choices = status_choices
        self.fields["kecamatan"].queryset = kecamatan

    @cached_property
    def filters(self) -> dict:
        chosen = {}
        if self.is_bound:
            self.is_valid()
            chosen = {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}
        chosen.setdefault("status", self.fields["status"].choices[0][0])
        return chosen
