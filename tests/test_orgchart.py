"""Org chart layout: every size from 3 to 30 departments fits the page without overlaps."""

from __future__ import annotations

import pytest

from engine.documents.orgchart import PAD_CM, Chart, OrgNode, layout, overlaps, text_width

NAMES = [f"部门{chr(0x4E00 + i)}{chr(0x4E01 + i)}" for i in range(40)]


def tree(count: int, nested: bool = False) -> OrgNode:
    departments = [OrgNode(name) for name in NAMES[:count]]
    if nested and count >= 4:
        departments[1].children = [OrgNode("一车间"), OrgNode("二车间")]
        departments = departments[: count - 2]
    return OrgNode("总经理", departments)


def inside(chart: Chart) -> bool:
    return all(
        b.x >= 0
        and b.x + b.width <= chart.width + 1e-6
        and b.y >= 0
        and b.y + b.height <= chart.height + 1e-6
        for b in chart.boxes
    )


@pytest.mark.parametrize("count", [3, 5, 8, 12, 16, 22, 30])
@pytest.mark.parametrize("nested", [False, True])
def test_charts_fit_and_do_not_overlap(count: int, nested: bool) -> None:
    chart = layout(tree(count, nested), "管理者代表", max_width=15.4, max_height=21.0, cjk=True)
    assert chart is not None
    assert chart.width <= 15.4 + 1e-6
    assert chart.height <= 21.0 + 1e-6
    assert overlaps(chart) == []
    assert inside(chart)
    labels = [b.text for b in chart.boxes]
    assert "总经理" in labels
    assert "管理者代表" in labels
    assert sum(label.startswith("部门") for label in labels) == (
        count - 2 if nested and count >= 4 else count
    )


def test_small_organization_is_top_down_and_uses_the_width() -> None:
    chart = layout(tree(3), None, max_width=15.4, max_height=21.0, cjk=True)
    assert chart is not None
    assert chart.layout == "top-down"
    assert chart.width > 10


def test_crowded_chinese_chart_uses_vertical_text_english_does_not() -> None:
    chinese = layout(tree(12), None, max_width=15.4, max_height=21.0, cjk=True)
    english = layout(tree(12), None, max_width=15.4, max_height=21.0, cjk=False)
    assert chinese is not None
    assert english is not None
    assert chinese.layout == "top-down vertical"
    assert english.layout == "left-right"


def test_every_box_below_the_top_is_connected() -> None:
    chart = layout(tree(8, nested=True), None, max_width=15.4, max_height=21.0, cjk=True)
    assert chart is not None
    for box in chart.boxes:
        if box.bold:
            continue
        top_middle = (box.x + box.width / 2, box.y)
        assert any(
            abs(line.x2 - top_middle[0]) < 1e-6 and abs(line.y2 - top_middle[1]) < 1e-6
            for line in chart.lines
        ), box.text


def test_too_many_departments_do_not_fit() -> None:
    assert layout(tree(40), None, max_width=15.4, max_height=21.0, cjk=True) is None


def test_english_names_fit_their_boxes() -> None:
    """A Latin letter is wider than half an em: "Management Representative" must not be clipped."""
    departments = [OrgNode(f"Department number {i}") for i in range(12)]
    chart = layout(
        OrgNode("General Manager", departments),
        "Management Representative",
        max_width=15.4,
        max_height=21.0,
        cjk=False,
    )
    assert chart is not None
    assert chart.layout == "left-right"
    side = next(b for b in chart.boxes if b.text == "Management Representative")
    lines = -(-text_width(side.text, side.font_pt) // (side.width - 2 * PAD_CM))
    assert side.height >= lines * 0.4
    assert text_width("Representative", 9.0) > 14 * 0.5 * 9.0 * 0.03528
    assert overlaps(chart) == []
