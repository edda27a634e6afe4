"""SOP Pelayanan dan Pendampingan P2TP2A (DPPKBPPPA Kabupaten Ciamis).

The steps, executors and outputs are those of the seed's activity table; the
printed SOP sheet is drawn from this declaration.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from portal.roles import Office, Role
from portal.services import attachments_of
from portal.workflow import DONE, Check, Executor, Identity, Step, Task, Transition, Workflow, months

CLOSED_EARLY = "ditutup"
VOIDED = "dibatalkan"

# Steps from which the head may close a case early or void one entered in error.
OPEN_STEPS = ("report", "intake", "outreach", "assessment", "medical", "psychological", "legal", "reintegration", "closure")


# The assessment's answer on steps 5-7 (Case.needs_medical, ...): a step not needed is skipped.
NEEDS_FIELD = {"medical": "needs_medical", "psychological": "needs_psychological", "legal": "needs_legal"}

# What the steps need (Step.checks). Each reads the case as the step's form just saved it, through its relations:
# the declaration is read by cases.models, so it names no model of its own.


def _note(name):
    return lambda case: bool(getattr(case.notes, name).strip())


def _documents_or_reason(case):
    present = set(attachments_of(case).values_list("kind", flat=True))
    return {"cover_letter", "reporter_ktp"} <= present or bool(case.notes.missing_documents_reason.strip())


def _referrals(case, step=None):
    referrals = case.referrals.filter(void_reason="")
    return referrals.filter(step=step) if step else referrals


def _referrals_completed(step=None):
    return Check(
        lambda case: not _referrals(case, step).filter(completed_on=None).exists(),
        _("Isi hasil dan tanggal selesai setiap rujukan langkah ini.") if step
        else _("Semua rujukan harus selesai: isi hasil dan tanggal selesainya."),
    )


def _service_checks(step):
    return (
        Check(lambda case: _referrals(case, step).exists(), _("Catat layanan/rujukan yang diberikan pada langkah ini.")),
        _referrals_completed(step),
    )


def _answered(field, message):
    return Check(lambda case: getattr(case, field) is not None, message, field=field)


def _skip(step, next_step):
    # By the step's own executor (or a head standing in), as the step itself; only where the assessment said so.
    return Transition(
        name=f"skip_{step}", label=_("Lewati: tidak diperlukan"), source=step, target=next_step, note_required=True,
        checks=(Check(
            lambda case: getattr(case, NEEDS_FIELD[step]) is False,
            _("Asesmen menyatakan langkah ini diperlukan, sehingga tidak dapat dilewati."),
        ),),
    )


# The Ketua's work while a step waits (Workflow.tasks): the filters read the case's own rows.


def _no_social_worker():
    team = apps.get_model("cases", "TeamMember").objects.filter(
        case=OuterRef("pk"), function="social_worker", ended_at=None
    )
    return ~Q(Exists(team))


def _assessment_to_approve():
    answered = Q(**{f"{field}__isnull": False for field in NEEDS_FIELD.values()})
    return answered & Q(assessment_approved_at=None) & ~Q(notes__assessment="")


def _head_ends(step):
    return (
        Transition(
            name=f"close_early.{step}", label=_("Tutup lebih awal"), source=step, target=CLOSED_EARLY,
            executor="chair", note_required=True, in_worklist=False,
            confirm=_("Saya mengerti: kasus ditutup sebelum selesai dan tidak dapat dilanjutkan lagi."),
        ),
        Transition(
            name=f"void.{step}", label=_("Batalkan: salah input"), source=step, target=VOIDED,
            executor="chair", note_required=True, in_worklist=False,
            confirm=_("Saya mengerti: kasus dibatalkan sebagai salah input, tidak dihitung, dan tidak dapat dilanjutkan lagi."),
        ),
    )


WORKFLOW = Workflow(
    name=_("Pelayanan dan Pendampingan P2TP2A"),
    time=months(3),
    observers=(Role.AGENCY_HEAD,),
    start_action=_("Catat laporan baru"),
    final_statuses=(DONE, CLOSED_EARLY, VOIDED),
    final_labels={DONE: _("Selesai"), CLOSED_EARLY: _("Ditutup lebih awal"), VOIDED: _("Dibatalkan (salah input)")},
    documents={
        "cover_letter": _("Surat pengantar RT/RW"),
        "reporter_ktp": _("Fotokopi KTP pelapor"),
        "spt_signed": _("SPT penjangkauan bertanda tangan"),
        "service_record": _("Dokumentasi layanan/rujukan"),
        "closure_signed": _("Laporan penanganan kasus bertanda tangan"),
    },
    # Steps 5-7 happen only where the assessment says they are needed; the others are skipped with a reason.
    extra_transitions=(
        _skip("medical", "psychological"),
        _skip("psychological", "legal"),
        _skip("legal", "reintegration"),
        *(transition for step in OPEN_STEPS for transition in _head_ends(step)),
    ),
    # A team function's step is done by the member holding it, or by a head of the P2TP2A (Case.actor_filter).
    # The Ketua's steps (signing, approving, closing) are the Ketua's or the Sekretaris' of the P2TP2A, as the
    # standard's "Ketua atau Sekretaris"; a Kepala Bidang elsewhere in the Dinas takes none of them.
    executors=(
        Executor("chair", "Ketua", (Role.HEAD,), offices=(Office.CHAIR, Office.SECRETARY)),
        Executor("secretary", "Sekretaris", (Role.HEAD,), offices=(Office.SECRETARY,)),
        Executor("data", "Divisi Data", (Role.OFFICER,), standins=("chair",)),
        Executor("legal", "Divisi Hukum", (Role.OFFICER,), standins=("chair",)),
        Executor("social_worker", "Pekerja sosial", (Role.OFFICER,), standins=("chair",)),
        Executor("companion", "Pendamping", (Role.OFFICER,), standins=("chair",)),
        Executor("psychologist", "Psikolog", (Role.OFFICER,), standins=("chair",)),
    ),
    # The case's team reads its identity as named on it (Case.named_filter); the Kepala Dinas may open one case's
    # identity by writing why.
    identity=Identity(readers=("chair", "secretary"), revealers=(Office.AGENCY_HEAD,), person="victim"),
    # The Ketua's (or Sekretaris') work while the team's step waits; each is done in its section of the case page.
    tasks=(
        Task(
            "team", _("Tugaskan tim kasus"), "chair", tuple(step for step in OPEN_STEPS if step != "closure"),
            _no_social_worker, anchor="tim",
        ),
        Task("spt", _("Terbitkan SPT penjangkauan"), "chair", ("outreach",), lambda: Q(spt_issued_at=None), anchor="dokumen"),
        Task("approve_assessment", _("Setujui asesmen"), "chair", ("assessment",), _assessment_to_approve, anchor="asesmen"),
    ),
    steps=(
        Step(
            "report",
            "1",
            "Pelapor/korban datang sendiri ke Petugas, atau Laporan dari masyarakat, atau laporan dari "
            "pemeriksaan medis dimana korban diperiksa",
            executor="data",
            output="Identitas korban tercatat dalam dokumen",
            action=_("Identitas korban tercatat"),
            status_label=_("Laporan masuk"),
            form="cases.forms.ReportForm",
        ),
        Step(
            "intake",
            "2",
            "Laporan diterima dan dicatat oleh Petugas P2TP2A",
            executor="data",
            output="Berkas Pengaduan kasus",
            action=_("Berkas pengaduan lengkap"),
            status_label=_("Pencatatan berkas pengaduan"),
            form="cases.forms.IntakeForm",
            checks=(
                Check(_note("chronology"), _("Tuliskan kronologi kejadian."), field="chronology"),
                Check(lambda case: case.violence_types.exists(), _("Pilih sedikitnya satu jenis kekerasan."), field="violence_types"),
                Check(
                    _documents_or_reason,
                    _("Lampirkan surat pengantar RT/RW dan fotokopi KTP pelapor, atau tuliskan alasan belum lengkap."),
                    field="missing_documents_reason",
                ),
            ),
        ),
        Step(
            "outreach",
            "3",
            "Petugas melaksanakan verifikasi / pendampingan ke Lapangan/korban",
            executor="social_worker",
            output="SPT penjangkauan",
            action=_("Catat hasil penjangkauan"),
            status_label=_("Verifikasi dan penjangkauan"),
            form="cases.forms.OutreachForm",
            checks=(
                Check(_note("outreach_result"), _("Tuliskan hasil verifikasi/penjangkauan."), field="outreach_result"),
                Check(lambda case: case.spt_issued_at is not None, _("SPT penjangkauan belum diterbitkan Ketua.")),
            ),
        ),
        Step(
            "assessment",
            "4",
            "Petugas melaksanakan pencatatan/asesmen bagi korban",
            executor="social_worker",
            output="Terdokumentasinya hasil asesmen",
            action=_("Asesmen selesai, lanjut layanan"),
            status_label=_("Asesmen korban"),
            form="cases.forms.AssessmentForm",
            checks=(
                Check(_note("assessment"), _("Tuliskan hasil asesmen."), field="assessment"),
                _answered("needs_medical", _("Pilih apakah layanan medis diperlukan.")),
                _answered("needs_psychological", _("Pilih apakah layanan psikologis diperlukan.")),
                _answered("needs_legal", _("Pilih apakah bantuan hukum diperlukan.")),
                Check(
                    lambda case: case.assessment_approved_at is not None,
                    _("Asesmen belum disetujui Ketua: simpan dulu asesmennya, lalu selesaikan langkah ini setelah disetujui."),
                ),
            ),
        ),
        Step(
            "medical",
            "5",
            "Memberikan aspek medis yaitu mendampingi RSUD untuk diperiksa",
            executor="companion",
            output="Terfasilitasinya aspek medis korban, Dokumentasi",
            action=_("Layanan medis selesai"),
            status_label=_("Pendampingan medis"),
            checks=_service_checks("medical"),
        ),
        Step(
            "psychological",
            "6",
            "Memberikan fasilitasi aspek psikis yaitu merujuk korban ke Psikolog untuk di periksa secara psikis",
            executor="psychologist",
            output="Terfasilitasinya aspek medis Psikologis, Dokumentasi pemeriksaan",
            action=_("Layanan psikologis selesai"),
            status_label=_("Layanan psikologis"),
            checks=_service_checks("psychological"),
        ),
        Step(
            "legal",
            "7",
            "Memberikan bantuan hukum untuk korban dengan menyediakan pengacara sebagai pendamping pada "
            "pemeriksaan dan penyidikan di Unit Polres, serta proses hukum di pengadilan",
            executor="legal",
            output="Terfasilitasinya aspek hukum korban, Dokumentasi pendampingan hukum korban",
            action=_("Bantuan hukum selesai"),
            status_label=_("Bantuan hukum"),
            checks=_service_checks("legal"),
        ),
        Step(
            "reintegration",
            "8",
            # Seed: "Reinregrasi/Rehabilitas", a typo.
            "Reintegrasi/Rehabilitasi",
            executor="social_worker",
            output="Terfasilitasinya aspek rehabilitas korban, Dokumentasi pendampingan",
            action=_("Reintegrasi selesai"),
            status_label=_("Reintegrasi/rehabilitasi"),
            form="cases.forms.ReintegrationForm",
            checks=(
                _referrals_completed("reintegration"),
                Check(_note("reintegration_result"), _("Tuliskan hasil reintegrasi/rehabilitasi."), field="reintegration_result"),
            ),
        ),
        Step(
            "closure",
            "9",
            "Proses Selesai",
            executor="chair",
            output="Dokumentasi laporan penanganan kasus",
            action=_("Setujui laporan dan tutup kasus"),
            status_label=_("Menunggu penutupan kasus"),
            form="cases.forms.ClosureForm",
            checks=(
                Check(_note("closure_summary"), _("Tuliskan ringkasan penanganan untuk laporan akhir."), field="closure_summary"),
                _referrals_completed(),
            ),
        ),
    ),
)
