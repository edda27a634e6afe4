"""The way a page asks for a document made off the request, for the tests of every app that has one: post the
button's form, follow to the status page, download. The task runs eagerly (no broker, as in the demo), at the
commit of the request that asks."""

from django.test import TestCase
from django.urls import resolve, reverse

from portal.downloads.models import GeneratedFile


def ask(client, kind, data):
    """The response to posting the form of a "Buat PDF ..." button for `kind` with `data` (the source's fields)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("downloads:create", args=[kind]), data)


def asked_file(response) -> GeneratedFile:
    """The row a successful ask redirected to."""
    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"])
    assert match.view_name == "downloads:status", response["Location"]
    return GeneratedFile.objects.get(pk=match.kwargs["pk"])


def download(client, row):
    return client.get(reverse("downloads:download", args=[row.pk]))


def fetch(client, kind, data):
    """Ask for the document and download it at once (eagerly made): the file's response."""
    return download(client, asked_file(ask(client, kind, data)))


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
