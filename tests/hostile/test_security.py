"""Nothing from the data is fetched, executed or turned into a path."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaners.readers import display_source
from cleaners.store import partition_value
from tests.hostile.conftest import OPTIONS
from tests.hostile.corpus import STORY, Corpus, clean_paths, cleaned, either, story_html

HOST = "203.0.113.7"  # TEST-NET-3: never routed, so a leak cannot reach anyone


def external_pages(root: Path) -> Corpus:
    """Pages and records full of references a browser would fetch, run or follow."""
    corpus = Corpus(root)
    url = f"http://{HOST}"
    head = (
        f'<link rel="stylesheet" href="{url}/a.css"><script src="{url}/a.js"></script>'
        f'<link rel="preload" href="{url}/font.woff2"><base href="{url}/">'
        f'<meta http-equiv="refresh" content="0; url={url}/away">'
        f'<link rel="canonical" href="{url}/canonical"><style>@import url("{url}/b.css");</style>'
        f'<meta property="og:image" content="{url}/og.png">'
    )
    body_extra = (
        f'<img src="{url}/i.png" srcset="{url}/i2.png 2x"><iframe src="{url}/frame"></iframe>'
        f'<object data="{url}/o.swf"></object><video src="{url}/v.mp4"></video>'
        f'<a href="{url}/next">next</a><form action="{url}/post"></form>'
        f'<svg><image href="{url}/s.svg"/></svg><script>fetch("{url}/beacon")</script>'
    )
    page = story_html(head=head).replace("</article>", body_extra + "</article>")
    expect = cleaned("network", keep=tuple(STORY))
    corpus.add("net/external.html", page.encode(), expect)
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE html SYSTEM "{url}/x.dtd" '
        f'[<!ENTITY remote SYSTEM "{url}/entity">]>'
        + story_html().replace("</h1>", "&remote;</h1>")
    )
    corpus.add("net/remote-dtd.html", xml.encode(), either("network", "no-text", keep=(STORY[0],)))
    records = [
        {"id": "u1", "url": f"{url}/story", "html": page},
        {"id": "u2", "url": f"{url}/story2", "text": "\n".join(STORY)},
        {"id": "u3", "text": f"{url}/only-a-link\n" + "\n".join(STORY)},
    ]
    corpus.add_lines(
        "net/feed.jsonl", [(json.dumps(r).encode(), either("network")) for r in records]
    )
    return corpus


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every attempt to resolve a name or open a connection is recorded and refused."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args[1:] if args and isinstance(args[0], socket.socket) else args)
        raise OSError("the network is closed during cleaning")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket.socket, "sendto", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts


@pytest.fixture
def no_processes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    started: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        started.append(args)
        raise OSError("no process may be started while cleaning")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    monkeypatch.setattr(os, "system", refuse)
    monkeypatch.setattr(os, "posix_spawn", refuse)
    monkeypatch.setattr(os, "fork", refuse)
    yield started


@pytest.mark.timeout(120)
def test_cleaning_never_reaches_the_network_nor_runs_anything(
    tmp_path: Path, no_network: list[object], no_processes: list[object]
) -> None:
    corpus = external_pages(tmp_path / "inputs")
    outcome = clean_paths([str(corpus.root)], OPTIONS)
    assert not no_network, f"cleaning tried to connect: {no_network}"
    assert not no_processes, f"cleaning tried to start a process: {no_processes}"
    doc = outcome.documents[corpus.source("net/external.html")]
    assert "beacon" not in doc.text and "fetch(" not in doc.text
    assert outcome.read == len(outcome.documents) + len(outcome.rejections) == 5


@pytest.mark.timeout(60)
def test_a_page_that_looks_like_a_url_is_not_downloaded(
    tmp_path: Path, no_network: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    import urllib3

    # The downloader retries with back-off; the first attempt is all this test needs to see.
    monkeypatch.setattr(urllib3.util.retry.Retry, "sleep", lambda *args, **kwargs: None)
    page = f"http://{HOST}/<html><body><article><p>{'市议会周六开通了北部新电车线路。' * 4}</p>"
    (tmp_path / "url-like.html").write_text(page + "</article></body></html>")
    clean_paths([str(tmp_path)], OPTIONS)
    assert not no_network, f"cleaning tried to connect: {no_network}"


@given(st.text(max_size=40))
def test_partition_names_are_never_paths(language: str) -> None:
    value = partition_value(language)
    assert value == "und" or (value == language and value.isascii() and value.isalpha())
    assert "/" not in value and "\\" not in value and ".." not in value and value.strip() == value


@pytest.mark.parametrize(
    "language", ["../../etc", "..", "en/../../x", "/abs", "en\x00", "EN", "e n", "", "c:\\x", "ünd"]
)
def test_hostile_language_codes_become_und(language: str) -> None:
    assert partition_value(language) == "und"


@given(st.text(max_size=60))
def test_source_names_are_printable_and_writable(name: str) -> None:
    shown = display_source(name)
    shown.encode("utf-8")
    assert "\n" not in shown and "\r" not in shown and "\x00" not in shown
