"""No view without a guard: every URL the portal serves turns away whoever has no business there.

The test walks the URL resolver and builds concrete URLs for each pattern,
with real rows behind them: one row of every model of the project is seeded
first, and an id parameter is tried with the id of each seeded row, so a view
that forgets its scope answers 200 instead of hiding behind a 404 for a row
that does not exist. Two visitors walk it:

- anonymous: each URL must redirect to a login page or answer 401/403/405;
- an outsider: logged in, with a role (Faskes) in a unit of its own, so it has
  no business with any seeded row: each URL must redirect to a login page or
  answer 403/404/405; only the pages every logged-in user has may answer 200.

A URL that answers 405 to GET is also tried with POST, so a `require_POST`
placed above `login_required` cannot hide an open view; so is a record's write
URL, whose GET goes back to the record's page (portal.views.post_only): that
page must turn the visitor away too. A new view added
without a check fails here, by its URL. Public pages are listed below, on
purpose and briefly; each view also has its own access tests beside it.

The walk is a test per URL pattern and visitor, in a class per app (below), over rows seeded once per module.
"""

import itertools
import re
import uuid
from datetime import time
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import converters, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern, URLResolver
from model_bakery import baker

from alokon.models import Item, Movement, ReceiptConfirmation, ReportStock, RoutinePlan, StockBalance

from portal.models import Attachment, Membership, ServiceHours, Unit, sop_models
from portal.roles import Role
from publications.models import DraftingNote
from tests.testapp.models import Ticket

try:  # Python 3.11+
    import re._constants as sre_constants
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants
    import sre_parse

# URL names anyone may open.
PUBLIC_NAMES = {
    "login",
    "admin:login",
    # Anonymous, it redirects to the admin index, which asks for the admin login.
    "admin:logout",
    # The complaint desk's public form and follow-up page (a complaint is shown only for its number and code).
    "complaints:new", "complaints:sent", "complaints:follow_up",
    # The satisfaction survey's public link, an invitation link (refused once used) and its thank-you page.
    "survey:public", "survey:answer", "survey:thanks",
}
# Path prefixes of pages meant for the public (e.g. the published service standards).
PUBLIC_PREFIXES: tuple[str, ...] = ("/publik/",)
# Pages every logged-in user has, whatever their role: their own notifications and how they are told of them.
EVERY_USERS_NAMES = {"home", "logout", "notifications:index", "notifications:preferences", "notifications:read_all"}

ANONYMOUS_STATUSES = {401, 403, 405}
OUTSIDER_STATUSES = {403, 404, 405}
# The apps whose models are seeded: the project's own.
PROJECT_APPS = ["portal", "complaints", "survey", "guarantee", "evaluation", "notifications", "downloads", "publications", "cases", "alokon", "identitas", "testapp"]

CONVERTER_SAMPLES = {
    converters.IntConverter: "1",
    converters.StringConverter: "x",
    converters.SlugConverter: "x",
    converters.PathConverter: "x",
    converters.UUIDConverter: str(uuid.UUID(int=1)),
}
_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def _regex_sample(parsed) -> str:
    """A short string the parsed regex matches: first branches, one of each repeat."""
    out = []
    for op, av in parsed:
        if op == sre_constants.LITERAL:
            out.append(chr(av))
        elif op in (sre_constants.NOT_LITERAL, sre_constants.ANY):
            out.append("1" if av != ord("1") else "x")
        elif op == sre_constants.IN:
            out.append(_set_sample(av))
        elif op == sre_constants.CATEGORY:
            out.append(_set_sample([(op, av)]))
        elif op == sre_constants.BRANCH:
            out.append(_regex_sample(av[1][0]))
        elif op == sre_constants.SUBPATTERN:
            out.append(_regex_sample(av[-1]))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)):
            low, high, item = av
            out.append(_regex_sample(item) * (max(low, 1) if high else 0))
        elif op == getattr(sre_constants, "ATOMIC_GROUP", None):
            out.append(_regex_sample(av))
        elif op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue
        else:
            raise ValueError(f"no sample for regex element {op}")
    return "".join(out)


def _set_sample(items) -> str:
    if items and items[0][0] == sre_constants.NEGATE:
        return "1"
    op, av = items[0]
    if op == sre_constants.LITERAL:
        return chr(av)
    if op == sre_constants.RANGE:
        return chr(av[0])
    if op == sre_constants.CATEGORY:
        return {sre_constants.CATEGORY_DIGIT: "1", sre_constants.CATEGORY_SPACE: " "}.get(av, "x")
    raise ValueError(f"no sample for character set {items}")


