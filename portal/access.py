"""Who may see and act on what, from unit, role and service: the one place that decides.

A user holds roles in units (portal.models.Membership). A record of an SOP
service is visible to a user who holds, in the record's unit or in a unit
above it, a role that the service's workflow gives access to: the role of one
of its executors, or of an observer. A record model may narrow a role further
(`WorkflowRecord.role_filter`: a faskes sees only its own facility's rows).
Acting on a record needs the role of the step's executor, held in the
record's unit or above.

Every list, page, PDF, download and admin queryset asks through here:
`Model.objects.visible_to(user)` for lists, `get_record_or_404` for a page,
`portal.models.access_for(user)` for the rest. This module reads nothing from
the database itself; portal.models.access_for loads what it needs once per
request.
"""

from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db.models import Expression, IntegerField, Q
from django.shortcuts import get_object_or_404

# Up to this many unit ids go into a query as a list; more as a walk of the unit table from their roots.
LISTED_UNITS = 50


class UnitIds(Expression):
    """The units at or under `roots`, less those at or under `excluded`: a set of ids in Python, and the right-hand
    side of an `__in` filter in a query.

    An agency's Admin or Kepala Dinas holds hundreds of units. As a list their ids cost more to pass, parse and
    plan in every scoped query than the query costs to run, and the cost grew with the units; the database walks
    the tree from the few roots in a fraction of that (benchmarks/http_pages.py).
    """

    def __init__(self, ids, roots, excluded=()):
        super().__init__(output_field=IntegerField())
        self.ids = frozenset(ids)
        self.roots = tuple(sorted(set(roots)))
        self.excluded = tuple(sorted(set(excluded)))

    def __iter__(self):
        return iter(self.ids)

    def __contains__(self, unit_id):
        return unit_id in self.ids

    def __len__(self):
        return len(self.ids)

    def __bool__(self):
        return bool(self.ids)

    def __sub__(self, other):
        """Less another subtree (a UnitIds of the same tree): still a walk in SQL; less any other set: a set."""
        if isinstance(other, UnitIds) and not other.excluded:
            return UnitIds(self.ids - other.ids, self.roots, self.excluded + other.roots)
        return self.ids - set(other)

    def as_sql(self, compiler, connection):
        if not self.ids:
            raise EmptyResultSet  # as an empty list: the filter matches nothing
        if len(self.ids) <= LISTED_UNITS:
            return ", ".join(["%s"] * len(self.ids)), sorted(self.ids)
        quote = connection.ops.quote_name
        table = quote(apps.get_model("portal", "Unit")._meta.db_table)

        def walk(name, roots):
            start = ", ".join(["%s"] * len(roots))
            return (
                f"{name} (id) AS (SELECT id FROM {table} WHERE id IN ({start}) UNION "
                f"SELECT {table}.id FROM {table} INNER JOIN {name} ON {table}.{quote('parent_id')} = {name}.id)"
            )

        if not self.excluded:
            return f"WITH RECURSIVE {walk('scope_units', self.roots)} SELECT id FROM scope_units", list(self.roots)
        walks = f"{walk('scope_units', self.roots)}, {walk('scope_excluded', self.excluded)}"
        sql = f"WITH RECURSIVE {walks} SELECT id FROM scope_units EXCEPT SELECT id FROM scope_excluded"
        return sql, [*self.roots, *self.excluded]


@dataclass(frozen=True)
class OrgTree:
    """The unit tree as a {unit: parent} map, read in one query."""

    parents: dict

    @cached_property
    def _children(self):
        children = {}
        for pk, parent_id in self.parents.items():
            children.setdefault(parent_id, []).append(pk)
        return children

    def below(self, unit_ids) -> UnitIds:
        """The given units and every unit under them."""
        roots = list(unit_ids)
        result, stack = set(), list(roots)
        while stack:
            pk = stack.pop()
            if pk not in result:
                result.add(pk)
                stack.extend(self._children.get(pk, []))
        return UnitIds(result, roots)

    def above(self, unit_id) -> list[int]:
        """The unit and its parents, nearest first; a cycle in the data ends the walk."""
        result = []
        while unit_id is not None and unit_id not in result:
            result.append(unit_id)
            unit_id = self.parents.get(unit_id)
        return result


