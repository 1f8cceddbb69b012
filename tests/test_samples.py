"""The sample inputs in data/samples stay as data/samples/MANIFEST.json describes them."""

import gzip
import json
import re
from collections import Counter
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
MANIFEST_PATH = SAMPLES / "MANIFEST.json"
README_PATH = SAMPLES / "README.md"
NOT_INPUTS = {"MANIFEST.json", "README.md"}

FORMATS = {"txt", "html", "jsonl"}
RESIDUE_KINDS = {
    "banner",
    "hashtags",
    "comment-widget",
    "related-articles",
    "ad-marker",
    "credit",
    "wire-credit",
    "dateline",
    "header-date",
    "language-label",
    "share-bar",
    "nav-menu",
    "footer",
}
GZIP_MAGIC = b"\x1f\x8b"
# A body paragraph is long prose; residue lines (credits, menus, widgets) are short.
BODY_PARAGRAPH_MIN_WORDS = 20
WORD = re.compile(r"\w+")
# Frequent function words, enough to tell the sample languages apart at a glance.
FUNCTION_WORDS = {
    "en": {"the", "and", "of", "to", "said"},
    "fr": {"les", "des", "est", "une", "dans"},
    "de": {"und", "der", "die", "das", "nicht"},
    "it": {"della", "che", "per", "il", "delle"},
    "es": {"los", "las", "del", "que", "el"},
    "pt": {"os", "da", "do", "que", "não"},
    "nl": {"het", "een", "van", "de", "zijn"},
    "pl": {"się", "w", "na", "z", "że"},
}


