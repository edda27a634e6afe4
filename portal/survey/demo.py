"""Survey answers for load_demo, in demo mode only: for each service, 40 to 90 answers spread over the current
quarter so far, drawn from a fixed seed, so the IKM page shows realistic figures. A service that has answers
already gets none: a second run adds nothing.

The answers are made up; each comes from a made-up address, so the rate limit does not apply to them.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.models import Service, Sex, sop_models
from portal.survey.elements import ELEMENT_CODES
from portal.survey.models import Response
from portal.periods import Quarter
from portal.survey.services import address_hash

# How each service's users answer, as weights of the values 1-4: the services come out B or A; costs are free.
USUAL = (2, 8, 60, 30)
WEIGHTS = {
    "p2tp2a-ciamis": (1, 5, 50, 44),
    "alokon-ciamis": (3, 12, 62, 23),
    "identitas-ppks-purwakarta": (2, 9, 55, 34),
}
FREE = (0, 1, 4, 95)
COMMENTS = [
    "Petugas ramah dan sabar menjelaskan.",
    "Ruang tunggu sempit dan panas, mohon ditambah kipas angin.",
    "Prosesnya lebih cepat dari perkiraan. Terima kasih.",
    "Informasi persyaratan di papan pengumuman kurang jelas.",
    "Mohon ada layanan pengaduan lewat WhatsApp.",
    "Pelayanan sangat membantu keluarga kami.",
    "Antrean cukup lama di hari Senin.",
    "Tempat parkir terbatas.",
]
PROFILE = {
    "sex": (Sex.values, (48, 52)),
    "age_band": (Response.AgeBand.values, (5, 20, 28, 24, 15, 8)),
    "education": (Response.Education.values, (15, 22, 38, 8, 14, 3)),
    "occupation": (Response.Occupation.values, (6, 1, 1, 30, 24, 38)),
}


def load(stdout):
    if not settings.DEMO_MODE:
        return
    now = timezone.now()
    start, _end = Quarter.of(timezone.localdate(now)).bounds()
    loaded = 0
    with transaction.atomic():
        # The complaint desks are no service of their own: each service's survey asks about complaint handling.
        not_surveyed = [app for app, model in sop_models().items() if not model.own_standard]
        for service in Service.objects.exclude(app__in=not_surveyed).order_by("slug"):
            if Response.objects.filter(service=service).exists():
                continue
            answers = _answers(service, start, now)
            Response.objects.bulk_create(answers)
            loaded += len(answers)
    if loaded:
        stdout.write(f"{loaded} jawaban Survei Kepuasan Masyarakat demo dimuat.")


def _answers(service, start, now):
    rng = random.Random(f"survei-{service.slug}")
    seconds = max(int((now - start).total_seconds()), 1)
    weights = WEIGHTS.get(service.slug, USUAL)
    answers = []
    for number in range(rng.randint(40, 90)):
        values = {code: rng.choices((1, 2, 3, 4), FREE if code == "biaya" else weights)[0] for code in ELEMENT_CODES}
        profile = {field: rng.choices(choices, shares)[0] for field, (choices, shares) in PROFILE.items()}
        answers.append(Response(
            service=service,
            submitted_at=now - timedelta(seconds=rng.randrange(seconds)),
            comment=rng.choice(COMMENTS) if rng.random() < 0.2 else "",
            client_hash=address_hash(f"demo-{service.slug}-{number}"),
            **values,
            **profile,
        ))
    return answers
