"""The activity table an SOP sheet prints: today's from workflow.py, an older one from its snapshot.

A snapshot (StepsSnapshot) keeps each declaration an app has had, from when it
took effect, so `?versi=` of an SOP sheet prints the steps that were in force
then. A moment before the first snapshot has no known steps, and says so.

A service whose app's workflow has several ways in, of which the service takes
one (a complaint desk), prints that way only: its record model names the way
(`sop_start_step(service)`), and the path is cut from the declaration in force
at the moment asked (Workflow.path_from).
"""

import dataclasses
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import Service, sop_models
from portal.workflow import Branch, Executor, Identity, Step, TimeStandard, Transition, Workflow
from publications.models import StepsSnapshot


class StepsNotKept(LookupError):
    """No activity table is kept for the moment asked: it is older than the first snapshot."""


# How the software runs a step (its form, its checks, what holds it, the page it is done on, the tasks beside it,
# where a record keeps its person, when its executors are reminded) is not printed on the sheet, and a function has
# no text that stays the same from one start to the next.
NOT_PRINTED = frozenset({"form", "checks", "hold", "done_at", "tasks", "person", "reminder_share"})
# Kept by snapshots from before the engine dropped them; printing needs none.
RETIRED = ("own_form", "required_fields")


def _printed(value):
    if isinstance(value, dict):
        return {key: _printed(item) for key, item in value.items() if key not in NOT_PRINTED}
    if isinstance(value, list | tuple):
        return [_printed(item) for item in value]
    return value


def declaration(workflow: Workflow) -> dict:
    """The declaration as JSON-ready data (translated labels as text), without what the sheet does not print."""
    return json.loads(json.dumps(_printed(dataclasses.asdict(workflow)), default=str))


def fingerprint(workflow: Workflow) -> str:
    """A hash of a declaration: a step changed in an app's workflow.py changes it."""
    return hashlib.sha256(json.dumps(declaration(workflow), sort_keys=True).encode()).hexdigest()


def workflow_from(data: dict) -> Workflow:
    """A Workflow rebuilt from `declaration()`'s data, for printing."""

    def time(value):
        return TimeStandard(**value) if value else None

    def step(value):
        value = {k: v for k, v in value.items() if k not in RETIRED}
        value = {**value, "time": time(value["time"]), "branches": tuple(Branch(**b) for b in value["branches"])}
        value["required_documents"] = tuple(value["required_documents"])
        return Step(**value)

    def transition(value):
        # Snapshots from before offices named roles here; what a sheet prints needs neither.
        value = {
            k: v for k, v in value.items()
            if k not in ("roles", "worklist_roles", "actors", "worklist_actors", *RETIRED)
        }
        return Transition(**{k: tuple(v) if isinstance(v, list) else v for k, v in value.items()})

    codes = {e["code"] for e in data["executors"]}
    return Workflow(**{
        **data,
        "executors": tuple(
            Executor(
                e["code"], e["label"], tuple(e["roles"]), tuple(e.get("offices", ())),
                # Before offices, stand-ins were roles, not executors.
                tuple(code for code in e.get("standins", ()) if code in codes),
            )
            for e in data["executors"]
        ),
        "steps": tuple(step(s) for s in data["steps"]),
        "time": time(data["time"]),
        "start_steps": tuple(data["start_steps"]),
        "time_covers": tuple(data.get("time_covers", ())),
        "extra_transitions": tuple(transition(t) for t in data["extra_transitions"]),
        "final_statuses": tuple(data["final_statuses"]),
        "observers": tuple(data["observers"]),
        "identity": Identity(**{k: tuple(v) for k, v in data["identity"].items()}) if data.get("identity") else None,
    })


def snapshot_take(app: str, workflow: Workflow) -> StepsSnapshot:
    """Keep the app's current declaration, unless it is kept already."""
    key = fingerprint(workflow)
    snapshot = StepsSnapshot.objects.filter(app=app, fingerprint=key).first()
    if snapshot is None:
        try:
            with transaction.atomic():
                snapshot = StepsSnapshot.objects.create(
                    app=app, fingerprint=key, declaration=declaration(workflow), taken_at=timezone.now()
                )
        except IntegrityError:  # another process took it at the same moment
            snapshot = StepsSnapshot.objects.get(app=app, fingerprint=key)
    return snapshot


def snapshots_take():
    for app, model in sop_models().items():
        snapshot_take(app, model.workflow)


def steps_in_force(app: str, moment=None) -> tuple[Workflow | None, str]:
    """(workflow, fingerprint) of the app's activity table at `moment` (now when None).

    (None, "") for an app without a workflow; raises StepsNotKept for a moment before the first snapshot.
    """
    model = sop_models().get(app)
    if model is None:
        return None, ""
    if moment is None:
        snapshot_take(app, model.workflow)
        return model.workflow, fingerprint(model.workflow)
    snapshot = StepsSnapshot.objects.filter(app=app, taken_at__lte=moment).order_by("-taken_at").first()
    if snapshot is None:
        raise StepsNotKept(app, moment)
    if snapshot.fingerprint == fingerprint(model.workflow):
        return model.workflow, snapshot.fingerprint
    return workflow_from(snapshot.declaration), snapshot.fingerprint


def sheet_steps(service: Service, moment=None) -> tuple[Workflow | None, str]:
    """(workflow, fingerprint) of the activity table the service's SOP sheet prints at `moment` (now when None).

    Its app's steps in force then (steps_in_force), or the way in its record model names for it; the fingerprint is
    then the path's, so that a sheet's version changes with its own steps and not with another way's.
    """
    workflow, key = steps_in_force(service.app, moment)
    start = _start_step(service)
    # A declaration from before the way was declared prints whole, as it was then.
    if workflow is None or not start or workflow.step_for(start) is None:
        return workflow, key
    path = workflow.path_from(start)
    return path, fingerprint(path)


def _start_step(service: Service) -> str:
    """The start step whose way the service's SOP sheet prints; "" for the whole workflow.

    A record model whose services each take one way in of its workflow says which by `sop_start_step(service)`
    (complaints.models.Complaint); the others print every way.
    """
    model = service.record_model
    return model.sop_start_step(service) if model is not None else ""
