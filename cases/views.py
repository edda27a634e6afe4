"""P2TP2A pages. Every case is fetched through portal.access.get_record_or_404; identity is shown only where
cases.services says the user reads it, and every showing is logged."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from cases import disclosure, documents, services
from cases.forms import (
    CaseFilterForm,
    CaseForm,
    ConsentForm,
    MilestoneForm,
    NotesForm,
    PerpetratorFormSet,
    ReferralForm,
    ReferralUpdateForm,
    ReporterForm,
    TeamForm,
    VictimForm,
)
from cases.models import AccessLog, Case, CaseNotes, Referral, Reporter, TeamMember, Victim, head_units
from cases.recap import FIRST_MONTH, monthly_recap, parse_month, pdf_bytes, xlsx_bytes
from cases.services import SERVICE_STEPS
from portal import identity
from portal.access import get_record_or_404
from portal.exports import xlsx_response
from portal.forms import RevealForm, StatusForm
from portal.models import Kecamatan, Service, Unit, access_for
from portal.pagination import REGISTER_PAGE_SIZE, BoundedPaginator, bounded_count
from portal.pdf import pdf_response
from portal.views import (
    identity_pdf,
    identity_reveal,
    list_query,
    part_write,
    post_only,
    record_create,
    record_page,
    to_record,
)
from portal.workflow import TransitionError

# The heads' banner counts open high-risk cases up to this many ("lebih dari 100").
HIGH_RISK_COUNT_LIMIT = 100
# The case's own fields the intake and identity forms edit (violence types, an M2M, go separately).
CASE_FIELDS = ("channel", "risk", "incident_date", "place_type", "kecamatan")

# A reload of the page a refused form came back on asks its address by GET: back to the record, not a 405.
record_write = post_only(to_record("cases:detail"))


def _case(request, pk):
    return get_record_or_404(
        request, Case, pk, select_related=(
            # The unit's parents: a referral's partners are theirs too (ReferralForm).
            "service", "service__unit", "unit__parent__parent", "kecamatan", "place_type", "assessment_approved_by",
            "spt_issued_by",
        ),
    )


# The register: every case the user sees, with identities only on the rows they may read.


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def register(request):
    """The register. Filters come by GET; a search by name or NIK comes by POST, so that it never lands in a
    URL (the browser's history, the server's log); a search by GET finds case numbers only."""
    user = request.user
    if not access_for(user).units_where(Case.workflow.access_roles):
        raise Http404
    cases = Case.objects.visible_to(user)
    searched = request.POST.get("q", "").strip()[:100]
    form = CaseFilterForm(request.GET, kecamatan=_kecamatan_of(user))
    filters = _register_filters(form.filters, user, cases, search=searched)
    found = cases.filter(filters["condition"]).annotate(reads_identity=identity.reads_identity_annotation(user, Case))
    ordered = found.order_by(F("due_at").asc(nulls_last=True), "-pk") if filters["open_only"] else found.order_by("-created_at", "-pk")
    page = BoundedPaginator(ordered.select_related("kecamatan", "place_type"), REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _attach_register_details(rows, cases)
    identity.log_list_view(rows, user, _("Daftar kasus"))
    high_risk = (0, False)
    if _heads_any(user):
        high_risk = bounded_count(cases.open().filter(risk=Case.Risk.HIGH), HIGH_RISK_COUNT_LIMIT)
    return render(request, "cases/register.html", {
        "page": page,
        "rows": rows,
        "filters": filters,
        "filter_form": form,
        "searched": searched,
        "query": list_query(request),
        "start_services": _start_services(user),
        "start_url_name": Case.start_url_name,
        "start_label": Case.workflow.start_action,
        "high_risk_open": high_risk[0],
        "high_risk_more": high_risk[1],
    })


def _register_filters(chosen, user, cases, *, search):
    """The register's condition from the valid filters (CaseFilterForm.filters) and the POSTed search."""
    status = chosen["status"]
    final = Case.workflow.final_statuses
    condition = ~Q(status__in=final) if status == "terbuka" else Q() if status == "semua" else Q(status=status)
    if "risk" in chosen:
        condition &= Q(risk=chosen["risk"])
    if "kecamatan" in chosen:
        condition &= disclosure.filter_as_shown(user, cases, "kecamatan", chosen["kecamatan"].pk)
    if "jenis" in chosen:
        condition &= disclosure.filter_as_shown(user, cases, "violence_types", chosen["jenis"].pk)
    if "terlambat" in chosen:
        condition &= Q(due_at__lt=timezone.now()) & ~Q(status__in=final)
    if "tim" in chosen:
        condition &= Q(Exists(TeamMember.objects.filter(case=OuterRef("pk"), user=user, ended_at=None)))
    # The start page's "Lihat semua" (portal.selectors.WAITING_QUERY): every case waiting for the user now.
    if "tugas" in chosen:
        condition &= access_for(user).waiting_filter(Case)
    text = search or chosen.get("q", "").strip()
    if text:
        condition &= identity.search(text, user, Case, by_identity=bool(search))
    return {"condition": condition, "open_only": status == "terbuka", "waiting": "tugas" in chosen}