def _pattern_sample(pattern) -> str:
    if hasattr(pattern, "language_prefix"):  # i18n_patterns
        return pattern.language_prefix
    if isinstance(pattern, RoutePattern):
        route = str(pattern)

        def fill(match):
            converter = pattern.converters[match["parameter"]]
            sample = CONVERTER_SAMPLES.get(type(converter))
            return sample if sample is not None else _regex_sample(sre_parse.parse(converter.regex))

        return _ROUTE_PARAMETER.sub(fill, route)
    return _regex_sample(sre_parse.parse(pattern.regex.pattern))


def walk(resolver=None, prefix="/", namespace=""):
    """Yield (name, url, view) for every view pattern, through all includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        url = prefix + _pattern_sample(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, url, inner)
        else:
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield name, url, entry.callback


URLS = sorted({(name, url): view for name, url, view in walk()}.items())
GUARDED_URLS = [(name, url, view) for (name, url), view in URLS if not (name in PUBLIC_NAMES or url.startswith(PUBLIC_PREFIXES))]
LOGIN_PATHS = {resolve_url(settings.LOGIN_URL), reverse("admin:login")}


def _seed():
    """One row of every model of the project's apps, and an attachment of a ticket; returns the ticket."""
    overrides = {
        ServiceHours: {"opens": time(8), "closes": time(9)},
        DraftingNote: {"document": DraftingNote.Document.SOP, "decree": None, "_fill_optional": ["service"]},
        # The ALOKON rows' check constraints: whole quantities that add up.
        Item: {"pack_size": 1},
        Movement: {"quantity": 1},
        StockBalance: {"quantity": 1},
        ReceiptConfirmation: {"accepted": 1, "rejected": 0},
        RoutinePlan: {"min_months": 1, "max_months": 3},
        ReportStock: {"opening": 5, "received": 0, "used": 0, "remaining": 5},
    }
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if not model._meta.object_name.startswith("Historical") and not model.objects.exists():
                baker.make(model, _create_files=True, **overrides.get(model, {}))
    ticket = Ticket.objects.select_related("unit").first()
    Attachment.objects.update(content_type=ContentType.objects.get_for_model(Ticket), object_id=ticket.pk, unit=ticket.unit)
    return ticket


def _seeded_ids():
    """The integer ids of every row of the project's models."""
    return sorted({pk for app_label in PROJECT_APPS for model in apps.get_app_config(app_label).get_models()
                   for pk in model.objects.values_list("pk", flat=True) if isinstance(pk, int)})


def _candidate_urls(url, ids):
    """The sample URL with each id parameter replaced by every one of `ids`, and `app` by every SOP app."""
    resolved = resolve(url)
    if resolved.args or not resolved.url_name:  # a regex route with positional groups: its sample only
        yield url
        return
    choices = []
    for key, value in resolved.kwargs.items():
        if key == "app":
            choices.append([{key: label} for label in sop_models()])
        elif not isinstance(value, int):
            choices.append([{key: value}])
    for combination in itertools.product(*choices, _id_choices(resolved.kwargs, ids)):
        yield reverse(resolved.view_name, kwargs={k: v for part in combination for k, v in part.items()})


def _id_choices(kwargs, ids):
    """The id parameters' values: every seeded id for all of them at once, and for each one in turn with the
    others at the first id. Every combination of two ids (a row within a record) would be 40 x 40 requests
    for one URL."""
    keys = [key for key, value in kwargs.items() if isinstance(value, int) and key != "app"]
    if not keys:
        return [{}]
    combinations = [dict.fromkeys(keys, pk) for pk in ids]
    for key in keys:
        combinations += [{**dict.fromkeys(keys, ids[0]), key: pk} for pk in ids]
    return list({tuple(c.items()): c for c in combinations}.values())


def _turns_away(response, statuses):
    if response.status_code in statuses:
        return True
    if response.status_code in (301, 302, 303, 307, 308):
        return urlsplit(response["Location"]).path in LOGIN_PATHS
    return False


def _redirects_elsewhere(response):
    """A redirect to a page of the portal that is not a login page (a write URL's GET going to its record)."""
    return response.status_code in (301, 302, 303, 307, 308) and urlsplit(response["Location"]).path not in LOGIN_PATHS


def _complaint(label, who, method, response):
    answer = f"{response.status_code} to {response['Location']}" if response.has_header("Location") else response.status_code
    return f"{label} answers {who} {method} with {answer}: add a permission check, or list it as public here"


