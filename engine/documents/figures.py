"""Figures in documents: the org chart (组织机构图) from the profile's department tree."""

from __future__ import annotations

from engine.documents.model import Block, Diagram, Paragraph, Run
from engine.documents.orgchart import OrgNode, layout
from engine.domain.views import Views

CHART_WIDTH_CM = 15.4
CHART_HEIGHT_CM = 21.0


def department_tree(views: Views, *, depth_limit: int | None = None) -> OrgNode:
    """Return the chart tree: the top manager over the top-level departments and their units."""
    top = next(r for r in views.roles.values() if r.kind == "top_management")
    departments = list(views.departments.values())

    def node(department_id: str, depth: int) -> OrgNode:
        department = views.departments[department_id]
        if depth_limit is not None and depth >= depth_limit and department.children:
            count = len(department.children)
            key = "org_chart_more_one" if count == 1 else "org_chart_more"
            suffix = views.labels.format(key, views.lang, count=str(count))
            return OrgNode(department.name + suffix)
        return OrgNode(department.name, [node(c, depth + 1) for c in department.children])

    return OrgNode(top.title, [node(d.id, 1) for d in departments if d.level == 0])


def org_chart_blocks(views: Views) -> list[Block]:
    """Return the org chart and its caption; a large organization gets its top levels only."""
    representative = next(
        (r for r in views.roles.values() if r.kind == "management_representative"), None
    )
    side = representative.title if representative else None
    cjk = views.lang == "zh"
    for depth_limit in (None, 2, 1):
        tree = department_tree(views, depth_limit=depth_limit)
        chart = layout(tree, side, max_width=CHART_WIDTH_CM, max_height=CHART_HEIGHT_CM, cjk=cjk)
        if chart is not None:
            caption = views.labels.get("org_chart_caption", views.lang)
            return [
                Diagram(chart, caption),
                Paragraph([Run(caption)], style="Caption", align="center"),
            ]
    return []