def _attach_register_details(rows, cases):
    """The facts each row shows the user (cases.disclosure), and name and masked NIK for the rows the user reads:
    a fixed number of queries, however many rows."""
    through = Case.violence_types.through.objects.filter(case_id__in=[r.pk for r in rows]).select_related("violencetype")
    types = {}
    for link in through:
        types.setdefault(link.case_id, []).append(link.violencetype)
    readable = {r.pk for r in rows if r.reads_identity}
    disclosure.attach_facts(rows, cases=cases, readable=readable, types=types)
    identity.attach_masked_identity(rows)


def _kecamatan_of(user):
    """The kecamatan of the regencies the user's P2TP2A units belong to: the register's kecamatan filter."""
    access = access_for(user)
    chain = {above for unit in access.units_where(Case.workflow.access_roles) for above in access.tree.above(unit)}
    return Kecamatan.objects.filter(regency__in=chain, regency__kind=Unit.Kind.GOVERNMENT)


def _heads_any(user):
    return bool(head_units(user))


def _may_start(user, service):
    access = access_for(user)
    roles = access.roles_in(service.unit_id)
    return any(access.satisfies(actor, roles, service.unit_id) for actor in Case.workflow.start_actors())


def _start_services(user):
    """The P2TP2A services where the user may record a new report."""
    return [service for service in Service.objects.filter(app="cases").select_related("unit") if _may_start(user, service)]


# Recording a new report (steps 1-2 begin here).


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def create(request, service):
    service = get_object_or_404(Service.objects.select_related("unit"), slug=service, app="cases")
    if not _may_start(request.user, service):
        raise PermissionDenied(_("Laporan baru dicatat oleh petugas P2TP2A, atau Ketua/Sekretarisnya."))
    unit = service.unit

    def forms(data):
        return [
            CaseForm(data, unit=unit, prefix="kasus"), VictimForm(data, unit=unit, prefix="korban"),
            ReporterForm(data, prefix="pelapor"), PerpetratorFormSet(data, prefix="pelaku"),
        ]

    def create_case(forms, token):
        case_form, victim_form, reporter_form, perpetrators = forms
        return services.case_create(
            service=service,
            actor=request.user,
            case=case_form.save(commit=False),
            victim=victim_form.save(commit=False),
            reporter=reporter_form.save(commit=False),
            perpetrators=[f.save(commit=False) for f in perpetrators.forms if f.has_changed()],
            violence_types=case_form.cleaned_data["violence_types"],
            chronology=case_form.cleaned_data["chronology"],
            submission=token,
        )

    def render_page(forms, token, status):
        case_form, victim_form, reporter_form, perpetrators = forms
        return render(request, "cases/create.html", {
            "service": service, "case_form": case_form, "victim_form": victim_form, "reporter_form": reporter_form,
            "perpetrators": perpetrators, "submission": token,
        }, status=status)

    return record_create(
        request, Case, forms=forms, create=create_case, render_page=render_page,
        created=_("Laporan tercatat sebagai kasus %(number)s."),
    )


