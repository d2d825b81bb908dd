"""Where the shapes of a chart go: plain numbers that templates/participation/_charts.html draws
as SVG. Jinja writes every label, so every label is escaped; colours come from the stylesheet.

Charts are drawn in a box WIDTH units wide that scales to the page: on a 360 px phone a unit is
about a pixel, so the labels stay readable; the same figures are in a table beside each chart.
"""

from dataclasses import dataclass, field

from flask_babel import gettext

from forum.clock import day_shown

WIDTH = 400
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 10, 24
LABELS_SHOWN = 7  # category labels under a column chart, at most
LABEL_CHARACTERS = 22


@dataclass
class Shape:
    x: float
    y: float
    width: float
    height: float
    layer: int
    title: str
    opacity: float = 1.0
    value: int = 0


@dataclass
class Tick:
    at: float
    label: str


@dataclass
class Chart:
    height: float
    shapes: list[Shape] = field(default_factory=list)
    values: list[Tick] = field(default_factory=list)  # the value axis, with gridlines
    categories: list[Tick] = field(default_factory=list)
    kind: str = "columns"  # or "bars" (horizontal) or "grid"
    width: float = WIDTH
    left: float = LEFT
    top: float = TOP


def nice_ticks(maximum: int) -> list[int]:
    """Round values from 0 to at least maximum, four or five steps at most."""
    step = 1
    while maximum / step > 5:
        for factor in (2, 5, 10):
            if maximum / (step * factor) <= 5:
                step *= factor
                break
        else:
            step *= 10
    top = max(-(-maximum // step), 1) * step
    return list(range(0, top + 1, step))


def short(label: str, characters: int = LABEL_CHARACTERS) -> str:
    """A label cut to fit beside a chart (the table gives it whole)."""
    return label if len(label) <= characters else label[: characters - 1].rstrip() + "…"


def columns(
    categories: list[str], layers: list[tuple[str, list[int]]], *, height: float = 180
) -> Chart:
    """Stacked columns, one per category, one layer per series (name, values)."""
    chart = Chart(height=height)
    totals = [sum(values) for values in zip(*(v for _, v in layers), strict=True)] or [0]
    ticks = nice_ticks(max(totals))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = height - TOP - BOTTOM
    scale = plot_height / ticks[-1]
    slot = plot_width / max(len(categories), 1)
    bar = max(slot * 0.8, 1)
    chart.values = [Tick(TOP + plot_height - t * scale, str(t)) for t in ticks]
    every = -(-len(categories) // LABELS_SHOWN)
    for n, category in enumerate(categories):
        x = LEFT + n * slot + (slot - bar) / 2
        if n % every == 0:
            chart.categories.append(Tick(LEFT + n * slot + slot / 2, category))
        base = TOP + plot_height
        for layer, (name, values) in enumerate(layers):
            if values[n]:
                size = values[n] * scale
                base -= size
                title = f"{category}, {name}: {values[n]}" if name else f"{category}: {values[n]}"
                chart.shapes.append(Shape(x, base, bar, size, layer, title, value=values[n]))
    return chart


def bars(categories: list[str], values: list[int], *, row: float = 22) -> Chart:
    """Horizontal bars, one per category, labelled on the left."""
    height = TOP + row * len(categories) + BOTTOM
    left = 48
    chart = Chart(height=height, kind="bars", left=left)
    ticks = nice_ticks(max(values, default=0))
    plot_width = WIDTH - left - RIGHT - 24  # room for the value after the longest bar
    scale = plot_width / ticks[-1]
    chart.values = [Tick(left + t * scale, str(t)) for t in ticks]
    for n, (category, value) in enumerate(zip(categories, values, strict=True)):
        y = TOP + n * row
        chart.categories.append(Tick(y + row / 2, category))
        chart.shapes.append(
            Shape(left, y + 3, value * scale, row - 6, 0, f"{category}: {value}", value=value)
        )
    return chart


def grid(rows: list[str], columns: list[str], counts: list[list[int]]) -> Chart:
    """A square per row and column, the darker the more it counts, its number written in it.

    Column names stand above the grid one under the other, each with a line down to its
    column, so that long names never overlap on a narrow screen."""
    left = 132
    cell = min(64.0, (WIDTH - left - RIGHT) / max(len(columns), 1))
    top = 16 * len(columns) + 12
    chart = Chart(height=top + cell * len(rows) + 4, kind="grid", left=left, top=top)
    most = max((n for line in counts for n in line), default=0) or 1
    for c, name in enumerate(columns):
        chart.categories.append(Tick(left + c * cell + cell / 2, short(name, 30)))
    for r, name in enumerate(rows):
        chart.values.append(Tick(top + r * cell + cell / 2, short(name, 20)))
        for c, column in enumerate(columns):
            n = counts[r][c]
            chart.shapes.append(Shape(left + c * cell + 1, top + r * cell + 1, cell - 2, cell - 2,
                                      0, f"{name} → {column}: {n}",
                                      opacity=0.08 + 0.92 * n / most, value=n))  # fmt: skip
    return chart


def draw(picture) -> dict[str, Chart]:
    """The charts of a participation picture (forum.participation.services.Picture)."""
    days = [day_shown(day, short=True) for day in picture.days]
    drawn = {
        "posts": columns(days, [(s.label, s.values) for s in picture.series]),
        "people": columns(
            days,
            [(gettext("New"), picture.new), (gettext("Returning"), picture.returning)],
        ),
        "depth": columns(
            [str(depth) for depth, _ in picture.depths], [("", [n for _, n in picture.depths])]
        ),
    }
    answered = [(q.code, q.answers) for q in picture.questions]
    if picture.more_questions:
        answered.append((gettext("others"), picture.more_questions))
    if picture.unprompted:
        answered.append((gettext("none"), picture.unprompted))
    drawn["answers"] = bars([c for c, _ in answered], [n for _, n in answered])
    replies = picture.replies
    if replies is not None:
        drawn["replies"] = grid(
            [replies.labels[b.key] for b in replies.rows],
            [replies.labels[b.key] for b in replies.columns],
            [[replies.count(r, c) for c in replies.columns] for r in replies.rows],
        )
    return drawn
