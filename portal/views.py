import uuid
from functools import wraps
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal import identity, selectors, services
from portal.access import get_record_or_404
from portal.forms import AttachmentForm, RevealForm, StepForm, submission_token
from portal.models import Attachment, IdentityAccessLog, sop_models
from portal.pdf import pdf_response
from portal.workflow import TransitionError


@require_safe
@login_required
def home(request):
    services = selectors.worklist(request.user)
    return render(request, "portal/home.html", {
        "worklist": [work for work in services if not work.observing],
        "observed": [work for work in services if work.observing],
    })


def list_query(request):
    """The list's parameters but its page, url-encoded: what portal/_pagination.html's links carry on."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def post_only(back_to):
    """A write view of a record: POST only. A GET or HEAD, as a reload of the page a refused form came back on
    makes, goes to the record's page (`back_to(request, **url kwargs)` gives its address) instead of a bare 405."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in ("GET", "HEAD"):
                return redirect(back_to(request, *args, **kwargs))
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def to_record(url_name):
    """For post_only: the page `url_name` of the record whose id the write's address carries as `pk`."""
    return lambda request, pk, **kwargs: reverse(url_name, args=[pk])


def _record_or_404(request, app, pk):
    model = sop_models().get(app)
    if model is None:
        raise Http404(_("Layanan tidak dikenal."))
    return get_record_or_404(request, model, pk)


def _back_to(record):
    return redirect(record.get_absolute_url() if hasattr(record, "get_absolute_url") else "home")


def _record_page(request, app, pk):
    return _record_or_404(request, app, pk).get_absolute_url()


def record_page(request, record, render_page):
    """A record's page, which is also where its current step is taken: a POST carries the step's form
    (portal.forms.StepForm, shown by the next_action tag). Done, the page comes back by GET with a message.
    Refused (a field, a check, the wrong person, a concurrent change), the same page comes back at the same
    address with everything typed and the reasons beside their fields, answered 400.

    `render_page(step_form=, status=)` renders the app's page; the next_action tag reads `step_form` from it.
    """
    if request.method != "POST":
        return render_page(step_form=None, status=200)
    workflow = record.workflow
    posted_status = request.POST.get(f"{StepForm.prefix}-expected_status")
    # The form of the step the user's page showed. When the record has moved on meanwhile (another user, a double
    # click), that is refused unread, and what was typed comes back beside the current step's form (next_action).
    shown = workflow.step_for(posted_status) or record.step
    form_class = workflow.step_form(shown) if shown is not None else StepForm
    form = form_class(request.POST, request.FILES, record=record, user=request.user)
    if posted_status != record.status and posted_status in dict(workflow.status_choices):
        return render_page(step_form=form, status=400)
    if form.is_valid():
        try:
            taken = services.step_take(record, form=form, actor=request.user)
        except services.StepRefused as refused:
            for field, message in refused.errors:
                form.add_error(field if field in form.fields else None, message)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            chosen = form.cleaned_data["transition"]
            if chosen == services.SAVE_ONLY:
                messages.success(request, _("Isian tersimpan; langkah belum diselesaikan."))
            else:
                # What was done, in the button's words, and where the record stands now.
                messages.success(request, _("Langkah tercatat: %(action)s. Status sekarang: %(status)s.") % {
                    "action": workflow.transition_label(chosen), "status": taken.get_status_display(),
                })
            return redirect(record.get_absolute_url())
    return render_page(step_form=form, status=400)


def record_create(request, model, *, forms, create, render_page, created):
    """A new record's page, the same in every app: its forms, sent once.

    `forms(data)` builds the page's forms, bound to `data` (None: empty). The page carries a one-time token, so a
    double click or a page sent again records one record and leads to it. Valid, `create(forms, token)` saves
    the record (raising TransitionError to refuse) and the user lands on it with `created` (a message with
    %(number)s). Refused, `render_page(forms, token, status=400)` shows everything typed with the reasons.
    """
    if request.method != "POST":
        return render_page(forms(None), uuid.uuid4(), status=200)
    token = submission_token(request.POST.get("submission"))
    saved = _saved_by_token(request, model, token)
    if saved is not None:
        messages.info(request, _("Isian ini sudah tersimpan sebelumnya; tidak dicatat dua kali."))
        return redirect(saved)
    bound = forms(request.POST)
    if all([form.is_valid() for form in bound]):  # a list: every form validated, so each shows its errors
        try:
            record = create(bound, token)
        except TransitionError as error:
            saved = _saved_by_token(request, model, token)  # the same form, saved by a click a moment earlier
            if saved is not None:
                return redirect(saved)
            messages.error(request, str(error))
        else:
            messages.success(request, created % {"number": record.number})
            return redirect(record)
    else:
        messages.error(request, _("Periksa kembali isian yang ditandai. Tidak ada yang hilang dari isian Anda."))
    return render_page(bound, token, status=400)