# The case page: the register's facts for everyone who sees the case; identity and work for its team.


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def detail(request, pk):
    """The case page, where the case's current step is taken (portal.views.record_page)."""
    case = _case(request, pk)
    return record_page(request, case, lambda *, step_form, status: _detail(
        request, case, step_form=step_form, status=status
    ))


def _detail(request, case, *, revealed=False, bound=None, step_form=None, status=200):
    """Render the case page. `bound`: section forms that failed, shown again as the user filled them; `step_form`:
    the step's form when it came back refused."""
    user = request.user
    reads = identity.reads_identity(user, case)
    shows_identity = reads or revealed
    disclosure.attach_facts(
        [case], cases=Case.objects.visible_to(user), readable={case.pk} if shows_identity else set(),
        types={case.pk: list(case.violence_types.all())},
    )
    context = {
        "case": case,
        "step_form": step_form,
        "reads_identity": reads,
        "revealed": revealed,
        "identity": shows_identity,
        "reveal_form": RevealForm() if not reads and not revealed and identity.may_reveal(user, case) else None,
        "is_head": services.is_team_head(user, case),
        "forms": {},  # none on a revealed page; absent, the template's lookups log the whole context at DEBUG
    }
    if shows_identity:
        parts = services.identity_parts(case)
        context.update(parts)
        context["team"] = list(case.team.filter(ended_at=None).select_related("user", "assigned_by"))
        context["consents"] = services.consent_state(case)
        context["consent_labels"] = dict(ConsentForm.base_fields["scope"].choices)
        context["referrals"] = list(
            case.referrals.select_related("service_type", "partner", "created_by").prefetch_related("milestones")
        )
        if not revealed:
            identity.log_access(case, user, AccessLog.Action.VIEW, what=_("Halaman kasus"))
    if reads and not revealed:
        context["forms"] = _work_forms(case, user, context, bound or {})
    if shows_identity:
        # The earlier versions of a note are read by those who read the notes themselves, not on a revealed page.
        versions = services.note_versions(case) if reads and not revealed else {}
        context["notes_shown"] = _notes_shown(context["notes"], versions, context["forms"].get("notes", {}))
    return render(request, "cases/detail.html", context, status=status)


def _notes_shown(notes, versions, forms):
    """The notes the page shows: each one's text, its versions (the latest first) and its correction form, when
    there is one."""
    shown = []
    for name in CaseNotes.NARRATIVE:
        text, written, form = getattr(notes, name), versions.get(name, []), forms.get(name)
        if text or written or form:
            shown.append({
                "field": name, "label": CaseNotes._meta.get_field(name).verbose_name, "text": text,
                "latest": written[-1] if written else None, "earlier": written[-2::-1], "form": form,
            })
    return shown


def _work_forms(case, user, context, bound):
    """The forms the team and its heads fill on the case page: those the rules let the user fill now, and those just
    sent and refused, as the user filled them. A closed case takes no more than the legal division's milestones."""
    initial = {"expected_status": case.status}
    notes = context["notes"]
    functions = services.team_functions(case, user)
    # The current step's notes are its form's (next_action). Another note is offered for correction when it holds a
    # text: left empty, there is none to correct.
    step_fields = case.workflow.step_form(case.step).base_fields if case.step else {}
    writable = [
        field for field in services.NOTE_RULES
        if getattr(notes, field) and field not in step_fields
        and not services.note_refusal(case, field, functions=functions, is_head=context["is_head"])
    ]
    forms = {
        "notes": {
            field: bound.get(f"notes:{field}") or NotesForm(field=field, initial={**initial, "text": getattr(notes, field)})
            for field in services.NOTE_RULES if f"notes:{field}" in bound or field in writable
        },
        "milestones": {
            referral.pk: bound.get(f"milestone:{referral.pk}")
            or MilestoneForm(auto_id=f"id_tahap{referral.pk}_%s", initial=initial)
            for referral in context["referrals"]
            if f"milestone:{referral.pk}" in bound or not services.milestone_refusal(case, referral, user)
        },
    }
    if not case.is_open:
        return forms
    forms["consent"] = bound.get("consent") or ConsentForm(initial=initial)
    # The Ketua's forms (cases.workflow: her tasks), and any of them sent and refused, with its reason.
    is_head = context["is_head"]
    offered = {
        "team": is_head, "team_end": is_head,
        "spt": is_head and case.status == "outreach" and not case.spt_issued_at,
        "approve": is_head and case.status == "assessment" and not case.assessment_approved_at and bool(notes.assessment),
    }
    for key, offer in offered.items():
        if key in bound or offer:
            forms[key] = bound.get(key) or (TeamForm(officers=_officers(case), initial=initial) if key == "team" else StatusForm(initial=initial))
    if case.assessment_approved_at and case.status in (*SERVICE_STEPS, "closure"):
        step = case.status if case.status in SERVICE_STEPS else None
        forms["referral"] = bound.get("referral") or ReferralForm(
            case=case, initial={**initial, "step": step, "referred_on": timezone.localdate()}
        )
    forms["referral_updates"] = {
        referral.pk: bound.get(f"referral:{referral.pk}") or ReferralUpdateForm(auto_id=f"id_rujukan{referral.pk}_%s", initial={
            **initial, "outcome": referral.outcome, "completed_on": referral.completed_on,
        })
        for referral in context["referrals"] if not referral.void_reason
    }
    return forms


