from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.notifications.models import Kind, Preference


class PreferencesForm(forms.Form):
    """One choice per kind of notification: e-mail at once, a daily digest, or the portal only."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Preference.Channel.choices,
                initial=chosen.get(kind, Preference.Channel.IMMEDIATE),
                widget=forms.Select(attrs={"class": "form-select"}),
                error_messages={"invalid_choice": _("Pilih salah satu cara yang ada.")},
            )

    def save(self):
        with transaction.atomic():
            for kind, _label in Kind.choices:
                Preference.objects.update_or_create(
                    user=self.user, kind=kind, defaults={"channel": self.cleaned_data[kind]}
                )
