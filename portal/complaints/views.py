"""The complaint desk's pages: the public form and follow-up page (no sign-in), and the officers' register,
recording and handling pages."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.access import get_record_or_404
from portal.complaints import services
from portal.complaints.forms import FollowUpForm, InstructionForm, PublicComplaintForm, RecordedComplaintForm
from portal.complaints.models import Complaint, Desk, keyed_hash
from portal.forms import submission_token
from portal.lockout import client_address
from portal.models import Service, access_for
from portal.pagination import REGISTER_PAGE_SIZE, BoundedPaginator
from portal.selectors import services_where
from portal.services import pending_tasks
from portal.views import list_query, part_write, post_only, record_page, to_record
from portal.workflow import TransitionError

# The public pages answer this status to a refused flood, as HTTP says.
TOO_MANY_REQUESTS = 429


def _desk_for(service_slug):
    """The desk that takes complaints about the service `service_slug` (its agency's), or the first desk."""
    desks = list(Desk.objects.select_related("service__unit", "general_unit").order_by("service__name"))
    if not desks:
        raise Http404(_("Belum ada meja pengaduan."))
    service = Service.objects.filter(slug=service_slug).exclude(app="complaints").first() if service_slug else None
    if service is not None:
        for desk in desks:
            if desk.services().filter(pk=service.pk).exists():
                return desk, service
    return desks[0], None


@require_http_methods(["GET", "HEAD", "POST"])
def new(request):
    """The public form: a complaint, a suggestion or a question, about a service or in general."""
    desks = list(Desk.objects.select_related("service__unit", "general_unit").order_by("service__name"))
    slug = request.POST.get("layanan") or request.GET.get("layanan", "")
    desk, about = _desk_for(slug)
    if request.method != "POST":
        form = PublicComplaintForm(desk=desk, initial={"about": about, "kind": Complaint.Kind.COMPLAINT})
        return render(request, "complaints/new.html", {
            "form": form, "desk": desk, "desks": desks, "slug": slug, "token": uuid.uuid4(),
        })
    form = PublicComplaintForm(request.POST, request.FILES, desk=desk)
    token = submission_token(request.POST.get("submission")) or uuid.uuid4()
    # A bot's post is said to be received and saved nowhere; a second click of the same form files nothing more.
    if form.is_bot or Complaint.objects.filter(submission=token).exists():
        return redirect("complaints:sent")
    if form.is_valid():
        complaint = form.save(commit=False)
        complaint.submission = token
        try:
            complaint, code = services.complaint_submit(
                desk=desk, complaint=complaint, client_address=client_address(request) or "",
                evidence=form.cleaned_data["evidence"],
            )
        except TransitionError as error:
            messages.error(request, str(error))
            return render(request, "complaints/new.html", {"form": form, "desk": desk, "desks": desks, "slug": slug, "token": token},
                          status=TOO_MANY_REQUESTS)
        # Shown once, on the next page, and not in its address.
        request.session["complaint_sent"] = {"number": complaint.number, "code": code, "email": bool(complaint.email)}
        return redirect("complaints:sent")
    messages.error(request, _("Periksa kembali isian yang ditandai. Tidak ada yang hilang dari isian Anda."))
    return render(request, "complaints/new.html", {"form": form, "desk": desk, "desks": desks, "slug": slug, "token": token}, status=400)


@require_safe
def sent(request):
    receipt = request.session.pop("complaint_sent", None)
    return render(request, "complaints/sent.html", {"receipt": receipt})


def _follow_up_guesses(request):
    """How many follow-up codes this address tried this hour (the cache, shared by the workers)."""
    key = f"complaints:follow-up:{keyed_hash(client_address(request) or '')}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, 3600)
    return key


@require_http_methods(["GET", "HEAD", "POST"])
def follow_up(request):
    """A complaint's status and answers, for whoever holds its number and code: sent by POST, so the code never
    lands in an address or a log. Nothing else of the complaint is shown."""
    if request.method != "POST":
        return render(request, "complaints/follow_up.html", {"form": FollowUpForm()})
    form = FollowUpForm(request.POST)
    key = _follow_up_guesses(request)
    if cache.get(key, 0) >= services.FOLLOW_UP_LIMIT_PER_HOUR:
        messages.error(request, _("Terlalu banyak percobaan dari alamat jaringan ini. Coba lagi satu jam lagi."))
        return render(request, "complaints/follow_up.html", {"form": form}, status=TOO_MANY_REQUESTS)
    if not form.is_valid():
        return render(request, "complaints/follow_up.html", {"form": form}, status=400)
    cache.incr(key)
    complaint = services.follow_up_find(form.cleaned_data["number"], form.cleaned_data["code"])
    if complaint is None:
        form.add_error(None, _("Nomor atau kode tidak cocok. Periksa kembali keduanya."))
        return render(request, "complaints/follow_up.html", {"form": form}, status=404)
    return render(request, "complaints/follow_up.html", {
        "form": FollowUpForm(), "complaint": complaint, "replies": list(complaint.replies.all()),
    })


def _desks_of(user):
    return services_where(user, "complaints", Complaint.workflow.access_roles, below=True)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def record(request, slug):
    """An officer records a complaint that came in person, by telephone, letter, e-mail, Instagram or the website."""
    service = get_object_or_404(Service, slug=slug, app="complaints")
    if service not in _desks_of(request.user):
        raise Http404
    desk = get_object_or_404(Desk.objects.select_related("service__unit", "general_unit"), service=service)
    form = RecordedComplaintForm(request.POST or None, desk=desk, initial={"kind": Complaint.Kind.COMPLAINT})
    token = submission_token(request.POST.get("submission")) or uuid.uuid4()
    if request.method == "POST":
        saved = Complaint.objects.visible_to(request.user).filter(submission=token).first()
        if saved is not None:
            messages.info(request, _("Isian ini sudah tersimpan sebelumnya; tidak dicatat dua kali."))
            return redirect(saved)
        if form.is_valid():
            complaint = form.save(commit=False)
            complaint.submission = token
            try:
                complaint, code = services.complaint_record(desk=desk, complaint=complaint, actor=request.user)
            except TransitionError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _(
                    "Pengaduan %(number)s tercatat. Berikan kepada pengadu nomor ini dan kode tindak lanjutnya: "
                    "%(code)s (kode ini hanya ditampilkan sekali)."
                ) % {"number": complaint.number, "code": code})
                if Complaint.objects.visible_to(request.user).filter(pk=complaint.pk).exists():
                    return redirect(complaint)
                return redirect("complaints:register")
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Tidak ada yang hilang dari isian Anda."))
        return render(request, "complaints/record.html", {"form": form, "desk": desk, "token": token}, status=400)
    return render(request, "complaints/record.html", {"form": form, "desk": desk, "token": token})


