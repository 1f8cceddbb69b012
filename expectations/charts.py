"""Inline SVG charts for the run page: horizontal bars, shares against floors, run trends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

BAR_HEIGHT = 22
BAR_GAP = 6
LABEL_WIDTH = 190
VALUE_WIDTH = 70
CHART_WIDTH = 640
LABEL_CHARS = 28
OTHER_LABEL = "(other)"
SERIES_COLOURS: dict[str, str] = {
    "read": "#4c6ef5",
    "written": "#2b8a3e",
    "rejected": "#e03131",
}
BAR_COLOUR = "#4c6ef5"
FLOOR_COLOUR = "#212529"


@dataclass(frozen=True, slots=True)
class Share:
    """A coverage share (0–1) and the floor it must reach, if any."""

    label: str
    value: float
    floor: float | None = None


def top_items(counts: dict[str, int], limit: int) -> list[tuple[str, int]]:
    """The largest counts, the rest folded into one "(other)" entry.

    >>> top_items({"a": 5, "b": 3, "c": 1, "d": 1}, 2)
    [('a', 5), ('b', 3), ('(other)', 2)]
    """
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    head, tail = ranked[:limit], ranked[limit:]
    if tail:
        head.append((OTHER_LABEL, sum(count for _, count in tail)))
    return head


def bar_chart(label: str, items: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars, one per item, each with its count written beside it.

    >>> svg = bar_chart("Documents by language", [("de", 3), ("fr", 1)])
    >>> svg.count('class="mark"'), "de" in svg
    (2, True)
    """
    if not items:
        return _empty(label)
    largest = max(max(count for _, count in items), 1)
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(items) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    rows = []
    for position, (name, count) in enumerate(items):
        y = BAR_GAP + position * (BAR_HEIGHT + BAR_GAP)
        width = max(span * count / largest, 1 if count else 0)
        text_y = y + BAR_HEIGHT * 0.7
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y:.1f}" text-anchor="end">'
            f"{escape(_short(name))}</text>"
            f'<rect class="mark" x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{BAR_COLOUR}">'
            f"<title>{escape(name)}: {count}</title></rect>"
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{text_y:.1f}">{count:,}</text>'
        )
    return _svg(label, height, "".join(rows))


def share_chart(label: str, shares: Sequence[Share]) -> str:
    """Shares as bars on a 0–100 % scale, each floor drawn as a tick the bar must pass.

    >>> svg = share_chart("Coverage", [Share("date", 0.8, 0.5)])
    >>> svg.count('class="mark"'), svg.count('class="floor"'), "80%" in svg
    (1, 1, True)
    """
    if not shares:
        return _empty(label)
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(shares) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    rows = []
    for position, share in enumerate(shares):
        y = BAR_GAP + position * (BAR_HEIGHT + BAR_GAP)
        value = min(max(share.value, 0.0), 1.0)
        below = share.floor is not None and value < share.floor
        colour = SERIES_COLOURS["rejected"] if below else SERIES_COLOURS["written"]
        text_y = y + BAR_HEIGHT * 0.7
        floor_text = f", floor {share.floor:.0%}" if share.floor is not None else ""
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y:.1f}" text-anchor="end">'
            f"{escape(share.label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{span}" height="{BAR_HEIGHT}" fill="#e9ecef"/>'
            f'<rect class="mark" x="{LABEL_WIDTH}" y="{y}" width="{span * value:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{colour}"><title>{escape(share.label)}: '
            f"{value:.1%}{floor_text}</title></rect>"
            f'<text x="{LABEL_WIDTH + span + 6}" y="{text_y:.1f}">{value:.0%}</text>'
        )
        if share.floor is not None:
            x = LABEL_WIDTH + span * share.floor
            rows.append(
                f'<line class="floor" x1="{x:.1f}" x2="{x:.1f}" y1="{y - 3}" '
                f'y2="{y + BAR_HEIGHT + 3}" stroke="{FLOOR_COLOUR}" stroke-width="2">'
                f"<title>floor {share.floor:.0%}</title></line>"
            )
    return _svg(label, height, "".join(rows))


def trend_chart(label: str, runs: Sequence[tuple[str, dict[str, int]]]) -> str:
    """One line per series across runs (oldest left), a point per run.

    >>> svg = trend_chart("Runs", [("r1", {"read": 3, "written": 2, "rejected": 1})])
    >>> svg.count('class="mark"')
    3
    """
    if not runs:
        return _empty(label)
    height, top, bottom, left, right = 240, 16, 40, 56, 110
    plot_width, plot_height = CHART_WIDTH - left - right, height - top - bottom
    largest = max([1, *(value for _, series in runs for value in series.values())])
    step = plot_width / max(len(runs) - 1, 1)

    def x_of(index: int) -> float:
        return left + (index * step if len(runs) > 1 else plot_width / 2)

    def y_of(value: int) -> float:
        return top + plot_height * (1 - value / largest)

    parts = [
        f'<line x1="{left}" x2="{left + plot_width}" y1="{top + plot_height}" '
        f'y2="{top + plot_height}" stroke="#adb5bd"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{largest:,}</text>',
        f'<text x="{left - 6}" y="{top + plot_height}" text-anchor="end">0</text>',
    ]
    for index, (run_label, _) in enumerate(runs):
        if len(runs) <= 12 or index in (0, len(runs) - 1):
            parts.append(
                f'<text x="{x_of(index):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                f'class="small">{escape(_short(run_label, 14))}</text>'
            )
    for row, (series, colour) in enumerate(SERIES_COLOURS.items()):
        points = [(x_of(i), y_of(values.get(series, 0))) for i, (_, values) in enumerate(runs)]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for (x, y), (run_label, values) in zip(points, runs, strict=True):
            parts.append(
                f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
                f"<title>{escape(run_label)}: {series} {values.get(series, 0):,}</title></circle>"
            )
        legend_y = top + 14 + row * 20
        parts.append(
            f'<rect x="{CHART_WIDTH - right + 16}" y="{legend_y - 10}" width="12" height="12" '
            f'fill="{colour}"/><text x="{CHART_WIDTH - right + 34}" y="{legend_y}">{series}</text>'
        )
    return _svg(label, height, "".join(parts))


def _svg(label: str, height: int, body: str) -> str:
    return (
        f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{CHART_WIDTH}" '
        f'height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>{body}</svg>'
    )


def _empty(label: str) -> str:
    return f'<p class="empty" aria-label="{escape(label)}">Nothing to show.</p>'


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
