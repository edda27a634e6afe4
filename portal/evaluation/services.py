"""The writes of an evaluation: its draft saved, and its signature. Each locks the service's row, so two heads
writing at once take turns, and checks the version the form was read at: a form sent over a newer write, or a
second signing, is refused and changes nothing."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.evaluation import documents, policy
from portal.evaluation.figures import quarter_figures
from portal.evaluation.models import Evaluation
from portal.letters import signature, signing_memberships
from portal.models import Service
from portal.roles import Role
from portal.workflow import TransitionError


STALE = _("Evaluasi ini telah diubah atau ditandatangani orang lain sejak Anda membukanya. Muat ulang halaman, "
          "periksa isinya, lalu kirim kembali.")


def _locked_draft(service, quarter, version):
    """The draft of `service` in `quarter` under lock, checked against the version the form was read at (0: no
    draft was open)."""
    Service.objects.select_for_update().filter(pk=service.pk).values_list("pk").get()
    draft = Evaluation.objects.select_for_update().filter(
        service=service, period=quarter.code, status=Evaluation.Status.DRAFT
    ).first()
    if (draft.version if draft else 0) != version:
        raise TransitionError(STALE)
    return draft


def _draft_write(service, quarter, *, findings, follow_up, version, actor, now) -> Evaluation:
    """The draft of `service` in `quarter` with the text written, under lock (a new draft when `version` is 0)."""
    draft = _locked_draft(service, quarter, version)
    if draft is None:
        draft = Evaluation(service=service, period=quarter.code, created_by=actor, created_at=now, version=0)
    draft.findings, draft.follow_up = findings, follow_up
    draft.updated_by, draft.updated_at = actor, now
    draft.version += 1
    return draft


def evaluation_save(*, service, quarter, findings, follow_up, version, actor, now=None) -> Evaluation:
    """Save the findings and follow-up of the draft evaluation of `service` in `quarter` (a new draft when
    `version` is 0: after a signed one, the next)."""
    now = now or timezone.now()
    if service not in policy.evaluated_services(actor):
        raise TransitionError(_("Evaluasi layanan ini ditulis oleh Kepala Bidang atau Kepala Dinas yang membawahinya."))
    with transaction.atomic():
        draft = _draft_write(
            service, quarter, findings=findings, follow_up=follow_up, version=version, actor=actor, now=now
        )
        draft.save()
    return draft


def evaluation_sign(*, service, quarter, findings, follow_up, version, actor, per_officer=False, now=None) -> Evaluation:
    """Sign the evaluation of `service` in `quarter` with the findings and follow-up as the signer sees them on the
    form (what they signed is what they read): only the signer its rule names. Freezes the figures as they stand,
    the signer's name and title, the date, and the PDF."""
    now = now or timezone.now()
    refusal = policy.sign_refusal(actor, service)
    if refusal:
        raise TransitionError(refusal)
    with transaction.atomic():
        draft = _draft_write(
            service, quarter, findings=findings, follow_up=follow_up, version=version, actor=actor, now=now
        )
        if not (draft.findings.strip() and draft.follow_up.strip()):
            raise TransitionError(_("Tuliskan temuan dan tindak lanjut sebelum evaluasi ditandatangani."))
        figures = quarter_figures(service, quarter, actor, per_officer=per_officer, now=now)
        units = [service.unit, *service.unit.ancestors()]
        membership = signing_memberships([actor], units, Role.HEAD, on=timezone.localdate(now)).get(actor.pk)
        signed = signature(actor, membership, place="", date=timezone.localdate(now))
        draft.status = Evaluation.Status.SIGNED
        draft.signed_by, draft.signed_at = actor, now
        draft.signer_name, draft.signer_title, draft.signer_nip = signed["name"], signed["title"], signed["nip"]
        draft.figures = figures.as_json()
        draft.save()
        pdf = documents.evaluation_pdf(service, figures, evaluation=draft)
        draft.pdf.save(documents.file_stem(service, quarter) + ".pdf", ContentFile(pdf), save=True)
    return draft
