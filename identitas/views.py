"""Pages of the PPKS identity facilitation.

Every facilitation is fetched through portal.access.get_record_or_404. The person, the reporter, the team's
notes, the issued documents and the follow-ups are shown only to whom portal.identity says reads them (the
Tim Kerja and the Kabid), and every showing is logged; others who see the record (the Kepala Dinas) see it
without the person. The facilitation's page is where its step is taken (portal.views.record_page); the record's
parts (documents issued, follow-ups, waits, waivers) have their own small forms, written through
identitas.services. A refused write changes nothing and answers 400 with the page and the form as typed.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from identitas import documents, evaluation, policy, services
from identitas.forms import (
    CategoryForm,
    DocumentForm,
    FacilitationFilterForm,
    FacilitationForm,
    FollowUpForm,
    PersonForm,
    ReporterForm,
    WaiverForm,
)
from identitas.models import AccessLog, DisdukcapilWait, Facilitation, FollowUp
from identitas.policy import REQUIREMENTS
from identitas.workflow import REJECTED
from portal import identity, periods
from portal.access import get_record_or_404
from portal.models import Kecamatan, Service, Unit, access_for
from portal.pagination import REGISTER_PAGE_SIZE, BoundedPaginator
from portal.pdf import pdf_response
from portal.roles import Role
from portal.selectors import services_where
from portal.views import identity_pdf, list_query, part_write, post_only, record_create, record_page, to_record
from portal.workflow import TransitionError

# Issued documents are recorded in the accompaniment and, when late, with the result report (services.document_add).
DOCUMENT_STATUSES = ("accompaniment", "result_report")
LEADERSHIP_ROLES = {Role.HEAD, Role.AGENCY_HEAD}

# A reload of the page a refused form came back on asks its address by GET: back to the record, not a 405.
record_write = post_only(to_record("identitas:detail"))


def _facilitation(request, pk):
    return get_record_or_404(
        request, Facilitation, pk,
        # The unit's parents: its working calendar (the clock) walks them.
        select_related=("service", "service__unit", "unit__parent__parent", "category", "kecamatan", "officer"),
    )


# The register: the facilitations the user sees; the person, masked, only on the rows whose identity they read.


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def register(request):
    """Filters come by GET; a search by name or NIK comes by POST, so that it never lands in a URL (the browser's
    history, the server's log), and only from whom reads identities; a search by GET finds numbers only."""
    user = request.user
    seen = services_where(user, "identitas", Facilitation.workflow.access_roles)
    if not seen:
        raise Http404
    reader = bool(identity.reader_units(user, Facilitation.workflow))
    searched = ""
    if request.method == "POST":
        if not reader:
            raise PermissionDenied(_("Pencarian nama atau NIK hanya untuk Tim Kerja dan Kabid."))
        searched = request.POST.get("q", "").strip()[:100]
    form = FacilitationFilterForm(request.GET, kecamatan=_kecamatan_of(seen))
    filters = _register_filters(form.filters, user, search=searched)
    found = (
        Facilitation.objects.visible_to(user)
        .filter(filters["condition"])
        .annotate(
            reads_identity=identity.reads_identity_annotation(user, Facilitation),
            wait_started=Subquery(
                DisdukcapilWait.objects.filter(facilitation=OuterRef("pk"), ended_at=None).values("started_at")[:1]
            ),
        )
        .select_related("unit", "category", "kecamatan", "officer")
        .order_by("-received_at", "-pk")
    )
    page = BoundedPaginator(found, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    identity.attach_masked_identity(rows)
    policy.register_minutes(rows)
    identity.log_list_view(rows, user, _("Daftar fasilitasi"))
    return render(request, "identitas/register.html", {
        "page": page,
        "rows": rows,
        "filters": filters,
        "reader": reader,
        "searched": searched,
        "query": list_query(request),
        "filter_form": form,
        "start_services": [service for service in seen if Facilitation.may_start(service, user)],
        "start_url_name": Facilitation.start_url_name,
        "start_label": Facilitation.workflow.start_action,
        "evaluates": bool(services_where(user, "identitas", LEADERSHIP_ROLES)),
        "time_standard": Facilitation.TIME_STANDARD_MINUTES,
    })


def _register_filters(chosen, user, *, search):
    """The register's condition from the valid filters (FacilitationFilterForm.filters) and the POSTed search."""
    waiting = "tugas" in chosen
    open_ = ~Q(status__in=Facilitation.workflow.final_statuses)
    condition = Q() if waiting else {
        "terbuka": open_,
        "terlambat": open_ & Q(due_at__lt=timezone.now()),
        "selesai": Q(status="selesai"),
        "ditolak": Q(status=REJECTED),
        "semua": Q(),
    }[chosen["status"]]
    if waiting:
        condition &= access_for(user).waiting_filter(Facilitation)
    if "kecamatan" in chosen:
        condition &= Q(kecamatan=chosen["kecamatan"])
    if "jenis" in chosen:
        condition &= Q(category=chosen["jenis"])
    text = search or chosen.get("q", "").strip()
    if text:
        condition &= identity.search(text, user, Facilitation, by_identity=bool(search))
    return {"condition": condition, "waiting": waiting}


def _kecamatan_of(seen):
    """The kecamatan of the regencies above the services the user sees: the register's kecamatan filter."""
    regencies = {unit.pk for service in seen for unit in [service.unit, *service.unit.ancestors()] if unit.kind == Unit.Kind.GOVERNMENT}
    return Kecamatan.objects.filter(regency__in=regencies)


# Recording a new report: step 1.


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def create(request, service):
    service = get_object_or_404(Service.objects.select_related("unit"), slug=service, app="identitas")
    if service not in services_where(request.user, "identitas", Facilitation.workflow.access_roles):
        raise Http404
    if not Facilitation.may_start(service, request.user):
        raise PermissionDenied(_("Laporan baru dicatat oleh Tim Kerja layanan ini."))

    def forms(data):
        return [FacilitationForm(data, prefix="laporan"), PersonForm(data, prefix="ppks"), ReporterForm(data, prefix="pelapor")]

    def create_facilitation(forms, token):
        facilitation_form, person_form, reporter_form = forms
        return services.facilitation_create(
            service=service, actor=request.user,
            facilitation=facilitation_form.save(commit=False),
            person=person_form.save(commit=False),
            reporter=reporter_form.save(commit=False),
            report=facilitation_form.cleaned_data["report"],
            submission=token,
        )

    def render_page(forms, token, status):
        facilitation_form, person_form, reporter_form = forms
        return render(request, "identitas/create.html", {
            "service": service, "facilitation_form": facilitation_form, "person_form": person_form,
            "reporter_form": reporter_form, "submission": token,
        }, status=status)

    return record_create(
        request, Facilitation, forms=forms, create=create_facilitation, render_page=render_page,
        created=_("Laporan tercatat sebagai fasilitasi %(number)s."),
    )


# The facilitation's page: what names no one for everyone who sees it; the person and the work for the team. Its
# step is taken on it (portal.views.record_page); the parts' forms post to their own addresses.


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def detail(request, pk):
    facilitation = _facilitation(request, pk)
    return record_page(request, facilitation, lambda *, step_form, status: _detail(
        request, facilitation, step_form=step_form, status=status
    ))


def _clock(facilitation):
    """The agency's clock as the page shows it: working minutes used of 300, and whether it is stopped."""
    declined = facilitation.status == REJECTED
    minutes = None if declined else policy.agency_minutes(facilitation)
    limit = Facilitation.TIME_STANDARD_MINUTES
    return {
        "minutes": minutes,
        "limit": limit,
        "declined": declined,
        "reported": facilitation.result_reported_at is not None,
        "waiting": policy.open_wait(facilitation) if facilitation.is_open else None,
        "missed": facilitation.standard_missed if facilitation.agency_minutes is not None else (minutes or 0) > limit,
        "overdue": facilitation.is_overdue(),
    }


def _detail(request, facilitation, *, step_form=None, bound=None, status=200):
    """Render the facilitation's page. `step_form`: the step's form refused (record_page); `bound`: a part's
    form refused, shown again as the user filled it."""
    user = request.user
    reads = identity.reads_identity(user, facilitation)
    prefetch_related_objects([facilitation], "waits")
    context = {
        "facilitation": facilitation,
        "step_form": step_form,
        "reads_identity": reads,
        "is_kabid": policy.is_kabid(user, facilitation),
        "reads_access_log": identity.reads_access_log(user, facilitation),
        "clock": _clock(facilitation),
        "waits": list(facilitation.waits.all()),
        "forms": {},  # none for a closed record or a reader of no identity
    }
    if reads:
        notes = facilitation.notes
        context.update({
            "person": facilitation.person,
            "reporter": facilitation.reporter,
            "notes": notes,
            "desa": notes.desa,
            "requirements": [] if facilitation.status == REJECTED else policy.requirements_of(facilitation),
            "documents": list(facilitation.documents.all()),
            "follow_ups": list(facilitation.follow_ups.all()),
        })
        identity.log_access(facilitation, user, AccessLog.Action.VIEW, what=_("Halaman fasilitasi"))
        if facilitation.is_open:
            context["unmet"] = any(not requirement.met for requirement in context["requirements"])
            context["waivable"] = any(requirement.waivable for requirement in context["requirements"])
            context["waiver_refusal"] = services.waiver_refusal(facilitation, user)
            context["forms"] = _part_forms(facilitation, context, bound or {})
    return render(request, "identitas/detail.html", context, status=status)


def _part_forms(facilitation, context, bound):
    """The forms of the record's parts, for the Tim Kerja and the Kabid; a refused one as typed."""
    initial = {"expected_status": facilitation.status}
    forms = {}
    if "document" in bound:  # shown again as typed, even when the record moved on meanwhile
        forms["document"] = bound["document"]
    elif facilitation.status in DOCUMENT_STATUSES:
        forms["document"] = DocumentForm(initial={**initial, "issued_on": timezone.localdate()})
    # The Kabid's waivers, of the requirements still to be had.
    forms["waivers"] = {}
    for requirement in context["requirements"]:
        if f"waiver:{requirement.kind}" in bound:
            forms["waivers"][requirement.kind] = bound[f"waiver:{requirement.kind}"]
        elif requirement.waivable and not context["waiver_refusal"]:
            forms["waivers"][requirement.kind] = WaiverForm(requirement=requirement.kind, initial=initial)
    forms["follow_ups"] = {
        follow_up.kind: bound.get(f"follow_up:{follow_up.kind}") or FollowUpForm(kind=follow_up.kind, initial={
            **initial, "state": follow_up.state, "done_on": follow_up.done_on, "note": follow_up.note,
        })
        for follow_up in context["follow_ups"]
    }
    return forms


def _act(request, facilitation, form, act, *, key, success, anchor):
    """Write a part of the facilitation page (portal.views.part_write); refused, the page comes back with the form
    as `key`."""
    return part_write(request, facilitation, form, act, success=success, anchor=anchor,
                      refused_page=lambda: _detail(request, facilitation, bound={key: form}, status=400))


@login_required
@record_write
def document_add(request, pk):
    facilitation = _facilitation(request, pk)
    form = DocumentForm(request.POST)
    if form.is_valid() and facilitation.documents.filter(submission=form.cleaned_data["submission"]).exists():
        messages.info(request, _("Isian ini sudah tersimpan sebelumnya; tidak disimpan dua kali."))
        return redirect(f"{facilitation.get_absolute_url()}#dokumen")
    return _act(request, facilitation, form, lambda data: services.document_add(
        facilitation, actor=request.user, expected_status=data["expected_status"], kind=data["kind"],
        number=data["number"], issued_on=data["issued_on"], submission=data["submission"],
    ), key="document", success=_("Dokumen yang terbit tercatat."), anchor="dokumen")


@login_required
@record_write
def follow_up(request, pk):
    facilitation = _facilitation(request, pk)
    kind = request.POST.get("kind", "")
    if kind not in FollowUp.Kind.values:
        raise Http404
    form = FollowUpForm(request.POST, kind=kind)
    return _act(request, facilitation, form, lambda data: services.follow_up_update(
        facilitation, actor=request.user, expected_status=data["expected_status"], kind=kind, state=data["state"],
        done_on=data["done_on"], note=data["note"],
    ), key=f"follow_up:{kind}", success=_("Tindak lanjut tersimpan."), anchor="tindak-lanjut")


@login_required
@record_write
def requirement_waive(request, pk):
    facilitation = _facilitation(request, pk)
    requirement = request.POST.get("requirement", "")
    if requirement not in REQUIREMENTS:
        raise Http404
    form = WaiverForm(request.POST, requirement=requirement)
    return _act(request, facilitation, form, lambda data: services.requirement_waive(
        facilitation, actor=request.user, expected_status=data["expected_status"], requirement=requirement,
        reason=data["reason"],
    ), key=f"waiver:{requirement}", success=_("Persyaratan dikesampingkan."), anchor="persyaratan")


def _button(request, pk, act, success):
    """A button with no fields but the status the user saw; refused, the page comes back (400) with the reason."""
    facilitation = _facilitation(request, pk)
    try:
        act(facilitation, actor=request.user, expected_status=request.POST.get("expected_status", ""))
    except TransitionError as error:
        messages.error(request, str(error))
        return _detail(request, facilitation, status=400)
    messages.success(request, success)
    return redirect(f"{facilitation.get_absolute_url()}#jam")


@login_required
@record_write
def wait_start(request, pk):
    return _button(request, pk, services.wait_start, _("Menunggu Disdukcapil: waktu layanan dihentikan sementara."))


@login_required
@record_write
def wait_end(request, pk):
    return _button(request, pk, services.wait_end, _("Hasil Disdukcapil diterima: waktu layanan berjalan lagi."))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def identity_edit(request, pk):
    facilitation = _facilitation(request, pk)
    if not identity.reads_identity(request.user, facilitation) or not facilitation.is_open:
        raise PermissionDenied(_("Identitas diubah oleh Tim Kerja dan Kabid selama fasilitasi masih berjalan."))
    data = request.POST if request.method == "POST" else None
    person_form = PersonForm(data, instance=facilitation.person, prefix="ppks")
    reporter_form = ReporterForm(data, instance=facilitation.reporter, prefix="pelapor")
    category_form = CategoryForm(data, instance=facilitation, prefix="laporan")
    status = 200
    if data is None:
        identity.log_access(facilitation, request.user, AccessLog.Action.VIEW, what=_("Ubah identitas"))
    elif all([person_form.is_valid(), reporter_form.is_valid(), category_form.is_valid()]):
        try:
            services.identity_update(
                facilitation, actor=request.user, expected_status=request.POST.get("expected_status", ""),
                person=person_form.save(commit=False), reporter=reporter_form.save(commit=False),
                fields={"category": category_form.cleaned_data["category"]},
            )
        except TransitionError as error:
            messages.error(request, str(error))
            status = 400
        else:
            messages.success(request, _("Identitas PPKS dan pelapor tersimpan."))
            return redirect(facilitation)
    else:
        messages.error(request, _("Periksa kembali isian yang ditandai. Tidak ada yang hilang dari isian Anda."))
        status = 400
    return render(request, "identitas/identity_edit.html", {
        "facilitation": facilitation, "person_form": person_form, "reporter_form": reporter_form,
        "category_form": category_form,
    }, status=status)


# Printed documents: for the Tim Kerja and the Kabid, each print logged, files named by the number only
# (portal.views.identity_pdf). GET only: a HEAD request sends no file, so it must not write a print to the log.
# The result report is made off the request (identitas.documents.DOWNLOADS, portal.downloads).


@require_GET
@login_required
def decline_letter_pdf(request, pk):
    facilitation = _facilitation(request, pk)
    if facilitation.status != REJECTED:
        raise Http404(_("Fasilitasi ini tidak ditolak."))
    return identity_pdf(
        request, facilitation, what=_("Surat jawaban kepada pelapor"),
        render_pdf=lambda: documents.decline_letter_pdf(facilitation, user=request.user),
        file_stem=f"surat-jawaban-{facilitation.file_stem}",
    )


# The quarterly evaluation (identitas.evaluation), for the leadership: the service unit's heads and those above.


def _evaluation_request(request):
    """The service and quarter asked (portal.periods.report_request). 404 for anyone but the leadership and for a
    service they do not lead."""
    services = services_where(request.user, "identitas", LEADERSHIP_ROLES)
    if not services:
        raise Http404(_("Evaluasi kinerja dibaca oleh pimpinan layanan."))
    return periods.report_request(request.GET, services)


@require_safe
@login_required
def evaluation_page(request):
    report = _evaluation_request(request)
    if report.error:
        messages.error(request, report.error)
    query = urlencode({"layanan": report.service.slug, "periode": report.quarter.code})
    return render(request, "identitas/evaluation.html", {
        "evaluation": evaluation.quarter_evaluation(report.service, report.quarter),
        "service": report.service,
        "services": report.services,
        "quarter": report.quarter,
        "quarters": report.quarters,
        "query": query,
        "pdf_url": f"{reverse('identitas:evaluation_pdf')}?{query}",
    })


@require_GET
@login_required
def evaluation_pdf(request):
    report = _evaluation_request(request)
    if report.error:
        # The page links only the quarter it shows: another file under a name the user did not ask for would mislead.
        raise Http404(report.error)
    service, quarter = report.service, report.quarter
    pdf = evaluation.evaluation_pdf(evaluation.quarter_evaluation(service, quarter))
    AccessLog.objects.create(
        unit=service.unit, user=request.user, action=AccessLog.Action.EXPORT,
        what=_("Evaluasi kinerja %(quarter)s") % {"quarter": quarter.label},
    )
    return pdf_response(pdf, f"evaluasi-{service.slug}-{quarter.code}")