class _TextOfHtml(HTMLParser):
    """Collect the text of block elements, one block per entry, ignoring scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag in {"p", "div", "li", "h1", "h2", "figcaption", "footer"}:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            if not self.blocks:
                self.blocks.append("")
            self.blocks[-1] += data


def _manifest() -> dict[str, Any]:
    return json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))


def _files() -> list[dict[str, Any]]:
    return list(_manifest()["files"])


def _raw(entry: dict[str, Any]) -> bytes:
    data = (SAMPLES / entry["path"]).read_bytes()
    return gzip.decompress(data) if entry["gzip"] else data


def _good_records() -> list[tuple[dict[str, Any], dict[str, Any], str]]:
    """(file entry, record entry, decoded content) for every article that should clean."""
    out = []
    for entry in _files():
        lines = _raw(entry).decode(entry.get("encoding", "utf-8")).split("\n")
        for record in entry["records"]:
            if "broken" in record:
                continue
            if entry["format"] == "jsonl":
                obj = json.loads(lines[record["line"] - 1])
                content = obj.get("text") or obj.get("html")
            else:
                content = "\n".join(lines)
            out.append((entry, record, content))
    return out


def _body_words(content: str, is_html: bool) -> int:
    if is_html:
        parser = _TextOfHtml()
        parser.feed(content)
        blocks = parser.blocks
    else:
        blocks = content.split("\n")
    counts = (len(WORD.findall(block)) for block in blocks)
    return sum(n for n in counts if n >= BODY_PARAGRAPH_MIN_WORDS)


def _record_ids() -> list[str]:
    return [f"{entry['path']}#L{record.get('line', 1)}" for entry, record, _ in _good_records()]


def test_every_listed_file_exists_and_every_input_is_listed() -> None:
    listed = {entry["path"] for entry in _files()}
    on_disk = {
        p.relative_to(SAMPLES).as_posix()
        for p in SAMPLES.rglob("*")
        if p.is_file() and p.name not in NOT_INPUTS
    }
    assert listed == on_disk


def test_paths_are_plain_ascii_under_a_site_folder() -> None:
    for entry in _files():
        path = entry["path"]
        assert path.isascii() and " " not in path, path
        site, _, name = path.partition("/")
        assert site == entry["site"] and name and "/" not in name, path


def test_file_names_match_declared_format_and_compression() -> None:
    for entry in _files():
        assert entry["format"] in FORMATS
        suffix = "." + entry["format"] + (".gz" if entry["gzip"] else "")
        assert entry["path"].endswith(suffix), entry["path"]


def test_every_format_is_present_plain_and_gzipped() -> None:
    seen = {(entry["format"], entry["gzip"]) for entry in _files()}
    assert seen >= {(fmt, gz) for fmt in FORMATS for gz in (False, True)}


def test_gzip_variants_are_reproducible() -> None:
    for entry in _files():
        if not entry["gzip"]:
            continue
        data = (SAMPLES / entry["path"]).read_bytes()
        assert data[:2] == GZIP_MAGIC, entry["path"]
        # Bytes 4..8 of the header hold the modification time; zero keeps rebuilds identical.
        assert data[4:8] == b"\x00\x00\x00\x00", entry["path"]
        assert gzip.decompress(data), entry["path"]


def test_declared_encodings_are_real() -> None:
    for entry in _files():
        encoding = entry.get("encoding", "utf-8")
        data = _raw(entry)
        text = data.decode(encoding)
        if encoding != "utf-8":
            # The file must need its declared charset: as UTF-8 it is invalid.
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
            assert f'charset="{encoding}"' in text, entry["path"]


def test_enough_good_articles_in_enough_languages() -> None:
    records = _good_records()
    languages = Counter(record["language"] for _, record, _ in records)
    assert len(records) >= 12
    assert len(languages) >= 5
    assert set(languages) <= set(FUNCTION_WORDS)


@pytest.mark.parametrize(("entry", "record", "content"), _good_records(), ids=_record_ids())
def test_article_is_in_its_declared_language(
    entry: dict[str, Any], record: dict[str, Any], content: str
) -> None:
    words = Counter(w.lower() for w in WORD.findall(content))
    scores = {lang: sum(words[w] for w in marks) for lang, marks in FUNCTION_WORDS.items()}
    assert max(scores, key=lambda lang: scores[lang]) == record["language"], (entry["path"], scores)


def test_every_article_has_at_least_80_words_of_body() -> None:
    for entry, record, content in _good_records():
        is_html = entry["format"] == "html" or record.get("kind") == "html"
        assert _body_words(content, is_html) >= 80, (entry["path"], record.get("line"))


def test_every_listed_residue_appears_in_its_file() -> None:
    for entry, record, content in _good_records():
        residue = record["residue"]
        assert set(residue) <= RESIDUE_KINDS, (entry["path"], set(residue) - RESIDUE_KINDS)
        assert len(residue) >= 5, entry["path"]
        for kind, marker in residue.items():
            assert marker.lower() in content.lower(), (entry["path"], kind, marker)


def test_every_residue_kind_is_represented() -> None:
    kinds = {kind for _, record, _ in _good_records() for kind in record["residue"]}
    assert kinds == RESIDUE_KINDS


def test_html_pages_carry_the_metadata_an_extractor_reads() -> None:
    for entry, record, content in _good_records():
        if not (entry["format"] == "html" or record.get("kind") == "html"):
            continue
        assert "<title>" in content and 'property="og:title"' in content
        assert "<article>" in content and "</article>" in content
        has_meta_date = 'property="article:published_time"' in content
        has_json_ld = '"@type": "NewsArticle"' in content and '"datePublished"' in content
        assert has_meta_date or has_json_ld, entry["path"]


def test_jsonl_records_have_content_and_well_formed_fields() -> None:
    ids = []
    mixes = []
    for entry in _files():
        if entry["format"] != "jsonl":
            continue
        lines = [line for line in _raw(entry).decode("utf-8").split("\n") if line]
        good = [r for r in entry["records"] if "broken" not in r]
        assert 3 <= len(good) <= 5, entry["path"]
        assert len(lines) == len(entry["records"]), entry["path"]
        kinds = set()
        for record in good:
            obj = json.loads(lines[record["line"] - 1])
            assert isinstance(obj.get("text") or obj.get("html"), str)
            kinds.add("html" if "html" in obj else "text")
            assert record["kind"] in kinds
            if "fetched_at" in obj:
                datetime.fromisoformat(obj["fetched_at"])
            if "id" in obj:
                assert obj["id"] == record["id"]
                ids.append(obj["id"])
        mixes.append(kinds)
    assert len(ids) == len(set(ids))
    assert {"text", "html"} in mixes


def test_deliberately_broken_inputs_are_broken() -> None:
    empty_files = [e for e in _files() if "broken" in e and e["format"] == "txt"]
    assert empty_files and all(_raw(e) == b"" for e in empty_files)
    bad_lines = 0
    for entry in _files():
        if entry["format"] != "jsonl":
            continue
        lines = _raw(entry).decode("utf-8").split("\n")
        for record in entry["records"]:
            if "broken" in record:
                with pytest.raises(json.JSONDecodeError):
                    json.loads(lines[record["line"] - 1])
                bad_lines += 1
    assert bad_lines >= 1


def test_a_story_is_syndicated_on_two_sites() -> None:
    sites_of_story: dict[str, set[str]] = {}
    for entry, record, _ in _good_records():
        sites_of_story.setdefault(record["story"], set()).add(entry["site"])
    assert any(len(sites) >= 2 for sites in sites_of_story.values())


def test_readme_names_every_file() -> None:
    readme = README_PATH.read_text(encoding="utf-8")
    for entry in _files():
        assert entry["path"] in readme, entry["path"]
