"""The survey's form: the nine elements as radio groups, the respondent's profile, a comment, and a honeypot."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Sex
from portal.survey.elements import ELEMENT_CODES, ELEMENTS
from portal.survey.models import COMMENT_MAX_LENGTH, Response

# A field no person sees or fills (hidden from view and from screen readers): whatever fills it is a bot.
HONEYPOT = "website"


def _blank(choices):
    return [("", _("Pilih...")), *choices]


class ResponseForm(forms.Form):
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect)
    age_band = forms.ChoiceField(label=_("Umur"), choices=_blank(Response.AgeBand.choices))
    education = forms.ChoiceField(label=_("Pendidikan terakhir"), choices=_blank(Response.Education.choices))
    occupation = forms.ChoiceField(label=_("Pekerjaan utama"), choices=_blank(Response.Occupation.choices))
    comment = forms.CharField(
        label=_("Saran dan masukan (boleh dikosongkan)"), required=False, max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Jangan menuliskan nama, NIK, atau nomor telepon."),
    )
    website = forms.CharField(required=False)  # HONEYPOT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for element in ELEMENTS:
            self.fields[element.code] = forms.TypedChoiceField(
                label=element.name, help_text=element.question, choices=element.choices, coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={
                    "required": _("Pilih salah satu jawaban."),
                    "invalid_choice": _("Pilih salah satu dari empat jawaban yang tersedia."),
                },
            )
        self.fields["sex"].widget.attrs["class"] = "form-check-input"
        self.fields["sex"].error_messages["required"] = _("Pilih jenis kelamin.")
        self.order_fields([*ELEMENT_CODES, "sex", "age_band", "education", "occupation", "comment"])

    @property
    def is_bot(self):
        return bool(self.data.get(HONEYPOT))

    def element_fields(self):
        return [self[code] for code in ELEMENT_CODES]