@login_required
@require_safe
def register(request):
    desks = _desks_of(request.user)
    if not desks:
        raise Http404
    found = Complaint.objects.visible_to(request.user).select_related("about", "unit")
    status = request.GET.get("status", "terbuka")
    if "tugas" in request.GET or status == "tugas":  # the start page's "every complaint waiting for me" (portal.selectors.WAITING_QUERY)
        status = "tugas"
        found = found.open().filter(access_for(request.user).waiting_filter(Complaint)).order_by("due_at", "-pk")
    elif status == "terbuka":
        found = found.open().order_by("due_at", "-created_at", "-pk")
    elif status == "terlambat":
        found = found.overdue().order_by("due_at", "-pk")
    else:
        status = "semua"
        found = found.order_by("-created_at", "-pk")
    query = request.GET.get("q", "").strip()[:20]
    if query:
        sequence, _slash, year = query.partition("/")
        if sequence.isdigit():
            found = found.filter(Q(sequence=int(sequence)) & (Q(year=int(year)) if year.isdigit() else Q()))
        else:
            found = found.none()
    page = BoundedPaginator(found, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/register.html", {
        "page": page, "rows": list(page.object_list), "status": status, "q": query, "query": list_query(request),
        "start_services": desks, "start_url_name": Complaint.start_url_name,
        "start_label": Complaint.workflow.start_action,
    })


def _complaint(request, pk):
    return get_record_or_404(request, Complaint, pk, select_related=("service", "unit", "about", "instructed_by"))


def _detail(request, complaint, *, step_form=None, instruction_form=None, status=200):
    tasks = pending_tasks(complaint, request.user) if complaint.is_open else []
    return render(request, "complaints/detail.html", {
        "complaint": complaint,
        "step_form": step_form,
        "replies": list(complaint.replies.select_related("author")),
        "instruction_form": instruction_form or (InstructionForm() if tasks else None),
    }, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request, pk):
    complaint = _complaint(request, pk)
    return record_page(request, complaint, lambda *, step_form, status: _detail(
        request, complaint, step_form=step_form, status=status
    ))


@login_required
@post_only(to_record("complaints:detail"))
def instruct(request, pk):
    complaint = _complaint(request, pk)
    if not pending_tasks(complaint, request.user):
        messages.error(request, _("Arahan diberikan oleh pimpinan atas pengaduan yang melewati batas waktu."))
        return redirect(complaint)
    form = InstructionForm(request.POST)
    return part_write(
        request, complaint, form,
        lambda data: services.instruction_give(complaint, text=data["instruction"], actor=request.user),
        success=_("Arahan tersimpan."), anchor="arahan",
        refused_page=lambda: _detail(request, complaint, instruction_form=form, status=400),
    )