def part_write(request, record, form, write, *, success, anchor, refused_page):
    """A part of a record's page written through its own form (a note, a referral, a document): a valid form runs
    `write(cleaned_data)`, and the user is back at the part (`anchor`) with `success`. Refused by the form or by
    the rule (TransitionError), `refused_page()` shows the record's page again, answered 400, with the form as
    filled and the reason in it."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(f"{record.get_absolute_url()}#{anchor}")
    messages.error(request, _("Belum tersimpan: periksa isian yang ditandai. Tidak ada yang hilang dari isian Anda."))
    return refused_page()


def _saved_by_token(request, model, token):
    return model.objects.visible_to(request.user).filter(submission=token).first() if token else None


@login_required
@post_only(_record_page)
def attachment_upload(request, app, pk):
    record = _record_or_404(request, app, pk)
    form = AttachmentForm(record.workflow, request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return _back_to(record)
    try:
        services.attachment_add(record, kind=form.cleaned_data["kind"], file=form.cleaned_data["file"], actor=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Lampiran tersimpan."))
    return _back_to(record)


@require_safe
@login_required
def attachment_download(request, pk):
    """An attachment, to a user who may see its record; named by its kind and number, never by its content."""
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    model = attachment.content_type.model_class()
    if model not in sop_models().values():
        raise Http404
    record = get_record_or_404(request, model, attachment.object_id)
    if identity.keeps_from(request.user, record):
        raise Http404
    identity.log_access(
        record, request.user, IdentityAccessLog.Action.ATTACHMENT,
        what=_("Unduh lampiran %(number)s") % {"number": attachment.pk},
    )
    suffix = PurePosixPath(attachment.file.name).suffix
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=f"{attachment.kind}-{attachment.pk}{suffix}"
    )
    response["Content-Type"] = attachment.mime_type
    return response


# A record that keeps a person's identity (portal.identity): its access log, its printed documents, and opening
# its identity with a reason, the same for every such app.

ACCESS_LOG_PAGE_SIZE = 50


@require_safe
@login_required
def access_log(request, app, pk):
    """Every opening of the record's identity, for the heads who read the log (portal.identity.reads_access_log)."""
    record = _record_or_404(request, app, pk)
    if not identity.reads_access_log(request.user, record):
        raise PermissionDenied(_("Log akses dibaca oleh pimpinan yang membaca identitas pada layanan ini."))
    entries = Paginator(record.access_log.select_related("user"), ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/access_log.html", {
        "record": record, "page": entries, "list_url": type(record).get_list_url(record.service),
        "query": list_query(request),
    })


def identity_pdf(request, record, *, what, render_pdf, file_stem):
    """A printed document of a record that keeps an identity: only for whoever reads it, each print logged, the
    file named by the record's number (`file_stem`), never by the person. Use in a GET-only view: a HEAD request
    sends no file, so it must not write a print to the log."""
    if not identity.reads_identity(request.user, record):
        raise PermissionDenied(_("Dokumen ini dicetak oleh yang menangani berkas ini dan pimpinannya."))
    pdf = render_pdf()
    identity.log_access(record, request.user, IdentityAccessLog.Action.PRINT, what=what)
    return pdf_response(pdf, file_stem)


def identity_reveal(request, record, render_revealed):
    """An authorised user outside those who read the identity (the Kepala Dinas) opens it for this one page by
    writing why; the reason is logged. `render_revealed()` renders the record's page with the identity."""
    if identity.reads_identity(request.user, record):
        return redirect(record)
    if not identity.may_reveal(request.user, record):
        raise PermissionDenied(_("Identitas pada berkas ini hanya untuk yang menanganinya dan pimpinannya."))
    form = RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return redirect(record)
    identity.log_access(
        record, request.user, IdentityAccessLog.Action.REVEAL, what=_("Halaman berkas"), reason=form.cleaned_data["reason"]
    )
    return render_revealed()
