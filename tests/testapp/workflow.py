"""A small SOP for the engine tests: every kind of step the engine knows, once.

received (timed, start) -> checked (needs a summary and an SPT) -> decided
(approve -> processed, reject -> ditolak) -> processed (timed) -> signed -> selesai
"""

from django.db.models import Q

from portal.roles import Role
from portal.workflow import DONE, Branch, Check, Executor, Step, Task, Workflow, days, minutes

REJECTED = "ditolak"

WORKFLOW = Workflow(
    name="Tiket uji",
    time=days(5),
    executors=(
        Executor("officer", "Petugas", (Role.OFFICER,)),
        Executor("head", "Kepala Bidang", (Role.HEAD,)),
    ),
    steps=(
        Step(
            "received", "1", "Permohonan diterima", executor="officer", time=minutes(60),
            action="Teruskan untuk diperiksa", status_label="Permohonan diterima",
        ),
        Step(
            "checked",
            "2",
            "Permohonan diperiksa",
            executor="officer",
            form="tests.testapp.forms.CheckForm",
            checks=(Check(lambda ticket: bool(ticket.summary.strip()), "Tuliskan ringkasan pemeriksaan.", field="summary"),),
            required_documents=("spt",),
            action="Pemeriksaan selesai",
            status_label="Permohonan diperiksa",
        ),
        Step(
            "decided",
            "3",
            "Kepala Bidang memutuskan",
            executor="head",
            branches=(
                Branch("approve", "Setujui", next="processed"),
                Branch("reject", "Tolak", next=REJECTED),
            ),
            status_label="Menunggu keputusan",
        ),
        Step(
            "processed", "4", "Permohonan diproses", executor="officer", time=days(2),
            action="Proses selesai", status_label="Permohonan diproses",
        ),
        Step(
            "signed", "5", "Hasil ditandatangani", executor="head", action="Tanda tangani hasil",
            status_label="Menunggu tanda tangan",
        ),
    ),
    # The head reads a summary once it is written, while the officer's check goes on.
    tasks=(Task("read", "Baca ringkasan", "head", ("checked",), lambda: ~Q(summary=""), anchor="ringkasan"),),
    documents={"spt": "Surat perintah tugas"},
    final_statuses=(DONE, REJECTED),
    final_labels={DONE: "Selesai", REJECTED: "Ditolak"},
)


def held_while_on_leave(ticket):
    """A step hold (Step.hold) for the engine tests: the ticket waits while its title says its office is closed."""
    return "Kantor tutup: pemeriksaan menunggu." if "tutup" in ticket.title else ""
