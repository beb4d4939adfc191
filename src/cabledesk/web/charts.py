"""Bar charts as geometry for inline SVG: the pages draw them server-side, no chart library.

The Content-Security-Policy forbids ``style`` attributes, so bars cannot be sized with CSS;
SVG's own ``x``/``y``/``width``/``height`` attributes are not styles, and the stylesheet
colours them by class. Series are zero-filled (every year or month from the first to the
last), so gaps in an archive show as gaps.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Bar", "BarChart", "bar_chart", "month_series", "year_series"]

WIDTH = 720
HEIGHT = 150
AXIS = 18
"""Pixels under the bars for the labels."""
LABEL_SPACING = 44
"""Least room between two labels on the axis."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: ``height`` scaled from ``value``; ``back_height`` an optional taller outline
    behind it (the coverage chart's highest serial)."""

    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    title: str
    href: str | None = None
    back_y: float | None = None
    back_height: float | None = None
    show_label: bool = False


@dataclass(frozen=True, slots=True)
class BarChart:
    """Bars in a ``width`` x ``height`` viewBox, labels on a baseline at ``baseline``."""

    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    baseline: float
    max_value: int


def bar_chart(
    title: str,
    items: Sequence[tuple[str, int]],
    *,
    hrefs: Mapping[str, str] | None = None,
    backs: Mapping[str, int] | None = None,
    describe: str = "{label}: {value:,}",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> BarChart:
    """A chart of ``(label, value)`` in order. ``hrefs`` makes a bar a link; ``backs`` adds an
    outline bar per label on the same scale; ``describe`` is each bar's tooltip (it may use
    ``{label}``, ``{value}`` and ``{back}``)."""
    hrefs = hrefs or {}
    backs = backs or {}
    peak = max([v for _l, v in items] + [backs.get(label, 0) for label, _v in items] + [1])
    plot = height - AXIS
    step = width / max(len(items), 1)
    gap = min(2.0, step * 0.2)
    every = max(1, math.ceil(LABEL_SPACING / step))
    bars = []
    for i, (label, value) in enumerate(items):
        h = plot * value / peak
        back = backs.get(label)
        back_h = plot * back / peak if back is not None else None
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(i * step + gap / 2, 2),
                y=round(plot - h, 2),
                width=round(max(step - gap, 0.5), 2),
                height=round(h, 2),
                title=describe.format(label=label, value=value, back=back),
                href=hrefs.get(label),
                back_y=round(plot - back_h, 2) if back_h is not None else None,
                back_height=round(back_h, 2) if back_h is not None else None,
                show_label=i % every == 0,
            )
        )
    return BarChart(title, tuple(bars), width, height, plot + 13, peak)


def year_series(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Counts by ``YYYY``, every year from the first to the last (zeros filled)."""
    years = sorted(int(y) for y in counts if y and y.isdigit())
    if not years:
        return []
    return [(str(y), counts.get(str(y), 0)) for y in range(years[0], years[-1] + 1)]


def month_series(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Counts by ``YYYY-MM``, every month from the first to the last (zeros filled)."""
    months = sorted(m for m in counts if m and len(m) == 7 and m[:4].isdigit())
    if not months:
        return []
    year, month = int(months[0][:4]), int(months[0][5:])
    last = months[-1]
    out = []
    while True:
        key = f"{year:04d}-{month:02d}"
        out.append((key, counts.get(key, 0)))
        if key >= last:
            return out
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
