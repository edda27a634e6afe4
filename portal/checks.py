"""System checks: each SOP app's declaration is sound, found when the project starts, not when a user clicks."""

from django.apps import apps
from django.core import checks

from portal.models import WorkflowRecord, sop_models
from portal.workflow import Workflow


def _error(model, message, number):
    return checks.Error(f"{model._meta.label}.workflow: {message}", obj=model, id=f"portal.E{number:03d}")


@checks.register()
def check_sop_apps(app_configs=None, **kwargs):
    errors = []
    for model in sop_models().values():
        if app_configs is not None and model._meta.app_config not in app_configs:
            continue
        workflow = model.workflow
        if not isinstance(workflow, Workflow):
            errors.append(_error(model, "is not a portal.workflow.Workflow", 1))
            continue
        errors += [_error(model, problem, 2) for problem in workflow.problems()]
    records = [m for m in apps.get_models() if issubclass(m, WorkflowRecord) and m.workflow is not None]
    for key, label in [(lambda m: m._meta.app_label, "app"), (lambda m: id(m.workflow), "workflow")]:
        groups = {}
        for model in records:
            groups.setdefault(key(model), []).append(model)
        for models in groups.values():
            if len(models) > 1:
                names = ", ".join(m._meta.label for m in models)
                errors.append(_error(models[0], f"one {label} has more than one record model ({names})", 5))
    return errors
