"""The Evaluasi Kinerja of the seeds' services, for load_demo. A service that has its rule already keeps it as the
agency's Admin set it: a second run changes nothing. Complaint desks have none: their figures appear in each
service's evaluation."""

from django.db import transaction

from portal.evaluation.models import EvaluationRule
from portal.models import Service

CIAMIS_WORDS = "Evaluasi berdasarkan pengawasan atasan langsung terkait kinerja dan kedisiplinan."
CIAMIS_NOTE = (
    "Pengawasan internal dilaksanakan oleh atasan langsung. Standar tidak menyebut periode evaluasi: "
    "ditetapkan setiap triwulan, dapat diubah sesuai keputusan pimpinan."
)
RULES = {
    "p2tp2a-ciamis": (EvaluationRule.Signer.DIRECT_SUPERIOR, CIAMIS_WORDS, CIAMIS_NOTE),
    "alokon-ciamis": (EvaluationRule.Signer.DIRECT_SUPERIOR, CIAMIS_WORDS, CIAMIS_NOTE),
    "identitas-ppks-purwakarta": (
        EvaluationRule.Signer.LEADERSHIP, "Dilaksanakan setiap triwulan oleh pimpinan",
        "Pengawasan internal: Kepala Bidang.",
    ),
}


def load(stdout):
    created = 0
    with transaction.atomic():
        for service in Service.objects.filter(slug__in=RULES):
            signer, words, note = RULES[service.slug]
            _rule, new = EvaluationRule.objects.get_or_create(
                service=service,
                defaults={"period": EvaluationRule.Period.QUARTER, "signer": signer, "words": words, "note": note},
            )
            created += new
    if created:
        stdout.write(f"{created} aturan evaluasi kinerja dimuat.")
