"""Forms shared by the apps' pages: the workflow panel's, and the bases of a record page's own forms."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

UNKNOWN_TRANSITION = _("Transisi tidak dikenal.")


class TransitionForm(forms.Form):
    """The workflow panel's POST: which transition, from which status the user saw, and a note.

    A value the panel could not have sent (a transition or status the workflow
    does not know) is a malformed request, answered "Transisi tidak dikenal".
    """

    transition = forms.ChoiceField(error_messages={"invalid_choice": UNKNOWN_TRANSITION, "required": UNKNOWN_TRANSITION})
    expected_status = forms.ChoiceField(
        error_messages={"invalid_choice": UNKNOWN_TRANSITION, "required": UNKNOWN_TRANSITION}
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=2000,
        error_messages={"max_length": _("Catatan paling banyak %(limit_value)d karakter.")},
    )

    confirmed = forms.BooleanField(required=False)

    def __init__(self, workflow, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.workflow = workflow
        self.fields["transition"].choices = [(name, name) for name in workflow.transitions]
        self.fields["expected_status"].choices = workflow.status_choices

    def clean(self):
        data = super().clean()
        transition = self.workflow.transitions.get(data.get("transition"))
        if transition is not None and transition.confirm and not data.get("confirmed"):
            raise forms.ValidationError(
                _("Centang pernyataan di bawah %(label)s: langkah ini tidak dapat dibatalkan.") % {"label": transition.label}
            )
        return data


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"), error_messages={"invalid_choice": _("Jenis dokumen tidak dikenal.")})
    file = forms.FileField(
        label=_("Berkas (PDF, JPG atau PNG)"),
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"], _("Hanya berkas PDF, JPG atau PNG."))],
        error_messages={"required": _("Pilih berkas yang akan diunggah."), "empty": _("Berkas ini kosong.")},
    )

    def __init__(self, workflow, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(workflow.documents.items())

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.PORTAL_ATTACHMENT_MAX_BYTES:
            limit = settings.PORTAL_ATTACHMENT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(_("Berkas paling besar %(limit)d MB.") % {"limit": limit})
        return file


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
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
