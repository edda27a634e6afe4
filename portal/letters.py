"""What every printed letter says about its signers: the place it is dated at, and each signer's
jabatan, name and NIP, as portal/pdf/_signature.html prints them. The apps' documents share these.
"""

import re

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Membership, Unit, holds_office_on


def person_name(user):
    return user.get_full_name() or user.username


def letter_place(units):
    """The regency or city of the first government unit in `units`, as a letter's place ("Ciamis"), or ""."""
    for unit in units:
        if unit.kind == Unit.Kind.GOVERNMENT:
            match = re.match(r"pemerintah\s+(?:kabupaten|kota)\s+(.+)", unit.name, re.IGNORECASE)
            return match[1] if match else ""
    return ""


def signing_memberships(users, units, role, *, on=None):
    """Per user id, the Membership whose jabatan and NIP a letter prints: in the nearest of `units`
    (the record's unit and those above it), one in `role` first, one holding an office on the letter's date
    (`on`, default today) first, so a step taken as the Ketua (or her Plt.) is signed as such, then one with a
    title."""
    distance = {unit.pk: index for index, unit in enumerate(units)}
    rows = (
        Membership.objects.filter(user__in=users, unit_id__in=distance)
        .annotate(in_office=ExpressionWrapper(holds_office_on(on or timezone.localdate()), output_field=BooleanField()))
        .select_related("role", "unit")
    )
    found = {}
    for membership in sorted(rows, key=lambda m: (m.role.name != role, not m.in_office, distance[m.unit_id], not m.title)):
        found.setdefault(membership.user_id, membership)
    return found


def signature(user, membership, *, place, date):
    """The context of portal/pdf/_signature.html for `user`, signing as their `membership` (may be None)."""
    title = membership.signing_title if membership else ""
    if not title and membership:
        title = _("Pimpinan %(unit)s") % {"unit": membership.unit}
    return {
        "place": place,
        "date": date,
        "title": title,
        "name": person_name(user),
        "nip": membership.nip if membership else "",
    }
