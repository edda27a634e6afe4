"""Who evaluates a service and who signs its evaluation: read by the pages, the services and the tests alike.

The heads (Kepala Bidang, Kepala Dinas) of the service's unit or above read its figures and write its evaluation.
Who signs comes from the service's EvaluationRule, that is from its standard:
- the direct superior ("atasan langsung"): a Kepala Bidang (Role.HEAD) of the service's unit or the unit right
  above it;
- the leadership ("pimpinan"): the holder of the office Kepala Bidang in the service's unit (Office.DIVISION_HEAD),
  or the Kepala Dinas (Office.AGENCY_HEAD) of a unit at or above it, or whoever acts for them (Plt.).
"""

from django.utils.translation import gettext as _

from portal.evaluation.models import EvaluationRule
from portal.models import Service, access_for
from portal.roles import Office, Role

EVALUATORS = frozenset(Role.HEADS)


def evaluates_any(user) -> bool:
    return any(role in EVALUATORS for _unit, role in access_for(user).grants)


def evaluated_services(user) -> list[Service]:
    """The services `user` evaluates, by name: every SOP service but the complaint desks, where they are a head of
    the service's unit or above."""
    access = access_for(user)
    services = Service.objects.select_related("unit", "evaluation_rule").exclude(app="complaints").order_by("name")
    return [
        service for service in services
        if service.record_model is not None and access.roles_in(service.unit_id) & EVALUATORS
    ]


def rule_of(service):
    try:
        return service.evaluation_rule
    except EvaluationRule.DoesNotExist:
        return None


def signs(user, service) -> bool:
    access = access_for(user)
    rule = rule_of(service)
    if rule is None:
        return False
    if rule.signer == EvaluationRule.Signer.DIRECT_SUPERIOR:
        superior_units = set(access.tree.above(service.unit_id)[:2])
        return any(role == Role.HEAD and unit in superior_units for unit, role in access.grants)
    if rule.signer == EvaluationRule.Signer.LEADERSHIP:
        if service.unit_id in access.office_units({Office.DIVISION_HEAD}):
            return True
        return bool(access.office_units({Office.AGENCY_HEAD}) & set(access.tree.above(service.unit_id)))
    return False


def signer_words(service) -> str:
    """Who signs, in words, for the page and the refusal."""
    rule = rule_of(service)
    if rule is None:
        return _("Belum ada aturan evaluasi kinerja untuk layanan ini: Admin mengisinya sesuai standar pelayanan.")
    if rule.signer == EvaluationRule.Signer.DIRECT_SUPERIOR:
        return _("Ditandatangani oleh atasan langsung: Kepala Bidang pada %(unit)s atau unit di atasnya.") % {
            "unit": service.unit}
    return _("Ditandatangani oleh pimpinan: Kepala Bidang yang menjabat pada %(unit)s, atau Kepala Dinas.") % {
        "unit": service.unit}


def sign_refusal(user, service) -> str:
    """Why `user` may not sign the evaluation of `service`, or ""."""
    if rule_of(service) is None:
        return signer_words(service)
    if not signs(user, service):
        return _("Evaluasi ini tidak dapat Anda tandatangani. %(who)s") % {"who": signer_words(service)}
    return ""
