import re
from pathlib import Path

from cleaners.runlog import RunSummary
from expectations import render_run_page, summary_markdown, summary_table
from expectations.charts import bar_chart, top_items, trend_chart
from tests.expectations.quality_builders import a_summary, history, validation


def test_page_shows_balance_charts_and_links(tmp_path: Path):
    page = render_run_page(a_summary(), history(), tmp_path, validation(tmp_path))
    assert page == tmp_path / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "read 120</b> = <b>written 100</b> + <b>rejected 20</b>" in html
    assert "every document read is written or rejected" in html
    assert 'href="data_docs/index.html"' in html
    assert 'href="validation.json"' in html
    assert html.count('<svg class="chart"') == 7
    for label in ("Documents by language", "Documents by site", "Removals by rule"):
        assert f'aria-label="{label}"' in html
    assert "body-too-short" in html and "example.org" in html
    assert "expect_column_values_to_be_unique" in html


def test_page_escapes_what_the_data_contains(tmp_path: Path):
    html = render_run_page(a_summary(), [], tmp_path, None).read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_page_loads_nothing_from_the_network(tmp_path: Path):
    html = render_run_page(a_summary(), history(), tmp_path, None).read_text(encoding="utf-8")
    assert "default-src 'none'" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_page_flags_an_unbalanced_run(tmp_path: Path):
    summary = a_summary(read=125)
    html = render_run_page(summary, [], tmp_path, None).read_text(encoding="utf-8")
    assert "+5 documents unaccounted for" in html


def test_trend_covers_history_and_current_run_once(tmp_path: Path):
    runs = [*history(), a_summary()]
    html = render_run_page(a_summary(), runs, tmp_path, None).read_text(encoding="utf-8")
    trend = html[html.index('aria-label="Read, written and rejected per run"') :]
    trend = trend[: trend.index("</svg>")]
    assert trend.count('class="mark"') == 3 * 3
    assert trend.count("<polyline") == 3


def test_empty_run_renders(tmp_path: Path):
    summary = RunSummary(run_id="empty", started_at="2026-11-23T00:00:00+00:00")
    html = render_run_page(summary, [], tmp_path, None).read_text(encoding="utf-8")
    assert "Nothing to show." in html
    assert "not validated" in html


def test_summary_markdown_states_balance_and_reasons():
    text = summary_markdown(a_summary())
    assert "**read 120 = written 100 + rejected 20** (balanced)" in text
    assert "| body-too-short | 15 |" in text
    assert "NOT balanced: +1 unaccounted" in summary_markdown(a_summary(read=121))


def test_summary_table_rows_are_uniform():
    rows = summary_table(a_summary())
    assert all(set(row) == {"section", "name", "value"} for row in rows)
    assert {"section": "run", "name": "read", "value": 120} in rows
    assert {"section": "rejected", "name": "residue-left", "value": 5} in rows
    assert {"section": "coverage", "name": "authors", "value": 0.1} in rows


def test_charts_fold_the_tail_and_draw_one_mark_per_item():
    items = top_items({f"site{i}": i + 1 for i in range(30)}, 5)
    assert len(items) == 6 and items[-1][0] == "(other)"
    assert bar_chart("Sites", items).count('class="mark"') == 6
    assert trend_chart("Runs", []) == '<p class="empty" aria-label="Runs">Nothing to show.</p>'


def test_current_run_shows_the_validation_verdict(tmp_path: Path):
    summary = a_summary(quality_success=None)
    html = render_run_page(summary, history(), tmp_path, validation(tmp_path, success=True))
    recent = html.read_text(encoding="utf-8").split("<h2>Recent runs</h2>")[1]
    assert "<td><code>run-3</code></td>" in recent
    assert recent.split("</tr>")[1].endswith("<td>passed</td>")
    assert summary.quality_success is None
