"""System checks: each SOP app's declaration is sound, found when the project starts, not when a user clicks."""

from django.apps import apps
from django.core import checks
from django.utils.module_loading import import_string

from portal.forms import StepForm
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
        errors += [_error(model, problem, 2) for problem in [*workflow.problems(), *step_form_problems(workflow)]]
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


def step_form_problems(workflow) -> list[str]:
    """Each step's form (Step.form) is a StepForm, and each of its checks names a field of it when it names one; a
    step's hold (Step.hold) imports."""
    problems = []
    for step in workflow.steps:
        if step.hold:
            try:
                import_string(step.hold)
            except ImportError as error:
                problems.append(f"step {step.code}: hold {step.hold!r} does not import ({error})")
        try:
            form = workflow.step_form(step)
        except ImportError as error:
            problems.append(f"step {step.code}: form {step.form!r} does not import ({error})")
            continue
        if not (isinstance(form, type) and issubclass(form, StepForm)):
            problems.append(f"step {step.code}: form {step.form!r} is not a portal.forms.StepForm")
            continue
        for check in (*step.checks, *(check for branch in step.branches for check in branch.checks)):
            if check.field and check.field not in form.base_fields:
                problems.append(f"step {step.code}: check names {check.field!r}, not a field of {form.__name__}")
    return problems