class Access:
    """What one user holds: (unit, role) grants, the offices held today as (unit, office), and the tree they
    apply to."""

    def __init__(self, user, grants, tree: OrgTree, offices=frozenset()):
        self.user = user
        self.grants = grants  # [(unit_id, role name)]
        self.tree = tree
        self.offices = frozenset(offices)  # {(unit_id, office)}: portal.roles.Office, held today

    def roles_in(self, unit_id) -> set[str]:
        """The roles held in a unit or in any unit above it."""
        chain = set(self.tree.above(unit_id))
        return {role for unit, role in self.grants if unit in chain}

    def office_units(self, offices) -> set[int]:
        """The units where the user holds one of `offices` today."""
        return {unit for unit, office in self.offices if office in offices}

    def satisfies(self, actor, roles, service_unit_id) -> bool:
        """Whether the user, holding `roles` for a record (Access.roles_in, and a guest's role), may act as `actor`
        (portal.workflow.Actor) on it: the role, and the office in the service's unit when one is named."""
        return actor.role in roles and (not actor.offices or service_unit_id in self.office_units(actor.offices))

    def service_roles(self, service_unit_id, handling_units) -> set[str]:
        """The roles the user holds for a service run by `service_unit_id`: in that unit, above it, or below it in
        or under one of the units `handling_units()` gives (a callable, asked only when a role is held below; it
        returns None for every unit below; WorkflowRecord.handling_units)."""
        above = set(self.tree.above(service_unit_id))
        below = self.tree.below([service_unit_id]) - above
        roles = {role for unit, role in self.grants if unit in above}
        held_below = [(unit, role) for unit, role in self.grants if unit in below]
        if held_below:
            handling = handling_units()
            roles |= {role for unit, role in held_below if handling is None or handling & set(self.tree.above(unit))}
        return roles

    def units_where(self, roles) -> UnitIds:
        """The units at or below a membership in one of `roles` (None: any role)."""
        return self.tree.below(unit for unit, role in self.grants if roles is None or role in roles)

    def _units_by_role(self, roles):
        roots = {}
        for unit, role in self.grants:
            if role in roles:
                roots.setdefault(role, []).append(unit)
        return {role: self.tree.below(units) for role, units in roots.items()}

    def record_filter(self, model) -> Q:
        """A filter for the records of `model` (a WorkflowRecord) this user may see."""
        condition = Q(pk__in=[])
        for role, units in self._units_by_role(model.workflow.access_roles).items():
            condition |= Q(unit_id__in=units) & model.role_filter(role, self.user)
        if model.guest_role is not None and self.user.is_authenticated:
            condition |= model.named_filter(self.user)
        return condition

    def waiting_filter(self, model) -> Q:
        """A filter for the open records of `model` waiting for a step this user may do now.

        The self-approval rule is part of it: a record its user moved into an approval step waits for someone else.
        """
        workflow = model.workflow
        units_by_role = self._units_by_role(workflow.access_roles)
        own_approvals = Q(status__in=workflow.approval_statuses, status_changed_by=self.user)
        condition = Q(pk__in=[])
        for actor in {*workflow.worklist_statuses, *workflow.worklist_tasks}:
            units = units_by_role.get(actor.role)
            guest = actor.role == model.guest_role and self.user.is_authenticated
            if not units and not guest:
                continue
            where = Q(unit_id__in=units) if units else Q(pk__in=[])
            if guest:
                where |= model.named_filter(self.user)
            if actor.offices:
                where &= Q(service__unit_id__in=self.office_units(actor.offices))
            work = Q(pk__in=[])
            statuses = workflow.worklist_statuses.get(actor)
            if statuses:
                work |= (
                    Q(status__in=statuses)
                    & model.role_filter(actor.role, self.user)
                    & model.actor_filter(actor.role, self.user, statuses=statuses)
                    & ~own_approvals
                )
            # A task (Workflow.tasks) is its executor's: the step's own narrowing (a team's function) is not its.
            for task in workflow.worklist_tasks.get(actor, ()):
                work |= Q(status__in=task.statuses) & model.role_filter(actor.role, self.user) & task.pending()
            condition |= where & work
        return condition

    def can_view(self, record) -> bool:
        return type(record).objects.filter(self.record_filter(type(record)), pk=record.pk).exists()


def get_record_or_404(request, model, pk, *, select_related=("service", "unit")):
    """The record `pk` of `model` if the request's user may see it; 404 otherwise, as if it did not exist.

    Every view that takes a record's id fetches it here.
    """
    queryset = model.objects.visible_to(request.user).select_related(*select_related)
    return get_object_or_404(queryset, pk=pk)
