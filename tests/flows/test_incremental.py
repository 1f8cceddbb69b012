"""Incremental runs: only new and changed inputs are cleaned; a changed input replaces its rows."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from cleaners.contract import read_articles, read_rejected
from cleaners.manifest import any_new_inputs, load_manifest
from cleaners.readers import discover
from cleaners.store import MANIFEST
from flows.cli import main
from flows.runner import run_flow
from flows.settings import RunSettings

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
FIRST_INPUTS = [
    "crawler-example/batch-2026-11-20.jsonl",
    "example-wire/2026-11-18-hamburg-terminal-cranes.txt",
    "jornal-example/porto-metro-linha-rosa.txt",
    "cronaca-example/bologna-tram-via-ugo-bassi.txt",
]
ADDED_INPUT = "tagesblatt-example/dresden-hochwasserschutz-elbe.txt"
CHANGED_TEXT = "example-wire/2026-11-18-hamburg-terminal-cranes.txt"
CHANGED_FEED = "crawler-example/batch-2026-11-20.jsonl"
NEW_ENGLISH_PARAGRAPH = (
    "The operator said the first four cranes would arrive by ship in the spring of 2027, "
    "with the remaining units following in two further deliveries over the next year."
)
NEW_FRENCH_PARAGRAPH = (
    "Les travaux seront financés par la métropole et par l'État pour un montant total de "
    "1,2 million d'euros, selon le calendrier présenté lundi soir aux riverains du quartier."
)


def snapshot(out: Path) -> dict[str, str]:
    """Every published file's digest: what a reader of the output folder can see."""
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.relative_to(out).parts[0] not in {".staging", ".lock"}
    }


def rows_by_source(out: Path) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in read_articles(out / "articles").to_pylist():
        rows.setdefault(row["source"], []).append(row)
    for row in read_rejected(out / "rejected").to_pylist():
        rows.setdefault(row["source"], []).append(row)
    return rows


def body_paragraph(clean_text: str, raw_text: str) -> str:
    """The longest paragraph of the clean body that the raw input holds word for word."""
    candidates = [p for p in clean_text.split("\n\n") if len(p) > 80 and p in raw_text]
    assert candidates, "a cleaned article keeps at least one of its paragraphs as written"
    return max(candidates, key=len)