def _officers(case):
    return services.team_candidates(case).order_by("first_name", "username")


@login_required
@record_write
def reveal(request, pk):
    """An authorised user outside the team opens the identity for this one page, with a reason that is logged."""
    case = _case(request, pk)
    return identity_reveal(request, case, lambda: _detail(request, case, revealed=True))


def _act(request, case, form, act, *, key, success, anchor):
    """Write a part of the case page (portal.views.part_write); refused, the page comes back with the form as `key`."""
    return part_write(request, case, form, act, success=success, anchor=anchor,
                      refused_page=lambda: _detail(request, case, bound={key: form}, status=400))


@login_required
@record_write
def notes_edit(request, pk, field):
    case = _case(request, pk)
    if field not in services.NOTE_RULES:
        raise Http404
    form = NotesForm(request.POST, field=field)
    return _act(request, case, form, lambda data: services.notes_update(
        case, actor=request.user, expected_status=data["expected_status"], field=field, text=data["text"],
    ), key=f"notes:{field}", success=_("Catatan tersimpan."), anchor="catatan")


@login_required
@record_write
def assessment_approve(request, pk):
    """The Ketua's task: approve the assessment the social worker saved (cases.workflow: Task "approve_assessment")."""
    case = _case(request, pk)
    form = StatusForm(request.POST)
    return _act(request, case, form, lambda data: services.assessment_approve(
        case, actor=request.user, expected_status=data["expected_status"],
    ), key="approve", success=_("Asesmen disetujui."), anchor="asesmen")


@login_required
@record_write
def spt_issue(request, pk):
    """The Ketua's task: issue and sign the outreach SPT (cases.workflow: Task "spt")."""
    case = _case(request, pk)
    form = StatusForm(request.POST)
    return _act(request, case, form, lambda data: services.spt_issue(
        case, actor=request.user, expected_status=data["expected_status"],
    ), key="spt", success=_("SPT penjangkauan diterbitkan."), anchor="dokumen")


@login_required
@record_write
def team_assign(request, pk):
    case = _case(request, pk)
    form = TeamForm(request.POST, officers=_officers(case))
    return _act(request, case, form, lambda data: services.team_assign(
        case, actor=request.user, expected_status=data["expected_status"], user=data["user"], function=data["function"],
    ), key="team", success=_("Anggota tim ditugaskan."), anchor="tim")


@login_required
@record_write
def team_end(request, pk, member):
    case = _case(request, pk)
    member = get_object_or_404(TeamMember, pk=member, case=case)
    form = StatusForm(request.POST)
    return _act(request, case, form, lambda data: services.team_end(
        member, actor=request.user, expected_status=data["expected_status"],
    ), key="team_end", success=_("Anggota tim dilepas dari kasus ini."), anchor="tim")


@login_required
@record_write
def consent(request, pk):
    case = _case(request, pk)
    form = ConsentForm(request.POST)
    return _act(request, case, form, lambda data: services.consent_record(
        case, actor=request.user, expected_status=data["expected_status"], scope=data["scope"], granted=data["granted"],
        given_by_guardian=data["given_by_guardian"], guardian_name=data["guardian_name"], submission=data["submission"],
    ), key="consent", success=_("Persetujuan tercatat."), anchor="persetujuan")


