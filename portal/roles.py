"""The roles the seeds name, kept as Django groups.

A user holds a role in a unit through a Membership; the group carries the
Django permissions of that role (see portal.backends). Code refers to roles by
these constants, so a group must keep its name.
"""

from django.utils.translation import gettext_lazy as _


class Role:
    OFFICER = "Petugas"
    HEAD = "Kepala Bidang"
    AGENCY_HEAD = "Kepala Dinas"
    STOREKEEPER = "Pengelola Barang"
    FASKES = "Faskes"
    ADMIN = "Admin"

    ALL = (OFFICER, HEAD, AGENCY_HEAD, STOREKEEPER, FASKES, ADMIN)
    # Roles that approve: a step only they do approves the step before it.
    HEADS = (HEAD, AGENCY_HEAD)

    DESCRIPTIONS = {
        OFFICER: _("Petugas / Tim Kerja / Pelaksana"),
        HEAD: _("Pimpinan yang menyetujui: Kepala Bidang, Ketua, Sekretaris"),
        AGENCY_HEAD: _("Kepala Dinas"),
        STOREKEEPER: _("Pengelola Barang"),
        FASKES: _("Pengguna fasilitas kesehatan (eksternal)"),
        ADMIN: _("Admin data induk"),
    }


class Office:
    """The offices (jabatan) an SOP names, each held in one unit through a membership of its role.

    A step whose executor names an office is taken only by that office's holder in the service's unit, or by
    whoever acts for them (Plt.) in the dates of the appointment: the Ketua P2TP2A, not any Kepala Bidang.
    The office's place is the unit, so one list serves every agency: "Kepala Bidang" held in the Bidang
    Rehdayasos is the Kabid Rehdayasos.
    """

    AGENCY_HEAD = "kepala_dinas"
    AGENCY_SECRETARY = "sekretaris_dinas"
    DIVISION_HEAD = "kepala_bidang"
    CHAIR = "ketua"
    SECRETARY = "sekretaris"

    CHOICES = [
        (AGENCY_HEAD, _("Kepala Dinas")),
        (AGENCY_SECRETARY, _("Sekretaris Dinas")),
        (DIVISION_HEAD, _("Kepala Bidang")),
        (CHAIR, _("Ketua")),
        (SECRETARY, _("Sekretaris")),
    ]
    LABELS = dict(CHOICES)
    # The role a membership must hold to carry the office.
    ROLES = {
        AGENCY_HEAD: Role.AGENCY_HEAD,
        AGENCY_SECRETARY: Role.HEAD,
        DIVISION_HEAD: Role.HEAD,
        CHAIR: Role.HEAD,
        SECRETARY: Role.HEAD,
    }


# Model permissions each role's group holds, as "app_label.codename".
# Later apps add theirs here, next to the role they serve.
ROLE_PERMISSIONS = {
    # Heads of the P2TP2A may refer a victim without recorded consent, with a reason (cases.services).
    Role.HEAD: ["cases.override_consent"],
    Role.ADMIN: [
        f"{app}.{action}_{model}"
        for app, model in [
            ("portal", "unit"),
            ("portal", "servicehours"),
            ("portal", "dayoff"),
            ("portal", "membership"),
            ("portal", "service"),
            # Which complaint handling the agency's standard prints, and where general complaints go.
            ("complaints", "desk"),
            ("auth", "user"),
            # The agency's own published documents: it fills the SOP number, dates and approver.
            ("publications", "servicestandard"),
            ("publications", "standardcomponent"),
            ("publications", "sopdocument"),
            ("publications", "decree"),
            ("publications", "decreedecision"),
            ("publications", "draftingnote"),
            # The regency's kecamatan and desa, for addresses, registers and recaps.
            ("portal", "kecamatan"),
            ("portal", "desa"),
        ]
        for action in ("view", "add", "change", "delete")
    ]
    # The P2TP2A's referral partners are the agency's own: cases point at them, so an entry is deactivated,
    # never deleted.
    + [f"cases.{action}_partner" for action in ("view", "add", "change")]
    # The SIMFONI-PPA lists are the ministry's categories, shared by every agency: an agency's Admin reads them,
    # a superuser keeps them (one agency's Admin must not rename another's recap rows).
    + [f"cases.view_{model}" for model in ["violencetype", "placetype", "perpetratorrelation", "servicetype"]]
    # Who opened which case's identity: read, never written, in the admin.
    + ["cases.view_accesslog"]
    # The PPKS types are the ministry's list, kept by a superuser like the SIMFONI-PPA lists; the identity access
    # log of the PPKS facilitation is read, never written.
    + ["identitas.view_ppkscategory", "identitas.view_accesslog"]
    # Which services' standards promise compensation for a missed time standard (portal.guarantee).
    + [f"guarantee.{action}_promise" for action in ("view", "add", "change")]
    # Who evaluates each service and how often, as its standard says (portal.evaluation).
    + [f"evaluation.{action}_evaluationrule" for action in ("view", "add", "change")]
    # ALOKON: the agency's faskes and their logins, deactivated, never deleted: distributions, reports and the
    # ledger point at a faskes, and a deleted login would leave an account without a role for any agency to take.
    + [f"alokon.{action}_{model}" for model in ["facility", "facilityaccount"] for action in ("view", "add", "change")]
    # The contraceptive items are the national list every agency's stock counts by: read here, kept by a
    # superuser. The ledger and what it sums to are written by alokon.services only: read in the admin.
    + [f"alokon.view_{model}" for model in ["item", "lot", "receipt", "movement", "stockbalance", "closedperiod"]],
}


def sync_role_groups(using="default", **kwargs):
    """Create each role's group and give it exactly the permissions listed above."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # Permissions of apps migrated after portal do not exist yet at this point.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for name in Role.ALL:
        group, _created = Group.objects.using(using).get_or_create(name=name)
        wanted = ROLE_PERMISSIONS.get(name, [])
        permissions = [
            Permission.objects.using(using).get(content_type__app_label=label, codename=codename)
            for label, codename in (p.split(".", 1) for p in wanted)
        ]
        group.permissions.set(permissions)
