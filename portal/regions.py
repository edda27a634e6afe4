"""A regency's kecamatan and desa/kelurahan from the Kemendagri list of kode wilayah.

Kemendagri publishes every region's code and name (Kepmendagri on kode dan data wilayah administrasi
pemerintahan): 32.07 Kabupaten Ciamis, 32.07.01 a kecamatan, 32.07.01.2001 a desa. An agency's Admin
uploads that list as a spreadsheet (code, name; the whole country or one regency) instead of typing
some 270 desa by hand; the regency's rows are taken and the rest left. Importing again brings names and
codes up to date and adds what is new; it never removes a kecamatan or desa, which records point at.
"""

import csv
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from portal.exports import formula_refusal
from portal.models import Desa, Kecamatan, Unit

REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")
REGION_CODE = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$")  # province to desa
# The national list is about 3 MB; a file much larger than that is not it.
MAX_FILE_SIZE = 16 * 1024 * 1024
# A file with many faults is the wrong file: the first of them say so well enough.
MAX_ERRORS = 20


class RegionListError(Exception):
    """The file cannot be imported; `errors` says why, in Indonesian, one line per fault."""

    def __init__(self, errors):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class RegionList:
    """One regency's rows of the list: {code: name} of its kecamatan and of its desa/kelurahan."""

    regency_code: str
    regency_name: str = ""  # as the file names the regency itself, when it has that row
    kecamatan: dict = field(default_factory=dict)
    desa: dict = field(default_factory=dict)


def normalise_code(value: str) -> str:
    """A kode wilayah written with its dots ("32.07.01"); digits alone ("320701") get them. "" if it is not one."""
    value = value.replace(" ", "")
    if value.isascii() and value.isdigit() and len(value) in (2, 4, 6, 10):
        value = ".".join(part for part in (value[:2], value[2:4], value[4:6], value[6:]) if part)
    return value if REGION_CODE.match(value) else ""


def normalise_name(value: str) -> str:
    # The decree prints names in capitals; the portal's lists and letters write them as names.
    value = " ".join(value.split())
    return value.title() if value.isupper() else value


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # a spreadsheet saved by Excel on Windows
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return next((candidate for candidate in (";", "\t") if candidate in first), ",")


