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
