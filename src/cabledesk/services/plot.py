"""A picture of the archive: cables per month for the busiest posts, and their coverage.

Drawn with matplotlib's Agg backend (no display needed, safe on servers); matplotlib is
imported only here, so commands that draw nothing never pay for it.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from cabledesk.services.stats import ArchiveStats

__all__ = ["TAIL", "plot_stats"]

TAIL = 0.01
"""Share of the oldest dated cables left out of the monthly chart when they trail far back."""


def _months(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last``, so empty months show as gaps."""
    year, month = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _busy_start(per_month: dict[str, dict[str, int]], dated: list[str]) -> tuple[str, int]:
    """The month from which the chart starts, and how many cables come before it.

    A corpus of the 2000s often holds a handful of cables from the 1960s-90s; drawing every
    empty month between would squash the chart, so the first ``TAIL`` of cables is cut off.
    """
    totals: dict[str, int] = defaultdict(int)
    for counts in per_month.values():
        for month, n in counts.items():
            totals[month] += n
    limit = TAIL * sum(totals.values())
    skipped = 0
    for month in dated:
        if skipped + totals[month] > limit:
            return month, skipped
        skipped += totals[month]
    return (dated[-1], 0) if dated else ("", 0)


def plot_stats(stats: ArchiveStats, path: str | Path, top: int = 8) -> Path:
    """Write a PNG: stacked cables per month (``top`` posts, the rest as "other") above a
    coverage-by-year chart for the same posts. Returns the path written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    leaders = [o or "?" for o, _n in stats.origins[:top]]
    per_month: dict[str, dict[str, int]] = defaultdict(dict)
    for origin, month, count in stats.by_origin_month:
        if month is None or len(month) != 7:
            continue
        name = origin or "?"
        key = name if name in leaders else "other"
        per_month[key][month] = per_month[key].get(month, 0) + count
    dated = sorted({m for counts in per_month.values() for m in counts})
    first, skipped = _busy_start(per_month, dated)
    fig, (monthly, cover) = plt.subplots(2, 1, figsize=(12, 9), constrained_layout=True)
    if dated:
        months = _months(first, dated[-1])
        series = [name for name in (*leaders, "other") if name in per_month]
        monthly.stackplot(
            range(len(months)),
            *[[per_month[name].get(m, 0) for m in months] for name in series],
            labels=series,
            step="post",
        )
        ticks = list(range(0, len(months), max(1, len(months) // 12)))
        monthly.set_xticks(ticks, [months[i] for i in ticks], rotation=45, ha="right")
        monthly.legend(loc="upper left", fontsize="small")
    note = f" ({skipped:,} earlier cables before {first} not drawn)" if skipped else ""
    monthly.set_title("Cables per month" + note)
    monthly.set_ylabel("cables")
    for name in leaders:
        rows = sorted((c for c in stats.coverage if c.origin == name), key=lambda c: c.year)
        if rows:
            cover.plot(
                [c.year for c in rows], [100 * c.coverage for c in rows], marker="o", label=name
            )
    cover.set_title("Coverage: serials held / highest serial seen, per year")
    cover.set_ylabel("% of serials held")
    cover.set_xlabel("year")
    if cover.lines:
        cover.legend(loc="upper left", fontsize="small")
    out = Path(path)
    fig.savefig(out, dpi=100, format="png")
    plt.close(fig)
    return out
