"""The guarantee's two forms on a record's page: the reason, and the head's decision on the compensation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import DateField
from portal.guarantee.models import MissedStandard

NO_NAMES = _("Jangan menuliskan nama atau identitas siapa pun: isian ini dicetak dalam register untuk pimpinan.")


class ReasonForm(forms.Form):
    prefix = "alasan"

    reason = forms.CharField(
        label=_("Alasan melewati standar waktu"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_NAMES, error_messages={"required": _("Tuliskan alasan melewati standar waktu.")},
    )


class DecisionForm(forms.Form):
    prefix = "kompensasi"

    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=MissedStandard.Decision.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Pilih apakah kompensasi diberikan.")},
    )
    compensation = forms.CharField(
        label=_("Kompensasi yang diberikan"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=NO_NAMES,
    )
    given_on = DateField(label=_("Tanggal pemberian"), required=False)
    given_to = forms.ChoiceField(
        label=_("Diberikan kepada"), choices=[("", _("Pilih...")), *MissedStandard.Recipient.choices], required=False,
    )
    no_compensation_reason = forms.CharField(
        label=_("Alasan tidak diberikan kompensasi"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=NO_NAMES,
    )
    notified_via = forms.ChoiceField(
        label=_("Pelapor diberi tahu lewat"), required=False,
        choices=[("", _("Belum diberi tahu")), *(
            (value, label) for value, label in MissedStandard.Notice.choices if value != MissedStandard.Notice.EMAIL
        )],
        help_text=_("Bila berkas memuat alamat e-mail, keputusan dikirim ke sana dengan sendirinya."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == MissedStandard.Decision.GIVEN:
            needed = {
                "compensation": _("Tuliskan kompensasi yang diberikan."),
                "given_on": _("Isi tanggal pemberian kompensasi, seperti 07/12/2026."),
                "given_to": _("Pilih kepada siapa kompensasi diberikan."),
            }
        elif data.get("decision") == MissedStandard.Decision.NONE:
            needed = {"no_compensation_reason": _("Tuliskan mengapa tidak diberikan kompensasi.")}
        else:
            needed = {}
        for field, message in needed.items():
            value = data.get(field)
            if field not in self.errors and (value is None or (isinstance(value, str) and not value.strip())):
                self.add_error(field, message)
        return data
