"""No view without a guard: every URL the portal serves turns an anonymous visitor away.

The test walks the URL resolver, builds one concrete URL per pattern and asks
for it without logging in. Each must redirect to a login page or answer
401/403/404/405; a URL that answers 405 to GET is also tried with POST, so a
`require_POST` placed above `login_required` cannot hide an open view.
A new view added without a permission check fails here, by its URL.

Public pages are listed below, on purpose and briefly.
"""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import converters, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern, URLResolver

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
}
# Path prefixes of pages meant for the public (e.g. the published service standards).
PUBLIC_PREFIXES: tuple[str, ...] = ("/publik/",)

GUARDED_STATUSES = {401, 403, 404, 405}

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


def _turns_away(response):
    if response.status_code in GUARDED_STATUSES:
        return True
    if response.status_code in (301, 302, 303, 307, 308):
        return urlsplit(response["Location"]).path in LOGIN_PATHS
    return False


def _complaint(label, method, response):
    answer = f"{response.status_code} to {response['Location']}" if response.has_header("Location") else response.status_code
    return f"{label} answers an anonymous {method} with {answer}: add a permission check, or list it as public here"


def test_the_walk_finds_every_kind_of_url():
    names = {name for (name, _url), _view in URLS}
    assert {"home", "login", "logout", "admin:index", "admin:auth_user_change"} <= names
    assert len(URLS) >= 40, f"the resolver walk found only {len(URLS)} URLs"


def test_each_public_name_still_exists():
    names = {name for (name, _url), _view in URLS}
    assert PUBLIC_NAMES <= names, f"stale public names: {sorted(PUBLIC_NAMES - names)}"


@pytest.mark.parametrize(("name", "url", "view"), GUARDED_URLS, ids=[url for _name, url, _view in GUARDED_URLS])
def test_anonymous_visitors_are_turned_away(client, db, name, url, view):
    label = f"{url} ({name or 'unnamed'})"
    assert resolve(url).func is view, f"{label}: the sample URL reaches another view; extend the samples"
    # secure=True: as in production, which serves HTTPS only.
    response = client.get(url, secure=True)
    assert _turns_away(response), _complaint(label, "GET", response)
    if response.status_code == 405:
        response = client.post(url, secure=True)
        assert _turns_away(response), _complaint(label, "POST", response)
