from django import forms

from portal.forms import StepForm


class CheckForm(StepForm):
    """The "checked" step's form: the summary the step's check asks for."""

    summary = forms.CharField(label="Ringkasan", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def initial_from(self, record):
        return {"summary": record.summary}

    def save(self, record, actor):
        record.summary = self.cleaned_data["summary"]
        record.save(update_fields=["summary"])
