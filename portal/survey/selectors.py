"""The survey's reads: whose figures a user oversees, and a service's figures for a quarter."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from portal.models import Service, access_for
from portal.roles import Role
from portal.survey import ikm
from portal.survey.elements import ELEMENT_CODES
from portal.survey.models import PROFILE_FIELDS, Response

# Who reads a service's IKM: a head, the agency's head or its Admin, holding the role in the service's unit or above.
OVERSEERS = frozenset({Role.HEAD, Role.AGENCY_HEAD, Role.ADMIN})
LATEST_COMMENTS = 20


def oversees_any(user) -> bool:
    return any(role in OVERSEERS for _unit, role in access_for(user).grants)


def overseen_services(user) -> list[Service]:
    """The services whose survey `user` oversees (OVERSEERS), by name."""
    access = access_for(user)
    services = Service.objects.select_related("unit").order_by("name")
    return [service for service in services if access.roles_in(service.unit_id) & OVERSEERS]


@dataclass
class Figures:
    """A service's survey in a quarter: the index, the population it samples, and who answered."""

    index: ikm.Index | None
    respondents: int
    population: int | None  # records of the service completed in the quarter; None for a service without records
    profile: list  # [(field's label, [(choice's label, count)])]
    comments: list  # [(submitted_at, comment)], newest first

    @property
    def minimum_sample(self):
        return ikm.minimum_sample(self.population) if self.population is not None else None

    @property
    def indicative(self) -> bool:
        """Fewer respondents than the minimum sample of the population: the figure indicates, it does not measure."""
        return self.minimum_sample is not None and self.respondents < self.minimum_sample


def quarter_figures(service, quarter) -> Figures:
    """Three queries whatever the number of answers: the sums and counts of the answers (one aggregate), the
    latest comments, the completed records."""
    start, end = quarter.bounds()
    answers = Response.objects.filter(service=service, submitted_at__gte=start, submitted_at__lt=end)
    profile_counts = {
        f"{field}__{value}": Count("pk", filter=Q(**{field: value}))
        for field in PROFILE_FIELDS for value, _label in Response._meta.get_field(field).choices
    }
    totals = answers.aggregate(
        respondents=Count("pk"), **{code: Sum(code) for code in ELEMENT_CODES}, **profile_counts
    )
    respondents = totals["respondents"]
    profile = []
    for field in PROFILE_FIELDS:
        model_field = Response._meta.get_field(field)
        profile.append((model_field.verbose_name, [
            (label, totals[f"{field}__{value}"]) for value, label in model_field.choices
        ]))
    comments = list(answers.exclude(comment="").values_list("submitted_at", "comment")[:LATEST_COMMENTS])
    return Figures(
        index=ikm.index(totals, respondents),
        respondents=respondents,
        population=population(service, start, end),
        profile=profile,
        comments=comments,
    )


def population(service, start, end) -> int | None:
    """The records of `service` completed from `start` to before `end`: those whose final status was reached
    then. One COUNT."""
    model = service.record_model
    if model is None:
        return None
    completed = model.objects.filter(
        service=service, status__in=model.workflow.final_statuses, status_changed_at__gte=start, status_changed_at__lt=end
    )
    return completed.count()