@pytest.fixture(scope="module")
def runs(prefect_api: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    inputs = tmp_path_factory.mktemp("incremental") / "inputs"
    for relative in FIRST_INPUTS:
        (inputs / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SAMPLES / relative, inputs / relative)
    out = tmp_path_factory.mktemp("incremental-out")
    settings = RunSettings(sources=[str(inputs)], out=out, shard_size=3)

    first = run_flow(settings)
    after_first = rows_by_source(out)

    (inputs / ADDED_INPUT).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(SAMPLES / ADDED_INPUT, inputs / ADDED_INPUT)

    text_path = inputs / CHANGED_TEXT
    raw_text = text_path.read_text(encoding="utf-8")
    old_english = body_paragraph(after_first[CHANGED_TEXT][0]["text"], raw_text)
    text_path.write_text(raw_text.replace(old_english, NEW_ENGLISH_PARAGRAPH), encoding="utf-8")

    feed_path = inputs / CHANGED_FEED
    lines = feed_path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    old_french = body_paragraph(after_first[f"{CHANGED_FEED}#L1"][0]["text"], record["text"])
    record["text"] = record["text"].replace(old_french, NEW_FRENCH_PARAGRAPH)
    lines[0] = json.dumps(record, ensure_ascii=False)
    feed_path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    second = run_flow(settings)
    after_second = snapshot(out)
    third = run_flow(settings)
    return {
        "inputs": inputs,
        "out": out,
        "first": first,
        "second": second,
        "third": third,
        "after_first": after_first,
        "after_second": after_second,
        "old_paragraphs": [old_english, old_french],
        "feed_lines": len(lines),
    }


def test_first_run_writes_every_input(runs: dict[str, Any]) -> None:
    first = runs["first"]
    assert first.inputs == len(FIRST_INPUTS) and first.skipped_inputs == 0
    assert (
        first.read
        == first.written + first.rejected
        == sum(len(rows) for rows in runs["after_first"].values())
    )
    assert first.read == 3 + runs["feed_lines"]


def test_second_run_cleans_only_the_added_and_changed_inputs(runs: dict[str, Any]) -> None:
    second = runs["second"]
    assert second.inputs == len(FIRST_INPUTS) + 1
    assert second.skipped_inputs == 2
    # the added and the changed text file, and every line of the changed feed
    assert second.read == 2 + runs["feed_lines"] == second.written + second.rejected
    rows = rows_by_source(runs["out"])
    changed = {CHANGED_TEXT, ADDED_INPUT} | {
        f"{CHANGED_FEED}#L{n}" for n in range(1, runs["feed_lines"] + 1)
    }
    for source, found in rows.items():
        expected_run = second.run_id if source in changed else runs["first"].run_id
        assert [row["run_id"] for row in found] == [expected_run], source


def test_changed_inputs_replace_their_earlier_rows(runs: dict[str, Any]) -> None:
    articles = read_articles(runs["out"] / "articles").to_pylist()
    doc_ids = [row["doc_id"] for row in articles]
    assert len(doc_ids) == len(set(doc_ids)), "a changed input's rows are replaced, not added"
    rows = rows_by_source(runs["out"])
    assert sorted(rows) == sorted({*runs["after_first"], ADDED_INPUT}), (
        "every document is still exactly one row"
    )
    assert not [f for f in runs["second"].quality_failures if f.startswith("unique")]
    assert NEW_ENGLISH_PARAGRAPH in rows[CHANGED_TEXT][0]["text"]
    assert NEW_FRENCH_PARAGRAPH in rows[f"{CHANGED_FEED}#L1"][0]["text"]
    everything = "\n".join(row["text"] for row in articles)
    for old in runs["old_paragraphs"]:
        assert old not in everything
    # rows of the unchanged lines of the changed feed are rewritten as they were
    for n in range(2, runs["feed_lines"] + 1):
        before, after = (
            runs["after_first"][f"{CHANGED_FEED}#L{n}"][0],
            rows[f"{CHANGED_FEED}#L{n}"][0],
        )
        assert {k: v for k, v in before.items() if k != "run_id"} == {
            k: v for k, v in after.items() if k != "run_id"
        }


def test_third_run_with_nothing_new_writes_nothing(runs: dict[str, Any]) -> None:
    third = runs["third"]
    assert third.read == third.written == third.rejected == 0
    assert third.skipped_inputs == third.inputs == len(FIRST_INPUTS) + 1
    assert snapshot(runs["out"]) == runs["after_second"]
    # and it leaves no staging folder that the next run would take for an interrupted run
    staging = runs["out"] / ".staging"
    assert not staging.exists() or not any(staging.iterdir())


def test_command_line_says_when_there_is_nothing_new(
    runs: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", str(runs["inputs"]), "--out", str(runs["out"])])
    printed = capsys.readouterr().out
    assert code == 0
    assert "nothing new" in printed and "nothing written" in printed
    assert snapshot(runs["out"]) == runs["after_second"]


@pytest.mark.timeout(600)
def test_files_of_same_named_folders_keep_their_own_rows(prefect_api: None, tmp_path: Path) -> None:
    """Two folders called "news", each with an a.txt: one changes, the other's row stays."""
    folders = [tmp_path / "inputs" / desk / "news" for desk in ("x", "y")]
    stories = [
        "example-wire/2026-11-18-hamburg-terminal-cranes.txt",
        "jornal-example/porto-metro-linha-rosa.txt",
    ]
    for folder, story in zip(folders, stories, strict=True):
        folder.mkdir(parents=True)
        shutil.copy(SAMPLES / story, folder / "a.txt")
    out = tmp_path / "out"
    settings = RunSettings(sources=[str(folder) for folder in folders], out=out)
    run_flow(settings)
    with (folders[0] / "a.txt").open("a", encoding="utf-8") as story:
        story.write("\n" + NEW_ENGLISH_PARAGRAPH + "\n")
    second = run_flow(settings)
    assert (second.read, second.skipped_inputs) == (1, 1)
    rows = read_articles(out / "articles").to_pylist()
    assert sorted(row["source"] for row in rows) == ["a.txt", "news/a.txt"]
    assert len({row["doc_id"] for row in rows}) == 2
    changed = next(row for row in rows if row["source"] == "a.txt")
    assert NEW_ENGLISH_PARAGRAPH in changed["text"]
    kept = next(row for row in rows if row["source"] == "news/a.txt")
    assert kept["language"] == "pt"


@pytest.mark.timeout(600)
def test_an_input_missing_on_every_run_has_one_rejection(prefect_api: None, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SAMPLES / FIRST_INPUTS[1], inputs / "story.txt")
    out = tmp_path / "out"
    settings = RunSettings(sources=[str(inputs), str(tmp_path / "gone.txt")], out=out)
    run_flow(settings)
    (inputs / "second.txt").write_text((SAMPLES / FIRST_INPUTS[2]).read_text("utf-8"), "utf-8")
    run_flow(settings)
    reasons = [row["reason"] for row in read_rejected(out / "rejected").to_pylist()]
    assert reasons == ["missing-input"]
    assert len(read_articles(out / "articles")) == 2


@pytest.mark.timeout(600)
def test_an_output_folder_inside_the_inputs_is_not_read(prefect_api: None, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SAMPLES / FIRST_INPUTS[1], inputs / "story.txt")
    settings = RunSettings(sources=[str(inputs)], out=inputs / "out")
    first = run_flow(settings)
    second = run_flow(settings)
    assert (first.read, second.read, second.inputs) == (1, 0, 1)


@pytest.mark.timeout(600)
def test_a_document_id_published_by_an_earlier_run_fails_the_quality_checks(
    prefect_api: None, tmp_path: Path
) -> None:
    # A later batch of the crawl carries a record id that an earlier batch published already.
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SAMPLES / FIRST_INPUTS[0], inputs / "batch-1.jsonl")
    out = tmp_path / "out"
    settings = RunSettings(sources=[str(inputs)], out=out)
    first = run_flow(settings)
    assert not [f for f in first.quality_failures if f.startswith("unique")]
    record = json.loads((inputs / "batch-1.jsonl").read_text("utf-8").splitlines()[0])
    record["text"] += "\n\n" + NEW_FRENCH_PARAGRAPH
    (inputs / "batch-2.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    second = run_flow(settings)
    doc_ids = [row["doc_id"] for row in read_articles(out / "articles").to_pylist()]
    assert doc_ids.count(record["id"]) == 2
    assert second.quality_success is False
    assert "unique: doc_id: 1 document ids of this run are in earlier runs' articles too" in (
        second.quality_failures
    )


@pytest.mark.timeout(600)
def test_a_changed_input_is_matched_again_for_duplicates(prefect_api: None, tmp_path: Path) -> None:
    """An input rewritten into a copy of another story is flagged, like a new input would be."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SAMPLES / FIRST_INPUTS[1], inputs / "original.txt")
    shutil.copy(SAMPLES / FIRST_INPUTS[2], inputs / "rewritten.txt")
    out = tmp_path / "out"
    settings = RunSettings(sources=[str(inputs)], out=out)
    run_flow(settings)
    shutil.copy(SAMPLES / FIRST_INPUTS[1], inputs / "rewritten.txt")
    second = run_flow(settings)
    assert (second.read, second.duplicates) == (1, 1)
    rows = {row["source"]: row for row in read_articles(out / "articles").to_pylist()}
    assert rows["rewritten.txt"]["duplicate_of"] == rows["original.txt"]["doc_id"]


SITE_STORIES = [
    [
        "The new bridge over the Danube opened on Monday morning.",
        "It carries two tram tracks and a wide cycle lane.",
        "Construction took three years and cost 80 million euros.",
        "The mayor cut the ribbon in front of a large crowd.",
    ],
    [
        "The central library will open on Sundays from January.",
        "Students had asked for longer hours for several years.",
        "The city council approved the extra staff in its budget.",
        "Reading rooms will stay open until ten in the evening.",
    ],
    [
        "Cars will be banned from the old town next summer.",
        "Delivery vans may enter only in the early morning hours.",
        "Shop owners fear fewer customers during the tourist season.",
        "Residents keep their permits for the streets where they live.",
    ],
    [
        "The airport will build a second runway by the year 2030.",
        "Neighbours have filed a complaint about the expected noise.",
        "The regional government backs the plan with a loan.",
        "Airlines say the current runway is full at peak hours.",
    ],
]


def site_record(number: int) -> str:
    record = {
        "id": f"bridge-{number}",
        "url": f"https://river.example/news/{number}",
        "text": "\n\n".join(SITE_STORIES[number]),
    }
    return json.dumps(record) + "\n"


@pytest.mark.timeout(600)
def test_a_growing_feed_does_not_teach_its_own_articles_as_boilerplate(
    prefect_api: None, tmp_path: Path
) -> None:
    """Each run re-reads a feed that grew; its earlier records count once, not once a run."""
    feed = tmp_path / "inputs" / "feed.jsonl"
    feed.parent.mkdir()
    feed.write_text("".join(site_record(n) for n in range(len(SITE_STORIES))), "utf-8")
    out = tmp_path / "out"
    settings = RunSettings(sources=[str(feed.parent)], out=out)
    run_flow(settings)
    for number in range(2):
        with feed.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps({"id": f"other-{number}", "text": NEW_ENGLISH_PARAGRAPH}))
            stream.write("\n")
        run_flow(settings)
    learned = json.loads((out / "state" / "boilerplate.json").read_text("utf-8"))
    assert learned["groups"]["river.example"]["documents"] == len(SITE_STORIES)
    site_rows = [
        row for row in read_articles(out / "articles").to_pylist() if row["site"] == "river.example"
    ]
    assert len(site_rows) == len(SITE_STORIES)
    assert not [
        c for row in site_rows for c in row["cleaning"] if c["rule"] == "learned-boilerplate"
    ]


@pytest.mark.timeout(600)
def test_an_input_touched_but_unchanged_is_recorded_and_then_skipped_unread(
    prefect_api: None, tmp_path: Path
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    story = inputs / "story.txt"
    shutil.copy(SAMPLES / FIRST_INPUTS[1], story)
    out = tmp_path / "out"
    settings = RunSettings(sources=[str(inputs)], out=out)
    run_flow(settings)
    published = snapshot(out)
    later = story.stat().st_mtime_ns + 60 * 10**9
    os.utime(story, ns=(later, later))
    second = run_flow(settings)
    assert (second.read, second.skipped_inputs) == (0, 1)
    files, _ = discover(settings.sources, skip=out)
    assert not any_new_inputs(files, load_manifest(out / MANIFEST))
    changed = {path for path, digest in snapshot(out).items() if published.get(path) != digest}
    assert changed == {MANIFEST.as_posix()}, "only the recorded times change"
    staging = out / ".staging"
    assert not staging.exists() or not any(staging.iterdir())


def tram_record(doc_id: str, site: str, title: str, text: str = "") -> str:
    record = {
        "id": doc_id,
        "url": f"https://{site}/news",
        "title": title,
        "text": text or TRAM_STORY,
    }
    return json.dumps(record) + "\n"


TRAM_STORY = "\n\n".join(
    [
        "The council of Linz voted on Tuesday to build a new tram line to the south of the city.",
        "The project will cost 120 million euros and take four years, the transport department "
        "said after the vote.",
        "Residents welcomed the decision, while shop owners along the route fear a long period "
        "of construction works.",
        "The first section is due to open in 2028, with the remaining stops following a year "
        "later if funding holds.",
    ]
)


@pytest.mark.timeout(600)
def test_a_copy_whose_canonical_fails_its_row_checks_is_kept(
    prefect_api: None, tmp_path: Path
) -> None:
    """The first copy of a story is rejected (its title is a paragraph long): the other copy is
    written as the story's canonical, not dropped as a duplicate of a rejected row."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    too_long = "Linz tram " + "a headline far too long " * 14
    (inputs / "feed.jsonl").write_text(
        tram_record("first", "one.example", too_long)
        + tram_record("second", "two.example", "Linz votes for a new tram line"),
        "utf-8",
    )
    out = tmp_path / "out"
    settings = RunSettings(sources=[str(inputs)], out=out, drop_duplicates=True)
    first = run_flow(settings)
    assert (first.written, first.rejected, first.duplicates) == (1, 1, 0)
    [rejected] = read_rejected(out / "rejected").to_pylist()
    assert (rejected["doc_id"], rejected["reason"]) == ("first", "title-length")
    [written] = read_articles(out / "articles").to_pylist()
    assert (written["doc_id"], written["duplicate_of"]) == ("second", None)


@pytest.mark.timeout(600)
def test_later_copies_never_point_at_rejected_rows(prefect_api: None, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    too_long = "Linz tram " + "a headline far too long " * 14
    porto = (SAMPLES / FIRST_INPUTS[2]).read_text("utf-8")
    (inputs / "feed.jsonl").write_text(
        tram_record("first", "one.example", too_long)
        + tram_record("second", "two.example", "Linz votes for a new tram line"),
        "utf-8",
    )
    out = tmp_path / "out"
    settings = RunSettings(sources=[str(inputs)], out=out)
    run_flow(settings)
    # rejected with no copy in its run
    (inputs / "alone.jsonl").write_text(
        tram_record("alone", "one.example", too_long, porto), "utf-8"
    )
    run_flow(settings)
    (inputs / "later.jsonl").write_text(
        tram_record("third", "three.example", "Linz tram line")
        + tram_record("again", "two.example", "Porto metro", porto),
        "utf-8",
    )
    run_flow(settings)
    rejected = {row["doc_id"] for row in read_rejected(out / "rejected").to_pylist()}
    assert rejected == {"first", "alone"}
    rows = {row["doc_id"]: row for row in read_articles(out / "articles").to_pylist()}
    assert (rows["third"]["duplicate_of"], rows["again"]["duplicate_of"]) == ("second", None)
