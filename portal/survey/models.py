"""The Survei Kepuasan Masyarakat: the links handed to those served, and their answers.

A response names no one: a link is tied to a record by its app, key and number only, and the address an answer
came from is kept as an HMAC (for the rate limit), never as the address.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import AppendOnlyModel, Service, Sex
from portal.survey.elements import BY_CODE, ELEMENT_CODES

COMMENT_MAX_LENGTH = 2000


class Invitation(models.Model):
    """A link to the survey, answered at most once: handed to the person served when a record is completed (or
    to a visitor at the counter, without a record)."""

    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    service = models.ForeignKey(Service, models.PROTECT, related_name="+", verbose_name=_("layanan"))
    # The completed record it was handed out for: by its app and key (records of every SOP app), and its number
    # for the officer's eyes. Nothing of the person.
    record_app = models.CharField(_("aplikasi"), max_length=40, blank=True, editable=False)
    record_pk = models.PositiveBigIntegerField(_("kunci berkas"), null=True, blank=True, editable=False)
    record_number = models.CharField(_("nomor berkas"), max_length=60, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    used_at = models.DateTimeField(_("diisi"), null=True, blank=True, editable=False)
    # When the link went to whoever asked for the record, at its completion (services.invitation_mail): set once,
    # so a completion retried sends no second e-mail, and the record's page tells the officer it went.
    emailed_at = models.DateTimeField(_("dikirim lewat surel"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("tautan survei")
        verbose_name_plural = _("tautan survei")
        constraints = [
            # One link per record, so one answer per service delivered.
            models.UniqueConstraint(
                fields=["record_app", "record_pk"], condition=Q(record_pk__isnull=False),
                name="survey_invitation_one_per_record",
            ),
        ]

    def __str__(self):
        return self.record_number or str(_("tautan survei %(pk)s") % {"pk": self.pk})


def element_field(code):
    """An element's answer, 1 to 4, labelled as portal.survey.elements declares it."""
    element = BY_CODE[code]
    return models.PositiveSmallIntegerField(
        element.name, choices=element.choices, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )


class Response(AppendOnlyModel):
    """One answer to the survey: the nine elements (PermenPAN-RB 14/2017) and the respondent's profile. Written
    once (portal.survey.services.response_submit), never changed."""

    class AgeBand(models.TextChoices):
        UNDER_20 = "lt20", _("Di bawah 20 tahun")
        FROM_20 = "20-29", _("20-29 tahun")
        FROM_30 = "30-39", _("30-39 tahun")
        FROM_40 = "40-49", _("40-49 tahun")
        FROM_50 = "50-59", _("50-59 tahun")
        FROM_60 = "60+", _("60 tahun ke atas")

    class Education(models.TextChoices):
        PRIMARY = "sd", _("SD ke bawah")
        JUNIOR = "smp", _("SMP")
        SENIOR = "sma", _("SMA")
        DIPLOMA = "diploma", _("D1-D3-D4")
        BACHELOR = "s1", _("S1")
        POSTGRADUATE = "s2", _("S2 ke atas")

    class Occupation(models.TextChoices):
        CIVIL_SERVANT = "pns", _("PNS")
        ARMY = "tni", _("TNI")
        POLICE = "polri", _("POLRI")
        PRIVATE = "swasta", _("Swasta")
        ENTREPRENEUR = "wirausaha", _("Wirausaha")
        OTHER = "lainnya", _("Lainnya")

    service = models.ForeignKey(Service, models.PROTECT, related_name="+", verbose_name=_("layanan"))
    # One answer per link: the database holds it too.
    invitation = models.OneToOneField(
        Invitation, models.PROTECT, null=True, blank=True, related_name="response", verbose_name=_("tautan"),
    )
    # The period an answer counts in is the one its submission falls in.
    submitted_at = models.DateTimeField(_("diisi pada"), default=timezone.now)

    # The nine elements, in the regulation's order (portal.survey.elements).
    persyaratan = element_field("persyaratan")
    prosedur = element_field("prosedur")
    waktu = element_field("waktu")
    biaya = element_field("biaya")
    produk = element_field("produk")
    kompetensi = element_field("kompetensi")
    perilaku = element_field("perilaku")
    pengaduan = element_field("pengaduan")
    sarana = element_field("sarana")

    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    age_band = models.CharField(_("umur"), max_length=5, choices=AgeBand.choices)
    education = models.CharField(_("pendidikan"), max_length=10, choices=Education.choices)
    occupation = models.CharField(_("pekerjaan"), max_length=10, choices=Occupation.choices)
    comment = models.TextField(_("saran dan masukan"), max_length=COMMENT_MAX_LENGTH, blank=True)
    # HMAC-SHA256 of the client's address under SECRET_KEY (services.address_hash): answers per address per hour.
    client_hash = models.CharField(_("sidik alamat"), max_length=64, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        indexes = [
            models.Index(fields=["service", "submitted_at"], name="survey_response_service"),
            models.Index(fields=["client_hash", "submitted_at"], name="survey_response_client"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{code}__gte": 1, f"{code}__lte": 4}), name=f"survey_response_{code}_1_4"
            )
            for code in ELEMENT_CODES
        ]

    def __str__(self):
        return f"{self.service} {timezone.localtime(self.submitted_at):%d-%m-%Y %H.%M}"

    def answers(self):
        return [getattr(self, code) for code in ELEMENT_CODES]


# The respondent's profile the regulation asks for, as the page counts it.
PROFILE_FIELDS = ("sex", "age_band", "education", "occupation")