def read_region_list(file, regency_code: str) -> RegionList:
    """The rows under `regency_code` ("32.07") of a CSV file (binary) whose first two columns are kode wilayah and
    name.

    A header row is skipped; rows of other regencies are left out. Raises RegionListError with every fault
    found (up to MAX_ERRORS): a code that is not one, a code without a name, a name a spreadsheet would read as a
    formula (portal.exports), a code given twice, a desa whose kecamatan is not in the file, or no row of the
    regency at all.
    """
    data = file.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise RegionListError([_("Berkas lebih dari %(limit)d MB: ini bukan daftar kode wilayah.")
                               % {"limit": MAX_FILE_SIZE // (1024 * 1024)}])
    text = _decode(data)
    regions = RegionList(regency_code)
    errors = []
    first_row = True
    for line, row in enumerate(csv.reader(text.splitlines(), delimiter=_delimiter(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        code = normalise_code(cells[0])
        if not code:
            if not first_row:  # the first row may be the columns' titles
                errors.append(_("Baris %(line)d: \u201c%(value)s\u201d bukan kode wilayah (contoh: 32.07.01 untuk "
                                "kecamatan, 32.07.01.2001 untuk desa).") % {"line": line, "value": cells[0][:40]})
            first_row = False
            continue
        first_row = False
        name = normalise_name(cells[1]) if len(cells) > 1 else ""
        if code == regency_code:
            regions.regency_name = name
        if not code.startswith(regency_code + ".") or code.count(".") < 2:
            continue  # another regency's row, or the province or regency itself
        rows = regions.kecamatan if code.count(".") == 2 else regions.desa
        if not name:
            errors.append(_("Baris %(line)d: kode %(code)s tanpa nama.") % {"line": line, "code": code})
        elif formula_refusal(name):  # the name goes into the recap's and the faskes' spreadsheets
            errors.append(_("Baris %(line)d: kode %(code)s: %(reason)s")
                          % {"line": line, "code": code, "reason": formula_refusal(name)})
        elif rows.get(code, name) != name:
            errors.append(_("Baris %(line)d: kode %(code)s sudah ada dengan nama lain (%(name)s).")
                          % {"line": line, "code": code, "name": rows[code]})
        else:
            rows[code] = name
    if not errors and not regions.kecamatan and not regions.desa:
        errors.append(_("Berkas ini tidak memuat kode wilayah di bawah %(code)s.") % {"code": regency_code})
    if errors:
        raise RegionListError(errors[:MAX_ERRORS])
    return regions


@dataclass
class ImportCounts:
    kecamatan_added: int = 0
    kecamatan_updated: int = 0
    desa_added: int = 0
    desa_updated: int = 0

    def summary(self, regency):
        return _(
            "Kode wilayah %(regency)s diimpor: %(k_added)d kecamatan baru, %(k_updated)d diperbarui; "
            "%(d_added)d desa/kelurahan baru, %(d_updated)d diperbarui."
        ) % {
            "regency": regency, "k_added": self.kecamatan_added, "k_updated": self.kecamatan_updated,
            "d_added": self.desa_added, "d_updated": self.desa_updated,
        }


def _place(name: str) -> str:
    """The place a regency's name names, casefolded: "ciamis" for "Pemerintah Kabupaten Ciamis" or "KAB. CIAMIS"."""
    return re.sub(r"^(pemerintah\s+)?(kabupaten|kab\.?|kota)\s+", "", name.strip(), flags=re.IGNORECASE).casefold()


def regency_mismatch(regency: Unit, regions: RegionList) -> list[str]:
    """Why `regions` is not `regency`'s list: the file names another regency for the code, or the regency's
    kecamatan already carry another code. A mistyped code would otherwise file a neighbour's desa here."""
    errors = []
    if regions.regency_name and _place(regions.regency_name) != _place(regency.name):
        errors.append(_("Di berkas ini kode %(code)s adalah %(file)s, bukan %(regency)s.")
                      % {"code": regions.regency_code, "file": regions.regency_name, "regency": regency})
    other = (
        Kecamatan.objects.filter(regency=regency).exclude(code="").exclude(code__startswith=regions.regency_code + ".")
        .values_list("code", flat=True).first()
    )
    if other:
        errors.append(_("Kecamatan %(regency)s di portal berkode %(other)s, bukan di bawah %(code)s.")
                      % {"regency": regency, "other": other[:5], "code": regions.regency_code})
    return errors


def _match(code, name_key, by_code, by_name, taken):
    """The existing row for a code: the one with that code, else one of that name that has no code yet."""
    if code in by_code:
        return by_code[code]
    row = by_name.get(name_key)
    return row if row is not None and not row.code and row not in taken else None


def _update(row, **values):
    """Set `values` on `row`; True if anything changed."""
    changed = any(getattr(row, key) != value for key, value in values.items())
    for key, value in values.items():
        setattr(row, key, value)
    return changed


def _refuse_clashing_names(rows, key, label):
    """Two rows that would share a name where names are unique: the file and the portal disagree on a code."""
    seen, clashes = {}, []
    for row in rows:
        first = seen.setdefault(key(row), row)
        if first is not row:
            clashes.append(_("%(kind)s %(name)s: dua kode (%(first)s, %(second)s) dengan nama yang sama; betulkan "
                             "kodenya di portal lalu impor lagi.")
                           % {"kind": label, "name": row.name, "first": first.code or "-", "second": row.code or "-"})
    if clashes:
        raise RegionListError(clashes[:MAX_ERRORS])


@transaction.atomic
def import_regions(regency: Unit, regions: RegionList) -> tuple[ImportCounts, list[Kecamatan]]:
    """Add and update `regency`'s kecamatan and desa from `regions`, all or nothing.

    Returns the counts and the kecamatan that were added or changed (for the admin's log). Raises
    RegionListError when the list is another regency's (regency_mismatch), when a desa's kecamatan is nowhere,
    or when the result would hold two kecamatan, or two desa of one kecamatan, of the same name.
    """
    Unit.objects.select_for_update().get(pk=regency.pk)  # one import per regency at a time
    mismatch = regency_mismatch(regency, regions)
    if mismatch:
        raise RegionListError(mismatch)
    counts = ImportCounts()

    existing = list(Kecamatan.objects.filter(regency=regency))
    by_code = {row.code: row for row in existing if row.code}
    by_name = {row.name.casefold(): row for row in existing}
    added, changed, taken = [], [], []
    for code, name in sorted(regions.kecamatan.items()):
        row = _match(code, name.casefold(), by_code, by_name, taken)
        if row is None:
            added.append(Kecamatan(regency=regency, code=code, name=name))
            continue
        taken.append(row)
        if _update(row, code=code, name=name):
            changed.append(row)
    _refuse_clashing_names([*existing, *added], lambda row: row.name.casefold(), _("Kecamatan"))
    kecamatan_of = {row.code: row for row in [*existing, *added] if row.code}
    missing = sorted({code.rsplit(".", 1)[0] for code in regions.desa} - set(kecamatan_of))
    if missing:
        raise RegionListError([_("Kode desa %(code)s.xxxx: kecamatan %(code)s tidak ada, di berkas maupun di portal.")
                               % {"code": code} for code in missing[:MAX_ERRORS]])
    Kecamatan.objects.bulk_create(added)
    Kecamatan.objects.bulk_update(changed, ["code", "name"])
    counts.kecamatan_added, counts.kecamatan_updated = len(added), len(changed)

    existing_desa = list(Desa.objects.filter(kecamatan__regency=regency))
    desa_by_code = {row.code: row for row in existing_desa if row.code}
    desa_by_name = {(row.kecamatan_id, row.name.casefold()): row for row in existing_desa}
    new_desa, changed_desa, taken = [], [], []
    for code, name in sorted(regions.desa.items()):
        kecamatan = kecamatan_of[code.rsplit(".", 1)[0]]
        row = _match(code, (kecamatan.pk, name.casefold()), desa_by_code, desa_by_name, taken)
        if row is None:
            new_desa.append(Desa(kecamatan=kecamatan, code=code, name=name))
            continue
        taken.append(row)
        if _update(row, code=code, name=name, kecamatan_id=kecamatan.pk):
            changed_desa.append(row)
    _refuse_clashing_names(
        [*existing_desa, *new_desa], lambda row: (row.kecamatan_id, row.name.casefold()), _("Desa/kelurahan")
    )
    Desa.objects.bulk_create(new_desa)
    Desa.objects.bulk_update(changed_desa, ["code", "name", "kecamatan"])
    counts.desa_added, counts.desa_updated = len(new_desa), len(changed_desa)
    return counts, [*added, *changed]
