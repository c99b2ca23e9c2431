"""Lay out an org chart (组织机构图) as boxes and lines, in centimetres (pure: no OOXML).

Three layouts, tried in order until one fits the page: top-down with horizontal text, top-down
with vertical (East Asian) text in narrow boxes, and left-to-right with one row per department.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from engine.textwidth import display_width

FONT_PT = 10.5  # 五号
SMALL_FONT_PT = 9.0  # 小五
PT_CM = 0.03528
LINE_CM = 0.5  # height of one line of 五号 text with its leading
PAD_CM = 0.25  # inner margin of a box, each side
GAP_CM = 0.3  # between sibling boxes
LEVEL_GAP_CM = 0.9  # between levels


@dataclass
class OrgNode:
    """A box in the chart: the top manager or a department, with the units under it."""

    label: str
    children: list[OrgNode] = field(default_factory=list)

    def leaves(self) -> int:
        """Return how many boxes sit at the bottom of this subtree."""
        return sum(child.leaves() for child in self.children) or 1

    def depth(self) -> int:
        """Return the number of levels from this node down."""
        return 1 + max((child.depth() for child in self.children), default=0)

    def count(self) -> int:
        """Return the number of boxes in this subtree."""
        return 1 + sum(child.count() for child in self.children)


@dataclass(frozen=True)
class Box:
    """A rectangle with centred text."""

    x: float
    y: float
    width: float
    height: float
    text: str
    vertical: bool = False
    bold: bool = False
    font_pt: float = FONT_PT


@dataclass(frozen=True)
class Line:
    """A straight connector; dashed for advisory links (管理者代表); arrow: a head at (x2, y2)."""

    x1: float
    y1: float
    x2: float
    y2: float
    dashed: bool = False
    arrow: bool = False


@dataclass
class Chart:
    """A laid-out chart; coordinates start at (0, 0) top left."""

    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    layout: str = ""


LATIN_EM = 0.6  # average advance of a Latin letter, in em (half an em clips English names)


def text_width(text: str, font_pt: float = FONT_PT) -> float:
    """Return the width of one line of text in cm (CJK characters are one em wide)."""
    wide = display_width(text) - len(text)  # CJK characters count two half-width cells
    ems = wide + (len(text) - wide) * LATIN_EM
    return ems * font_pt * PT_CM


def box_size(text: str, max_width: float, font_pt: float = FONT_PT) -> tuple[float, float]:
    """Return the width and height a box needs for its text, at most max_width wide."""
    return _box_size(text, max_width, font_pt)


def _box_size(text: str, max_width: float, font_pt: float = FONT_PT) -> tuple[float, float]:
    width = min(max(text_width(text, font_pt) + 2 * PAD_CM, 1.8), max_width)
    lines = max(1, math.ceil(text_width(text, font_pt) / (width - 2 * PAD_CM) - 0.01))
    return width, lines * LINE_CM * font_pt / FONT_PT + 2 * PAD_CM


def layout(
    root: OrgNode, side: str | None, *, max_width: float, max_height: float, cjk: bool
) -> Chart | None:
    """Return the first layout that fits max_width × max_height, or None if none does."""
    attempts = [_top_down(root, side, vertical=False)]
    if cjk:
        attempts.append(_top_down(root, side, vertical=True))
    attempts.append(_left_right(root, side))
    for chart in attempts:
        if chart.width > max_width + 1e-6 or chart.height > max_height + 1e-6:
            continue
        if not chart.layout.startswith("top-down"):
            return chart
        # Lay out again without the side box, spread over the page, then hang the side box.
        plain = _top_down(root, None, vertical=chart.layout.endswith("vertical"))
        stretched = _stretched(plain, min(max_width, plain.width * 2.2))
        return _with_side_box(stretched, side, max_width) if side else stretched
    return None


def _stretched(chart: Chart, width: float) -> Chart:
    """Spread a top-down chart's columns over width, keeping box sizes (uses the page width)."""
    if chart.width >= width - 1e-6:
        return chart
    inner = chart.width
    boxes = list(chart.boxes)
    # Scale the centres of boxes and the x of lines so that the outermost boxes touch the edges.
    left_half = min(b.x + b.width / 2 for b in boxes)
    right_half = max(b.x + b.width / 2 for b in boxes)
    margin_left = min(b.width / 2 for b in boxes if abs(b.x + b.width / 2 - left_half) < 1e-6)
    margin_right = min(b.width / 2 for b in boxes if abs(b.x + b.width / 2 - right_half) < 1e-6)
    span = right_half - left_half
    if span <= 0 or inner <= 0:
        return chart
    factor = (width - margin_left - margin_right) / span

    def x(value: float) -> float:
        return margin_left + (value - left_half) * factor

    chart.boxes = [
        Box(
            x(b.x + b.width / 2) - b.width / 2,
            b.y,
            b.width,
            b.height,
            b.text,
            b.vertical,
            b.bold,
            b.font_pt,
        )
        for b in chart.boxes
    ]
    stretched_lines = []
    for line in chart.lines:
        stretched_lines.append(Line(x(line.x1), line.y1, x(line.x2), line.y2, line.dashed))
    chart.lines = stretched_lines
    return _normalised(chart)


