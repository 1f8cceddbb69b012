"""The run page (self-contained HTML with inline SVG charts) and the run summary as artifacts."""

from __future__ import annotations

import os
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any

from cleaners.runlog import RunSummary
from expectations.charts import Share, bar_chart, share_chart, top_items, trend_chart
from expectations.options import DEFAULT_QUALITY, QualityOptions
from expectations.validation import DatasetValidation

PAGE_NAME = "index.html"
TOP_SITES = 15
TOP_RULES = 20
TOP_LANGUAGES = 20
TREND_RUNS = 30
RECENT_RUNS = 10
MARKDOWN_ROWS = 10
# The page loads nothing: no scripts, no fonts, no images from anywhere, not even itself.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#212529;
margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 8px;
border-bottom:1px solid #dee2e6;padding-bottom:4px}
.meta{color:#6c757d;margin:0 0 16px}.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid #dee2e6;border-radius:6px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:1.6em}.ok{color:#2b8a3e}.bad{color:#e03131}
.balance{font-size:1.25em;margin:16px 0}.grid{display:grid;
grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:8px 32px}
svg.chart{max-width:100%;height:auto;font-size:12px;fill:#212529}svg .small{font-size:10px}
table{border-collapse:collapse;margin:8px 0}td,th{border-bottom:1px solid #dee2e6;
padding:3px 10px;text-align:left}td.n,th.n{text-align:right}.empty{color:#6c757d}
code{background:#f1f3f5;padding:0 3px;border-radius:3px}
"""


def render_run_page(
    summary: RunSummary,
    history: list[RunSummary],
    report_dir: Path,
    validation: DatasetValidation | None,
    options: QualityOptions = DEFAULT_QUALITY,
) -> Path:
    """Write `report_dir/index.html`: the run's figures, charts and quality verdict, offline."""
    report_dir.mkdir(parents=True, exist_ok=True)
    if validation is not None:
        summary = replace(
            summary, quality_success=validation.success, quality_failures=validation.failures
        )
    runs = _runs_with(summary, history)[-TREND_RUNS:]
    sections = [
        _header(summary),
        _balance(summary),
        _quality(summary, validation, report_dir),
        '<div class="grid">',
        _section(
            "Documents by language",
            bar_chart("Documents by language", top_items(summary.by_language, TOP_LANGUAGES)),
        ),
        _section(
            "Documents by site",
            bar_chart("Documents by site", top_items(summary.by_site, TOP_SITES)),
        ),
        _section(
            "Removals by rule",
            bar_chart("Removals by rule", top_items(summary.removals_by_rule, TOP_RULES)),
        ),
        _section(
            "Rejections by reason",
            bar_chart("Rejections by reason", sorted(summary.rejected_by_reason.items())),
        ),
        _section(
            "Metadata coverage", share_chart("Metadata coverage", _coverage(summary, options))
        ),
        _section(
            "Runs over time",
            trend_chart(
                "Read, written and rejected per run",
                [
                    (
                        run.run_id,
                        {"read": run.read, "written": run.written, "rejected": run.rejected},
                    )
                    for run in runs
                ],
            ),
        ),
        "</div>",
        _history_table(runs),
        _stages(summary),
    ]
    page = report_dir / PAGE_NAME
    page.write_text(_document(f"newsclean run {summary.run_id}", "\n".join(sections)), "utf-8")
    return page


def summary_markdown(summary: RunSummary) -> str:
    """The run in a few lines of markdown, for a Prefect artifact.

    >>> run = RunSummary(run_id="r1", started_at="2026-01-01T00:00:00Z", read=3, written=2,
    ...                  rejected=1, rejected_by_reason={"body-too-short": 1})
    >>> print(summary_markdown(run).splitlines()[2])
    **read 3 = written 2 + rejected 1** (balanced)
    """
    balance = "balanced" if summary.balanced else f"NOT balanced: {_gap(summary)} unaccounted"
    lines = [
        f"# newsclean run `{summary.run_id}`",
        "",
        f"**read {summary.read:,} = written {summary.written:,} + rejected {summary.rejected:,}**"
        f" ({balance})",
        "",
        f"Started {summary.started_at}, finished {summary.finished_at or '—'}; "
        f"{summary.inputs:,} inputs ({summary.skipped_inputs:,} unchanged, skipped); "
        f"{summary.duplicates:,} duplicates.",
        "",
        f"Quality: {_verdict(summary.quality_success)}",
    ]
    lines += [f"- {failure}" for failure in summary.quality_failures]
    for title, counts in (
        ("Rejections by reason", summary.rejected_by_reason),
        ("Documents by language", summary.by_language),
        ("Removals by rule", summary.removals_by_rule),
    ):
        lines += ["", f"## {title}", "", "| | count |", "| --- | ---: |"]
        lines += [
            f"| {_markdown_cell(name)} | {count:,} |"
            for name, count in top_items(counts, MARKDOWN_ROWS)
        ] or ["| (none) | 0 |"]
    lines += ["", "## Coverage", ""]
    lines += [f"- {share.label}: {share.value:.1%}" for share in _coverage(summary)]
    if summary.report_page:
        lines += ["", f"Run page: {summary.report_page}"]
    return "\n".join(lines) + "\n"


def summary_table(summary: RunSummary) -> list[dict[str, Any]]:
    """The run's figures as uniform rows (section, name, value) for a Prefect table artifact.

    >>> rows = summary_table(RunSummary(run_id="r1", started_at="", read=3, written=3))
    >>> rows[0]
    {'section': 'run', 'name': 'read', 'value': 3}
    """
    rows: list[dict[str, Any]] = [
        {"section": "run", "name": name, "value": getattr(summary, name)}
        for name in ("read", "written", "rejected", "duplicates", "inputs", "skipped_inputs")
    ]
    rows.append({"section": "run", "name": "balanced", "value": summary.balanced})
    rows += [
        {"section": "coverage", "name": share.label, "value": round(share.value, 4)}
        for share in _coverage(summary)
    ]
    for section, counts in (
        ("language", summary.by_language),
        ("site", summary.by_site),
        ("rejected", summary.rejected_by_reason),
        ("removed", summary.removals_by_rule),
    ):
        rows += [
            {"section": section, "name": name, "value": count}
            for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
    rows += [
        {"section": "seconds", "name": stage, "value": round(seconds, 3)}
        for stage, seconds in summary.stage_seconds.items()
    ]
    return rows


def _runs_with(summary: RunSummary, history: list[RunSummary]) -> list[RunSummary]:
    others = [run for run in history if run.run_id != summary.run_id]
    return sorted([*others, summary], key=lambda run: (run.started_at, run.run_id))


def _coverage(summary: RunSummary, options: QualityOptions | None = None) -> list[Share]:
    if summary.written <= 0:
        return []
    floors = options or QualityOptions()
    return [
        Share("date", summary.with_date / summary.written, floors.min_date_share),
        Share("title", summary.with_title / summary.written, floors.min_title_share),
        Share("authors", summary.with_authors / summary.written, floors.min_author_share),
    ]


def _header(summary: RunSummary) -> str:
    sources = ", ".join(f"<code>{escape(source)}</code>" for source in summary.sources) or "—"
    cards = [
        ("read", summary.read, ""),
        ("written", summary.written, "ok"),
        ("rejected", summary.rejected, "bad" if summary.rejected else ""),
        ("duplicates", summary.duplicates, ""),
        ("inputs", summary.inputs, ""),
        ("unchanged inputs", summary.skipped_inputs, ""),
    ]
    card_html = "".join(
        f'<div class="card"><b class="{css}">{value:,}</b>{escape(name)}</div>'
        for name, value, css in cards
    )
    return (
        f"<h1>newsclean run <code>{escape(summary.run_id)}</code></h1>"
        f'<p class="meta">Started {escape(summary.started_at or "—")}, finished '
        f"{escape(summary.finished_at or '—')}. Sources: {sources}</p>"
        f'<div class="cards">{card_html}</div>'
    )


def _balance(summary: RunSummary) -> str:
    verdict = (
        '<span class="ok">✔ every document read is written or rejected</span>'
        if summary.balanced
        else f'<span class="bad">✘ {escape(_gap(summary))} documents unaccounted for</span>'
    )
    equation = (
        f'<p class="balance" id="balance"><b>read {summary.read:,}</b> = '
        f"<b>written {summary.written:,}</b> + <b>rejected {summary.rejected:,}</b> {verdict}</p>"
    )
    if summary.read <= 0:
        return equation
    span = 640
    written = span * summary.written / max(summary.read, summary.written + summary.rejected)
    rejected = span * summary.rejected / max(summary.read, summary.written + summary.rejected)
    bar = (
        '<svg class="chart" role="img" aria-label="written and rejected make up read" '
        f'width="{span}" '
        f'height="26" viewBox="0 0 {span} 26" xmlns="http://www.w3.org/2000/svg">'
        f'<rect class="mark" x="0" y="2" width="{written:.1f}" height="22" fill="#2b8a3e">'
        f"<title>written {summary.written:,}</title></rect>"
        f'<rect class="mark" x="{written:.1f}" y="2" width="{rejected:.1f}" height="22" '
        f'fill="#e03131"><title>rejected {summary.rejected:,}</title></rect></svg>'
    )
    return equation + bar


def _quality(summary: RunSummary, validation: DatasetValidation | None, report_dir: Path) -> str:
    success = validation.success if validation else summary.quality_success
    failures = validation.failures if validation else summary.quality_failures
    items = "".join(f"<li>{escape(failure)}</li>" for failure in failures)
    links = []
    if validation and validation.data_docs:
        links.append(
            f'<a id="data-docs" href="{_href(validation.data_docs, report_dir)}">Data Docs</a>'
        )
    if validation:
        links.append(
            f'<a href="{_href(validation.json_path, report_dir)}">validation result (JSON)</a>'
        )
    css = "ok" if success else "bad" if success is False else ""
    return (
        f'<h2>Data quality: <span class="{css}">{escape(_verdict(success))}</span></h2>'
        + (f"<ul>{items}</ul>" if items else "")
        + (f"<p>{' · '.join(links)}</p>" if links else "")
    )


def _history_table(runs: list[RunSummary]) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(run.run_id)}</code></td><td>{escape(run.started_at)}</td>"
        f'<td class="n">{run.read:,}</td><td class="n">{run.written:,}</td>'
        f'<td class="n">{run.rejected:,}</td><td>{"yes" if run.balanced else "NO"}</td>'
        f"<td>{escape(_verdict(run.quality_success))}</td></tr>"
        for run in reversed(runs[-RECENT_RUNS:])
    )
    return (
        "<h2>Recent runs</h2><table><tr><th>run</th><th>started</th><th class=n>read</th>"
        "<th class=n>written</th><th class=n>rejected</th><th>balanced</th><th>quality</th></tr>"
        f"{rows}</table>"
    )


def _stages(summary: RunSummary) -> str:
    if not summary.stage_seconds:
        return ""
    rows = "".join(
        f'<tr><td>{escape(stage)}</td><td class="n">{seconds:,.2f}</td></tr>'
        for stage, seconds in summary.stage_seconds.items()
    )
    head = "<tr><th>stage</th><th class=n>seconds</th></tr>"
    return f"<h2>Time per stage</h2><table>{head}{rows}</table>"


def _section(title: str, chart: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{chart}</section>"


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def _href(target: Path, report_dir: Path) -> str:
    try:
        relative = os.path.relpath(target.resolve(), report_dir.resolve())
    except ValueError:  # another drive on Windows
        return escape(target.resolve().as_uri())
    return escape(Path(relative).as_posix())


def _verdict(success: bool | None) -> str:
    return {True: "passed", False: "failed", None: "not validated"}[success]


def _gap(summary: RunSummary) -> str:
    return f"{summary.read - summary.written - summary.rejected:+,}"


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