@login_required
@record_write
def referral_create(request, pk):
    case = _case(request, pk)
    form = ReferralForm(request.POST, case=case)
    return _act(request, case, form, lambda data: services.referral_create(
        case, actor=request.user, expected_status=data["expected_status"], referral=form.save(commit=False),
        override_reason=data["override_reason"], submission=data["submission"],
    ), key="referral", success=_("Rujukan tercatat."), anchor="rujukan")


def _referral(case, pk):
    return get_object_or_404(Referral.objects.select_related("case"), pk=pk, case=case)


@login_required
@record_write
def referral_update(request, pk, referral):
    case = _case(request, pk)
    referral = _referral(case, referral)
    form = ReferralUpdateForm(request.POST, auto_id=f"id_rujukan{referral.pk}_%s")
    return _act(request, case, form, lambda data: services.referral_update(
        referral, actor=request.user, expected_status=data["expected_status"], outcome=data["outcome"],
        completed_on=data["completed_on"], void_reason=data["void_reason"],
    ), key=f"referral:{referral.pk}", success=_("Rujukan diperbarui."), anchor=f"rujukan-{referral.pk}")


@login_required
@record_write
def milestone_add(request, pk, referral):
    case = _case(request, pk)
    referral = _referral(case, referral)
    form = MilestoneForm(request.POST, auto_id=f"id_tahap{referral.pk}_%s")
    return _act(request, case, form, lambda data: services.milestone_add(
        referral, actor=request.user, expected_status=data["expected_status"], kind=data["kind"], date=data["date"], note=data["note"],
        submission=data["submission"],
    ), key=f"milestone:{referral.pk}", success=_("Tahap proses hukum tercatat."), anchor=f"rujukan-{referral.pk}")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def identity_edit(request, pk):
    case = _case(request, pk)
    if not identity.reads_identity(request.user, case) or not case.is_open:
        raise PermissionDenied(_("Identitas diubah oleh tim kasus selama kasus masih berjalan."))
    victim = Victim.objects.get(case=case)
    reporter = Reporter.objects.filter(case=case).first() or Reporter(case=case)
    data = request.POST if request.method == "POST" else None
    victim_form = VictimForm(data, instance=victim, unit=case.unit, prefix="korban")
    reporter_form = ReporterForm(data, instance=reporter, prefix="pelapor")
    case_form = CaseForm(data, instance=case, unit=case.unit, prefix="kasus", with_chronology=False)
    perpetrators = PerpetratorFormSet(data, instance=case, prefix="pelaku")
    forms = [victim_form, reporter_form, case_form, perpetrators]
    status = 200
    if data is None:
        identity.log_access(case, request.user, AccessLog.Action.VIEW, what=_("Ubah identitas"))
    elif all(form.is_valid() for form in forms):
        try:
            services.identity_update(
                case, actor=request.user, expected_status=request.POST.get("expected_status", ""),
                victim=victim_form.save(commit=False),
                reporter=reporter_form.save(commit=False),
                perpetrators=[form.save(commit=False) for form in perpetrators.forms if form.has_changed()],
                case_fields={name: case_form.cleaned_data[name] for name in CASE_FIELDS},
                violence_types=case_form.cleaned_data["violence_types"],
            )
        except TransitionError as error:
            messages.error(request, str(error))
            status = 400
        else:
            messages.success(request, _("Identitas dan data kejadian tersimpan."))
            return redirect(case)
    else:
        messages.error(request, _("Periksa kembali isian yang ditandai. Tidak ada yang hilang dari isian Anda."))
        status = 400
    return render(request, "cases/identity_edit.html", {
        "case": case, "victim_form": victim_form, "reporter_form": reporter_form, "case_form": case_form,
        "perpetrators": perpetrators,
    }, status=status)


# Printed documents: for the team and its heads; each print is logged; files named by the case number only
# (portal.views.identity_pdf). GET only: a HEAD request sends no file, so it must not write a print to the log.
# The closure report is made off the request (cases.documents.DOWNLOADS, portal.downloads).