# -------------------------------------------------------------------------------- top-down


def _top_down(root: OrgNode, side: str | None, *, vertical: bool) -> Chart:
    chart = Chart(0, 0, layout="top-down vertical" if vertical else "top-down")
    sizes: dict[int, tuple[float, float]] = {}

    def size(node: OrgNode, depth: int) -> tuple[float, float]:
        if id(node) not in sizes:
            if depth == 0 or not vertical:
                sizes[id(node)] = _box_size(node.label, 3.4)
            else:
                # One character per line, at the line pitch LibreOffice and Word use for 五号.
                chars = max(len(node.label), 2)
                sizes[id(node)] = (0.85, min(chars, 12) * 0.52 + 2 * PAD_CM)
        return sizes[id(node)]

    widths: dict[int, float] = {}

    def subtree_width(node: OrgNode, depth: int) -> float:
        own = size(node, depth)[0] + GAP_CM
        below = sum(subtree_width(c, depth + 1) for c in node.children)
        widths[id(node)] = max(own, below)
        return widths[id(node)]

    subtree_width(root, 0)
    level_height: dict[int, float] = {}

    def heights(node: OrgNode, depth: int) -> None:
        level_height[depth] = max(level_height.get(depth, 0), size(node, depth)[1])
        for child in node.children:
            heights(child, depth + 1)

    heights(root, 0)
    side_width = _box_size(side, 3.4)[0] if side else 0.0
    level_top = {0: 0.0}
    for depth in range(1, len(level_height)):
        extra = 0.9 if depth == 1 else 0.0  # room for a side box under the root
        level_top[depth] = level_top[depth - 1] + level_height[depth - 1] + LEVEL_GAP_CM + extra

    def place(node: OrgNode, depth: int, left: float) -> float:
        """Place a subtree starting at left; return the centre x of its box."""
        width, height = size(node, depth)
        if node.children:
            centres = []
            cursor = left + (widths[id(node)] - sum(widths[id(c)] for c in node.children)) / 2
            for child in node.children:
                centres.append(place(child, depth + 1, cursor))
                cursor += widths[id(child)]
            centre = (centres[0] + centres[-1]) / 2
        else:
            centre = left + widths[id(node)] / 2
        top = level_top[depth] + (level_height[depth] - height) / 2
        chart.boxes.append(
            Box(
                centre - width / 2,
                top,
                width,
                height,
                node.label,
                vertical=vertical and depth > 0,
                bold=depth == 0,
            )
        )
        if node.children:
            bottom = top + height
            bus = level_top[depth + 1] - LEVEL_GAP_CM / 2
            chart.lines.append(Line(centre, bottom, centre, bus))
            if len(centres) > 1:
                chart.lines.append(Line(centres[0], bus, centres[-1], bus))
            for child, child_centre in zip(node.children, centres, strict=True):
                child_top = (
                    level_top[depth + 1] + (level_height[depth + 1] - size(child, depth + 1)[1]) / 2
                )
                chart.lines.append(Line(child_centre, bus, child_centre, child_top))
        return centre

    place(root, 0, 0.0)
    chart.width = widths[id(root)]
    chart.height = max(b.y + b.height for b in chart.boxes)
    if side:
        # Reserve the room the side box will take to the right of the root.
        root_box = next(b for b in chart.boxes if b.bold)
        chart.width = max(chart.width, root_box.x + root_box.width / 2 + 0.8 + side_width)
    return _normalised(chart)


