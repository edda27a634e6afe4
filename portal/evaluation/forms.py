from django import forms
from django.utils.translation import gettext_lazy as _

from portal.evaluation.models import Evaluation


class EvaluationForm(forms.Form):
    findings = forms.CharField(
        label=_("Temuan"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text=_("Hasil pengawasan atas kinerja dan kedisiplinan pelaksana dalam periode ini."),
    )
    follow_up = forms.CharField(
        label=_("Tindak lanjut"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    @classmethod
    def for_draft(cls, draft: Evaluation | None):
        if draft is None:
            return cls(initial={"version": 0})
        return cls(initial={"findings": draft.findings, "follow_up": draft.follow_up, "version": draft.version})