def _spt(case):
    if case.spt_issued_at is None:
        raise Http404(_("SPT penjangkauan belum diterbitkan."))
    return documents.spt_pdf(case)


@require_GET
@login_required
def spt_pdf(request, pk):
    case = _case(request, pk)
    return identity_pdf(
        request, case, what=_("SPT penjangkauan"), render_pdf=lambda: _spt(case), file_stem=f"spt-{case.file_stem}"
    )


def _referral_letter(referral):
    if referral.partner is None or referral.void_reason:
        raise Http404(_("Rujukan ini tidak memiliki surat."))
    return documents.referral_letter_pdf(referral)


@require_GET
@login_required
def referral_pdf(request, pk, referral):
    case = _case(request, pk)
    referral = _referral(case, referral)
    return identity_pdf(
        request, case, what=_("Surat rujukan %(number)s") % {"number": referral.pk},
        render_pdf=lambda: _referral_letter(referral), file_stem=f"rujukan-{case.file_stem}-{referral.pk}",
    )


# The monthly recap (cases.recap): anonymised, cells under 5 suppressed.

def _recap_service(user):
    """The P2TP2A service whose unit heads the recap and is written on its exports' log: the first one the user
    sees cases of, from its unit or above it (a head) or below it (a UPTD's officer). 404 for anyone else."""
    access = access_for(user)
    chain = {above for unit in access.units_where(Case.workflow.access_roles) for above in access.tree.above(unit)}
    service = Service.objects.filter(app="cases", unit__in=chain).select_related("unit").first()
    if service is None:
        raise Http404(_("Rekap bulanan hanya untuk P2TP2A."))
    return service


def _monthly_recap(user, year, month):
    return monthly_recap(Case.objects.visible_to(user), year, month, kecamatan=_kecamatan_of(user))


def _month_error(value, today):
    return _(
        "Bulan “%(value)s” tidak dikenali. Tulis bulan dengan format TTTT-BB, misalnya %(example)s, "
        "dari %(first)s sampai bulan ini."
    ) % {"value": value[:40], "example": f"{today:%Y-%m}", "first": FIRST_MONTH}


@require_safe
@login_required
def recap(request):
    service = _recap_service(request.user)
    value = request.GET.get("bulan", "")
    today = timezone.localdate()
    try:
        year, month = parse_month(value, today)
    except ValueError:
        year, month = today.year, today.month
        error = _month_error(value, today) + " " + _("Yang ditampilkan rekap bulan ini.")
    else:
        error = ""
    return render(request, "cases/recap.html", {
        "service": service,
        "recap": _monthly_recap(request.user, year, month),
        "error": error,
        "first_month": FIRST_MONTH,
        "this_month": f"{today:%Y-%m}",
    })


def _recap_export(request, respond):
    """A recap file, `respond(recap, unit)`, with its export written to the access log.

    A malformed ?bulan= is refused (400): the page links only the month it shows, so it comes from an edited
    link, and a file of another month would go out under a name the user did not ask for.
    """
    service = _recap_service(request.user)
    value = request.GET.get("bulan", "")
    today = timezone.localdate()
    try:
        year, month = parse_month(value, today)
    except ValueError:
        return HttpResponseBadRequest(_month_error(value, today), content_type="text/plain; charset=utf-8")
    recap = _monthly_recap(request.user, year, month)
    response = respond(recap, service.unit)
    AccessLog.objects.create(
        unit=service.unit, user=request.user, action=AccessLog.Action.EXPORT,
        what=_("Rekap bulanan %(month)s") % {"month": recap.month_code},
    )
    return response


def _recap_pdf_response(recap, unit):
    return pdf_response(pdf_bytes(recap, unit=unit), f"rekap-p2tp2a-{recap.month_code}")


def _recap_xlsx_response(recap, unit):
    return xlsx_response(xlsx_bytes(recap, unit=unit), f"rekap-p2tp2a-{recap.month_code}")


@require_GET
@login_required
def recap_pdf(request):
    return _recap_export(request, _recap_pdf_response)


@require_GET
@login_required
def recap_xlsx(request):
    return _recap_export(request, _recap_xlsx_response)
