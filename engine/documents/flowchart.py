"""Lay out a procedure's flowchart in swim lanes, one lane per department (pure: no OOXML).

Lanes are columns headed by the department's name; the steps run top to bottom, each in its
department's lane, joined by arrows that step sideways when the work changes hands.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from engine.documents.orgchart import Box, Chart, Line, box_size

HEADER_CM = 0.9  # height of the lane headers
ROW_GAP_CM = 0.55  # between one step's box and the next
SIDE_CM = 0.3  # margin between a box and its lane's borders
MAX_LANE_CM = 4.0


@dataclass(frozen=True)
class FlowStep:
    """A step of the flow: its lane (who does it) and the text in its box."""

    lane: str
    label: str


def swim_lanes(steps: list[FlowStep], width_cm: float) -> Chart:
    """Return the chart of steps in lanes across width_cm (lanes in order of first use)."""
    lanes = list(dict.fromkeys(step.lane for step in steps))
    lane_width = min(width_cm / max(len(lanes), 1), MAX_LANE_CM)
    total_width = lane_width * len(lanes)
    chart = Chart(width=total_width, height=HEADER_CM, layout="swim-lanes")
    for index, lane in enumerate(lanes):
        chart.boxes.append(
            Box(index * lane_width, 0.0, lane_width, HEADER_CM, lane, bold=True, font_pt=9.0)
        )
    y = HEADER_CM + ROW_GAP_CM
    placed: list[Box] = []
    for step in steps:
        column = lanes.index(step.lane)
        width, height = box_size(step.label, lane_width - 2 * SIDE_CM, 9.0)
        x = column * lane_width + (lane_width - width) / 2
        placed.append(Box(x, y, width, height, step.label, font_pt=9.0))
        y += height + ROW_GAP_CM
    chart.boxes.extend(placed)
    chart.height = y
    for upper, lower in itertools.pairwise(placed):
        chart.lines.extend(_connector(upper, lower))
    # The frame: an outer border and a rule between lanes, drawn as lines so the arrows show.
    for index in range(len(lanes) + 1):
        x = index * lane_width
        chart.lines.append(Line(x, 0.0, x, chart.height))
    chart.lines.append(Line(0.0, chart.height, total_width, chart.height))
    return chart


def _connector(upper: Box, lower: Box) -> list[Line]:
    """Return the arrow from the bottom of one box to the top of the next."""
    x1, y1 = upper.x + upper.width / 2, upper.y + upper.height
    x2, y2 = lower.x + lower.width / 2, lower.y
    if abs(x1 - x2) < 0.01:
        return [Line(x1, y1, x2, y2, arrow=True)]
    middle = (y1 + y2) / 2
    return [
        Line(x1, y1, x1, middle),
        Line(x1, middle, x2, middle),
        Line(x2, middle, x2, y2, arrow=True),
    ]


BAND_LABEL_CM = 0.9  # width of the vertical band names (管理过程 …)
BAND_GAP_CM = 0.7  # between bands, where the arrows between them run
BOX_GAP_CM = 0.45  # between boxes in a band


@dataclass(frozen=True)
class Band:
    """A row of processes in the process map: a group and its process names."""

    label: str
    names: list[str]
    chained: bool = False  # core processes: joined by arrows in order


def process_chart(bands: list[Band], width_cm: float, box_width_cm: float = 2.7) -> Chart:
    """Return the process map: bands of boxes, top to bottom, arrows between bands and chains.

    A band's boxes wrap onto further rows when they do not fit; a chained band's arrows follow
    the order, turning down to the next row at the end of one.
    """
    chart = Chart(width=width_cm, height=0.0, layout="process-map")
    inner = width_cm - BAND_LABEL_CM - BOX_GAP_CM
    per_row = max(1, int((inner + BOX_GAP_CM) // (box_width_cm + BOX_GAP_CM)))
    y = 0.0
    band_spans: list[tuple[float, float]] = []
    for band in bands:
        top = y
        rows = [band.names[i : i + per_row] for i in range(0, len(band.names), per_row)] or [[]]
        placed: list[Box] = []
        for row in rows:
            heights = [box_size(n, box_width_cm, 9.0)[1] for n in row] or [1.0]
            height = max(max(heights), 1.0)
            x = BAND_LABEL_CM + BOX_GAP_CM
            for name in row:
                placed.append(Box(x, y + BOX_GAP_CM, box_width_cm, height, name, font_pt=9.0))
                x += box_width_cm + BOX_GAP_CM
            y += height + BOX_GAP_CM
        y += BOX_GAP_CM
        chart.boxes.append(
            Box(0.0, top, BAND_LABEL_CM, y - top, band.label, vertical=True, bold=True, font_pt=9.0)
        )
        chart.boxes.extend(placed)
        if band.chained:
            for left, right in itertools.pairwise(placed):
                chart.lines.extend(_chain(left, right))
        chart.lines.extend(
            [
                Line(0.0, top, width_cm, top),
                Line(0.0, y, width_cm, y),
                Line(width_cm, top, width_cm, y),
            ]
        )
        band_spans.append((top, y))
        y += BAND_GAP_CM
    chart.height = y - BAND_GAP_CM
    middle = BAND_LABEL_CM + inner / 2
    for (_, upper_bottom), (lower_top, _) in itertools.pairwise(band_spans):
        chart.lines.append(Line(middle - 0.4, upper_bottom, middle - 0.4, lower_top, arrow=True))
        chart.lines.append(Line(middle + 0.4, lower_top, middle + 0.4, upper_bottom, arrow=True))
    return chart


def _chain(left: Box, right: Box) -> list[Line]:
    """Return the arrow from one process to the next, on its row or down to the next row."""
    if abs(left.y - right.y) < 0.01:
        y = left.y + left.height / 2
        return [Line(left.x + left.width, y, right.x, y, arrow=True)]
    x1, y1 = left.x + left.width / 2, left.y + left.height
    x2, y2 = right.x + right.width / 2, right.y
    middle = (y1 + y2) / 2
    return [
        Line(x1, y1, x1, middle),
        Line(x1, middle, x2, middle),
        Line(x2, middle, x2, y2, arrow=True),
    ]
