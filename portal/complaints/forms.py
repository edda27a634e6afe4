from django import forms
from django.utils.translation import gettext_lazy as _

from portal.complaints.models import Complaint
from portal.complaints.services import reply_send
from portal.forms import AttachmentField, StepForm
from portal.services import save_with_history
from portal.workflow import SAVE_ONLY

TEXT_LIMIT = _("Paling banyak %(limit_value)d karakter (sekarang %(show_value)d).")


class ComplaintForm(forms.ModelForm):
    """What a complainant says, on the public form or as an officer records it."""

    about = forms.ModelChoiceField(
        label=_("Tentang layanan"), queryset=None, required=False, empty_label=_("Umum / bukan tentang satu layanan"),
    )

    class Meta:
        model = Complaint
        fields = ["about", "kind", "text", "name", "email", "phone"]
        widgets = {"kind": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 6})}
        labels = {"text": _("Isi pengaduan, saran atau pertanyaan")}
        help_texts = {
            "text": _("Tuliskan apa yang terjadi, kapan dan di mana. Jangan menuliskan nama korban atau anak."),
            "name": _("Opsional. Hanya dibaca oleh unit yang menangani pengaduan ini."),
            "email": _("Jawaban dikirim ke alamat ini."),
            "phone": _("Opsional; petugas dapat menghubungi Anda untuk penjelasan."),
        }
        error_messages = {
            "text": {"required": _("Tuliskan isi pengaduan, saran atau pertanyaan Anda."), "max_length": TEXT_LIMIT},
            "kind": {"invalid_choice": _("Pilih jenisnya: pengaduan, saran atau pertanyaan."),
                     "required": _("Pilih jenisnya: pengaduan, saran atau pertanyaan.")},
            "email": {"invalid": _("Alamat e-mail tidak sah, misalnya nama@contoh.id.")},
            "name": {"max_length": TEXT_LIMIT},
            "phone": {"max_length": TEXT_LIMIT},
        }

    def __init__(self, *args, desk, **kwargs):
        super().__init__(*args, **kwargs)
        self.desk = desk
        self.fields["about"].queryset = desk.services()
        self.fields["about"].error_messages["invalid_choice"] = _("Pilih layanan dari daftar.")

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(c.isdigit() or c in "+-() " for c in phone):
            raise forms.ValidationError(_("Nomor telepon hanya berisi angka, spasi, +, - dan tanda kurung."))
        return phone


class PublicComplaintForm(ComplaintForm):
    evidence = AttachmentField(
        label=_("Bukti pendukung (opsional): foto atau dokumen, PDF, JPG atau PNG"), required=False,
        help_text=_("Paling besar 10 MB. Jangan mengirim foto korban atau anak."),
    )

    # A honeypot: hidden from people (and from screen readers), filled by bots; such a post is dropped unsaid.
    website = forms.CharField(required=False, label=_("Jangan diisi"))

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

    @property
    def has_contact(self):
        return bool(self.cleaned_data.get("email") or self.cleaned_data.get("phone"))


class RecordedComplaintForm(ComplaintForm):
    """An officer records a complaint that came by another channel."""

    class Meta(ComplaintForm.Meta):
        fields = ["channel", *ComplaintForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [
            choice for choice in Complaint.Channel.choices if choice[0] != Complaint.Channel.PORTAL
        ]
        self.fields["channel"].error_messages["invalid_choice"] = _("Pilih saluran dari daftar.")


class FollowUpForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor pengaduan"), max_length=20, help_text=_("Misalnya 0012/2026."),
        error_messages={"required": _("Tuliskan nomor pengaduan.")},
    )
    code = forms.CharField(
        label=_("Kode tindak lanjut"), max_length=40, help_text=_("Kode yang Anda terima saat mengirim pengaduan."),
        error_messages={"required": _("Tuliskan kode tindak lanjut.")},
    )


class FindingStepForm(StepForm):
    """A stage of the team's follow-up: what it found, kept for the handling unit (never shown to the public)."""

    findings = forms.CharField(
        label=_("Catatan penanganan"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Untuk unit yang menangani; tidak ditampilkan kepada pengadu."),
        error_messages={"max_length": TEXT_LIMIT},
    )

    def initial_from(self, record):
        return {"findings": record.findings}

    def save(self, record, actor):
        record.findings = self.cleaned_data["findings"]
        save_with_history(record, actor=actor, at=self.now, update_fields=["findings"])


class ReplyStepForm(FindingStepForm):
    """A step that answers the complainant: the reply is sent as the step completes (the step's check asks for it);
    saved for later, or with the complaint passed on to the official, it stays a draft."""

    reply = forms.CharField(
        label=_("Jawaban untuk pengadu"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Dikirim ke pengadu (halaman tindak lanjut dan e-mail). Jangan menuliskan nama korban."),
        error_messages={"max_length": TEXT_LIMIT},
    )

    def initial_from(self, record):
        return {**super().initial_from(record), "reply": record.draft_reply}

    def save(self, record, actor):
        text = self.cleaned_data["reply"].strip()
        transition = record.workflow.transitions.get(self.cleaned_data["transition"])
        answers = self.cleaned_data["transition"] != SAVE_ONLY and transition is not None and transition.checks
        record.draft_reply = "" if answers and text else text
        if answers and text:
            reply_send(record, text=text, actor=actor, now=self.now)
        record.findings = self.cleaned_data["findings"]
        save_with_history(record, actor=actor, at=self.now, update_fields=["draft_reply", "findings", "first_response_at"])


class InstructionForm(forms.Form):
    instruction = forms.CharField(
        label=_("Arahan pimpinan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan arahan untuk petugas."), "max_length": TEXT_LIMIT},
    )