def _with_side_box(chart: Chart, side: str, max_width: float) -> Chart:
    """Hang an advisory box (管理者代表) off the root's trunk with a dashed line."""
    width, height = _box_size(side, 3.4)
    root_box = next(b for b in chart.boxes if b.bold)
    centre = root_box.x + root_box.width / 2
    y = root_box.y + root_box.height + 0.25
    x = min(centre + 0.8, max_width - width)
    chart.boxes.append(Box(x, y, width, height, side))
    chart.lines.append(Line(centre, y + height / 2, x, y + height / 2, dashed=True))
    return _normalised(chart)


# ------------------------------------------------------------------------------ left-right


def _left_right(root: OrgNode, side: str | None) -> Chart:
    chart = Chart(0, 0, layout="left-right")
    font = SMALL_FONT_PT
    row_pitch = 0.68
    box_height = 0.56  # 小五 with the text box's inner margins: 0.5 clips descenders (g, p)
    column_width: dict[int, float] = {}

    def measure(node: OrgNode, depth: int) -> None:
        column_width[depth] = max(
            column_width.get(depth, 0), min(text_width(node.label, font) + 2 * PAD_CM, 4.6)
        )
        for child in node.children:
            measure(child, depth + 1)

    measure(root, 0)
    if side:
        column_width[0] = max(column_width[0], min(text_width(side, font) + 2 * PAD_CM, 4.6))
    column_left = {0: 0.0}
    for depth in range(1, len(column_width)):
        column_left[depth] = column_left[depth - 1] + column_width[depth - 1] + 0.9
    rows = [0]

    def place(node: OrgNode, depth: int) -> float:
        if node.children:
            middles = [place(child, depth + 1) for child in node.children]
            middle = (middles[0] + middles[-1]) / 2
        else:
            middle = rows[0] * row_pitch + box_height / 2
            rows[0] += 1
        left = column_left[depth]
        width = column_width[depth]
        chart.boxes.append(
            Box(
                left,
                middle - box_height / 2,
                width,
                box_height,
                node.label,
                bold=depth == 0,
                font_pt=font,
            )
        )
        if node.children:
            trunk = column_left[depth + 1] - 0.45
            chart.lines.append(Line(left + width, middle, trunk, middle))
            chart.lines.append(Line(trunk, middles[0], trunk, middles[-1]))
            for child_middle in middles:
                chart.lines.append(Line(trunk, child_middle, column_left[depth + 1], child_middle))
        return middle

    root_middle = place(root, 0)
    if side:
        width = column_width[0]
        y = root_middle + box_height / 2 + 0.5
        # Below the root nothing else is placed: the box grows to the lines its name needs.
        height = max(box_height, _box_size(side, width, font)[1] - 2 * PAD_CM + 0.1)
        chart.boxes.append(Box(0, y, width, height, side, font_pt=font))
        chart.lines.append(Line(width / 2, root_middle + box_height / 2, width / 2, y, dashed=True))
    chart.width = max(b.x + b.width for b in chart.boxes)
    chart.height = max(b.y + b.height for b in chart.boxes)
    return _normalised(chart)


def _normalised(chart: Chart) -> Chart:
    """Shift everything so the leftmost and topmost edges are at 0."""
    xs = [b.x for b in chart.boxes] + [min(line.x1, line.x2) for line in chart.lines]
    ys = [b.y for b in chart.boxes] + [min(line.y1, line.y2) for line in chart.lines]
    left, top = min(xs), min(ys)
    chart.boxes = [
        Box(b.x - left, b.y - top, b.width, b.height, b.text, b.vertical, b.bold, b.font_pt)
        for b in chart.boxes
    ]
    chart.lines = [
        Line(line.x1 - left, line.y1 - top, line.x2 - left, line.y2 - top, line.dashed)
        for line in chart.lines
    ]
    rights = [b.x + b.width for b in chart.boxes] + [max(line.x1, line.x2) for line in chart.lines]
    bottoms = [b.y + b.height for b in chart.boxes] + [
        max(line.y1, line.y2) for line in chart.lines
    ]
    chart.width, chart.height = max(rights), max(bottoms)
    return chart


def overlaps(chart: Chart) -> list[tuple[str, str]]:
    """Return pairs of boxes that overlap (for tests and as a guard)."""
    found = []
    for index, a in enumerate(chart.boxes):
        for b in chart.boxes[index + 1 :]:
            if (
                a.x < b.x + b.width - 1e-6
                and b.x < a.x + a.width - 1e-6
                and a.y < b.y + b.height - 1e-6
                and b.y < a.y + a.height - 1e-6
            ):
                found.append((a.text, b.text))
    return found