def _complaint_if_let_in(client, who, statuses, guarded, ids):
    """The complaint if some candidate of the URL pattern lets `who` in, else None."""
    name, url, view = guarded
    assert resolve(url).func is view, f"{url}: the sample URL reaches another view; extend the samples"
    for candidate in _candidate_urls(url, ids):
        # secure=True: as in production, which serves HTTPS only.
        response = client.get(candidate, secure=True)
        method = "GET"
        if _redirects_elsewhere(response):
            response, method = client.get(response["Location"], secure=True), f"GET (then {response['Location']})"
            if not _turns_away(response, statuses):
                return _complaint(f"{candidate} ({name or 'unnamed'})", who, method, response)
            response, method = client.post(candidate, secure=True), "POST"
        elif response.status_code == 405:
            response, method = client.post(candidate, secure=True), "POST"
        if not _turns_away(response, statuses):
            return _complaint(f"{candidate} ({name or 'unnamed'})", who, method, response)
    return None


class Seeded(NamedTuple):
    ticket: Ticket
    outsider_session_key: str
    ids: list[int]  # of every row, the outsider's unit and membership included


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seeded rows and a signed-in outsider, made once for the module's tests on this worker and rolled back
    after them (each test still rolls back its own writes)."""
    with django_db_blocker.unblock(), transaction.atomic():
        ticket = _seed()
        outsider = baker.make("auth.User")
        unit = Unit.objects.create(code="unit-luar", name="Unit Luar", kind=Unit.Kind.AGENCY)
        Membership.objects.create(user=outsider, unit=unit, role=Group.objects.get(name=Role.FASKES))
        login = Client()
        login.force_login(outsider)
        yield Seeded(ticket, login.cookies[settings.SESSION_COOKIE_NAME].value, _seeded_ids())
        transaction.set_rollback(True)


@pytest.fixture
def outsider_client(client, db, seeded):
    """A client signed in as the outsider, in the session `seeded` made: logging in once, not per URL."""
    client.cookies[settings.SESSION_COOKIE_NAME] = seeded.outsider_session_key
    return client


def test_the_walk_finds_every_kind_of_url():
    names = {name for (name, _url), _view in URLS}
    assert {"home", "login", "logout", "admin:index", "admin:auth_user_change", "access_log",
            "attachment_download", "ticket_detail"} <= names
    assert len(URLS) >= 40, f"the resolver walk found only {len(URLS)} URLs"


def test_each_public_name_still_exists():
    names = {name for (name, _url), _view in URLS}
    assert PUBLIC_NAMES | EVERY_USERS_NAMES <= names, f"stale names: {sorted(PUBLIC_NAMES - names)}"


def test_the_seeded_rows_are_reachable_so_a_guard_cannot_hide_behind_a_missing_row(client, db, seeded):
    insider = baker.make("auth.User")
    Membership.objects.create(user=insider, unit=seeded.ticket.unit, role=Group.objects.get(name=Role.OFFICER))
    client.force_login(insider)
    assert client.get(seeded.ticket.get_absolute_url()).status_code == 200
    assert client.get(reverse("attachment_download", args=[Attachment.objects.get().pk])).status_code == 200


def test_the_outsider_walks_signed_in(outsider_client):
    assert outsider_client.get(reverse("home"), secure=True).status_code == 200


def _walk_tests(urls):
    """The walk of `urls` by both visitors: a test per URL pattern and visitor."""
    outsider_urls = [guarded for guarded in urls if guarded[0] not in EVERY_USERS_NAMES]

    class Walk:
        @pytest.mark.parametrize("guarded", urls, ids=[name or url for name, url, _view in urls])
        def test_anonymous_visitors_are_turned_away(self, client, db, seeded, guarded):
            complaint = _complaint_if_let_in(client, "an anonymous", ANONYMOUS_STATUSES, guarded, seeded.ids)
            assert complaint is None, complaint

        @pytest.mark.parametrize("guarded", outsider_urls, ids=[name or url for name, url, _view in outsider_urls])
        def test_a_user_with_no_business_is_turned_away(self, outsider_client, seeded, guarded):
            complaint = _complaint_if_let_in(outsider_client, "an outsider", OUTSIDER_STATUSES, guarded, seeded.ids)
            assert complaint is None, complaint

    return Walk


def _app(url):
    """The namespace of the app a URL belongs to (admin, cases, alokon, ...); "portal" for the portal's own pages."""
    return (resolve(url).namespaces or ["portal"])[0]


# A class per app: `make test` runs xdist with --dist loadscope, which gives each class to one worker whole, so
# the apps' walks run side by side. Made from the resolver's URLs: a new app's URLs get a class of their own.
URLS_BY_APP: dict[str, list] = {}
for _guarded in GUARDED_URLS:
    URLS_BY_APP.setdefault(_app(_guarded[1]), []).append(_guarded)
for _app_name, _urls in URLS_BY_APP.items():
    globals()[f"TestWalk{_app_name.title()}"] = _walk_tests(_urls)
