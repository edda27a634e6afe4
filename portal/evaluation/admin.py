from django.contrib import admin

from portal.evaluation.models import EvaluationRule


@admin.register(EvaluationRule)
class EvaluationRuleAdmin(admin.ModelAdmin):
    """The agency's Admin keeps who evaluates each service and how often, as its standard says. The evaluations
    themselves are written and signed on their page only."""

    list_display = ["service", "period", "signer"]
    list_select_related = ["service"]
    fields = ["service", "period", "signer", "words", "note"]
