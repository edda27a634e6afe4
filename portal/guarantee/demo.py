"""The Jaminan Pelayanan of the seeds' services, for load_demo: the Purwakarta PPKS identity standard promises
compensation (its item 12); the Ciamis standards do not. A service that has its promise already keeps it as the
agency's Admin set it: a second run changes nothing."""

from django.db import transaction

from portal.guarantee.models import Promise
from portal.models import Service

PROMISES = {
    "identitas-ppks-purwakarta": (True, "Layanan diberikan sebaik-baiknya dengan jaminan kompensasi layanan"),
    "p2tp2a-ciamis": (False, "Diwujudkan dengan adanya SDM yang berkompeten di bidang tugasnya; adanya jaminan "
                             "kerahasiaan identitas pelapor dan korban"),
    "alokon-ciamis": (False, ""),
    "pengaduan-dppkbpppa-ciamis": (False, ""),
}


def load(stdout):
    created = 0
    with transaction.atomic():
        for service in Service.objects.filter(slug__in=PROMISES):
            compensation, words = PROMISES[service.slug]
            _promise, new = Promise.objects.get_or_create(
                service=service, defaults={"compensation": compensation, "words": words}
            )
            created += new
    if created:
        stdout.write(f"{created} jaminan pelayanan dimuat.")
