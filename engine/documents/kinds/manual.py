"""The management manual (管理手册): front matter, the standard's chapters, annexes."""

from __future__ import annotations

import dataclasses

from engine.documents.commitments import CommitmentLog
from engine.documents.common import (
    core_properties,
    document_number,
    document_title,
    docx_fields,
)
from engine.documents.context import (
    TemplateContext,
)
from engine.documents.figures import org_chart_blocks
from engine.documents.manual_text import (
    list_labels,
    manual_context,
    section_markdown,
)
from engine.documents.model import (
    Block,
    Document,
    Heading,
    Paragraph,
    Run,
    SectionBreak,
    TableOfContents,
)
from engine.documents.procedures import ProcedureWriter
from engine.documents.process_map import process_blocks
from engine.documents.prose import render_markdown
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import (
    PORTRAIT_WIDTH_CM,
    correspondence_table,
    matrix_tables,
    outlet_table,
    procedure_table,
    revision_table,
    target_table,
)
from engine.documents.templating import TemplateProblem
from engine.domain.manual_plan import (
    PlannedClause,
    plan_clauses,
    section_numbers,
)
from engine.domain.views import (
    ProcedureView,
    Views,
    text,
)
from engine.errors import InputError, Problem
from engine.inputs.models import ManualPart


def clause_blocks(
    inputs: SetInputs,
    context: TemplateContext,
    plan: list[PlannedClause],
    problems: list[Problem] | None = None,
    log: CommitmentLog | None = None,
) -> list[Block]:
    """Return the clause chapters: headings, cited clauses, section text, and exclusions.

    Template problems go to problems when given (to report every broken section in one run);
    log, when given, learns under which heading each commitment is stated.
    """
    views = inputs.views
    labels = list_labels(views)
    index = views.section_index
    lang = views.lang
    separator = views.labels.get("title_separator", lang)
    blocks: list[Block] = []
    rendered: set[str] = set()

    listed: set[str] = set()

    def render_section(section: str) -> None:
        if section in rendered or section not in index:
            return
        rendered.add(section)
        try:
            markdown = section_markdown(inputs, context, section, listed)
        except TemplateProblem as exc:
            if problems is None:
                raise
            problems.append(exc.problem)
            return
        blocks.extend(render_markdown(markdown, labels))

    first_heading = section_numbers(plan)
    for position, entry in enumerate(plan):
        listed.clear()
        heading = Heading(
            entry.level,
            entry.number,
            entry.title,
            separator=separator,
            key=f"clause:{entry.number}",
        )
        blocks.append(heading)
        if log is not None:
            log.where = heading.text
        following = plan[position + 1] if position + 1 < len(plan) else None
        has_subclauses = following is not None and following.number.startswith(entry.number + ".")
        earlier = [
            first_heading[s]
            for s in entry.all_sections()
            if first_heading.get(s, entry.number) != entry.number
        ]
        if (
            earlier
            and not has_subclauses
            and entry.excluded_because is None
            and all(
                first_heading.get(s, entry.number) != entry.number for s in entry.all_sections()
            )
        ):
            # Its text is already under an earlier heading: say where, rather than leave it bare.
            see = views.labels.format("see_clause", lang, number=earlier[0])
            blocks.append(Paragraph([Run(see)]))
            continue
        if views.resolved.is_integrated and len(entry.cited) > 1:
            blocks.append(
                Paragraph([Run(cited_line(views, entry))], style="Note", keep_with_next=True)
            )
        if entry.excluded_because is not None:
            message = views.labels.format(
                "excluded_text", lang, justification=entry.excluded_because
            )
            blocks.append(Paragraph([Run(message)]))
            continue
        for section in entry.sections:
            render_section(section)
        for extra in entry.extras:
            if extra.section in rendered or extra.section not in index:
                continue
            title = views.labels.format(
                "extra_heading", lang, title=extra.clause.title, ref=extra.clause.ref
            )
            # A bold run-in title, not a heading: the manual keeps one numbering scheme, and the
            # other standard's clause is named where its text begins, on the same line.
            start = len(blocks)
            render_section(extra.section)
            first = blocks[start] if start < len(blocks) else None
            if isinstance(first, Paragraph) and first.style == "Normal" and first.label is None:
                lead = Run(title + labels_space(views), bold=True)
                blocks[start] = dataclasses.replace(first, runs=[lead, *first.runs])
            else:
                blocks.insert(start, Paragraph([Run(title, bold=True)], keep_with_next=True))
        pointer_line = detail_pointer(views, [p for p in views.procedures if p.number in listed])
        if pointer_line is not None:
            blocks.append(pointer_line)
    return blocks


def labels_space(views: Views) -> str:
    """Return the gap after a run-in title: an ideographic space in Chinese, a space in English."""
    return "\u3000" if views.lang == "zh" else " "


def detail_pointer(views: Views, procedures: list[ProcedureView]) -> Paragraph | None:
    """Return "相关文件：《…》（…）" closing a heading's text, or None.

    The manual says what the company does and who does it; this line says where the detail
    lives, in one place for every heading, so no template repeats it. Records are named by the
    procedures (记录) and the forms list, not again here: the chain runs manual → procedure →
    form, and listing every form under every heading made manuals pages longer.
    """
    if not procedures:
        return None
    lang, labels = views.lang, views.labels
    separator = labels.get("name_separator", lang)
    text_ = labels.format(
        "related_documents", lang, documents=separator.join(p.ref for p in procedures)
    )
    return Paragraph([Run(text_ + labels.get("sentence_end", lang))], style="Note")


def cited_line(views: Views, entry: PlannedClause) -> str:
    """Return "对应条款：ISO 9001:2015 8.5.5；GB/T 27922-2011 5.2.3、5.2.4" for a heading."""
    lang = views.lang
    separator = views.labels.get("name_separator", lang)
    groups: dict[str, list[str]] = {}
    for ref in entry.cited:
        groups.setdefault(ref.standard_id, []).append(ref.number)
    parts = [
        f"{views.standard_view(standard).label} {separator.join(numbers)}"
        for standard, numbers in groups.items()
    ]
    return views.labels.format(
        "cited_clauses", lang, clauses="；".join(parts) if lang == "zh" else "; ".join(parts)
    )


def part_blocks(
    part: ManualPart,
    inputs: SetInputs,
    context: TemplateContext,
    plan: list[PlannedClause],
    log: CommitmentLog | None = None,
) -> list[Block]:
    """Return a front-matter or annex part: heading, text, then its table."""
    views = inputs.views
    lang = views.lang
    blocks: list[Block] = []
    if part.landscape:
        blocks.append(SectionBreak("landscape"))
    heading = Heading(
        1,
        text(part.number, lang) or None,
        text(part.title, lang),
        centered=part.centered,
        separator=views.labels.get("title_separator", lang),
        key=f"part:{part.id}",
    )
    blocks.append(heading)
    if log is not None:
        log.where = heading.text
    if part.id is not None and part.id in inputs.templates.names("manual"):
        markdown = inputs.templates.render("manual", part.id, context.names())
        blocks.extend(
            render_markdown(
                markdown,
                list_labels(views),
                heading_base=1,
                heading_separator=views.labels.get("title_separator", lang),
            )
        )
    elif part.table is None and part.figure is None:
        # A text part without its template: render() reports the missing file with its path.
        inputs.templates.render("manual", part.id or "", context.names())
    if part.figure == "org_chart":
        blocks.extend(org_chart_blocks(views))
    if part.table == "procedures":
        blocks.append(procedure_table(views))
    elif part.table == "revisions":
        blocks.append(revision_table(views))
    elif part.table == "targets" and views.targets:
        blocks.append(target_table(views))
    elif part.table == "matrix" and views.resolved.is_integrated:
        # One matrix by the manual's own headings keeps an integrated manual to its length; the
        # other standards' clauses are in the standalone 职能分配表 of the set.
        blocks.extend(matrix_tables(views, primary_only=True))
        others = views.labels.get("name_separator", views.lang).join(
            views.standard_view(s.id).label for s in views.resolved.standards[1:]
        )
        note = views.labels.format(
            "matrix_others",
            views.lang,
            standards=others,
            title=document_title(views, "matrix"),
            number=document_number(views, "matrix"),
        )
        blocks.append(Paragraph([Run(note)]))
    elif part.table == "matrix":
        blocks.extend(matrix_tables(views))
    elif part.table == "correspondence":
        blocks.append(correspondence_table(views, plan))
    elif part.table == "process_map":
        writer = ProcedureWriter.for_set(inputs)
        blocks.extend(process_blocks(writer, PORTRAIT_WIDTH_CM))
    elif part.table == "outlets" and context.after_sales:
        blocks.append(outlet_table(views))
    if part.landscape:
        blocks.append(SectionBreak("portrait"))
    return blocks


def build_manual(inputs: SetInputs) -> Document:
    """Return the manual of a set."""
    views = inputs.views
    outline = inputs.outline
    if outline is None:
        raise InputError(
            [Problem("templates/manual.yaml", message="the manual outline is missing")]
        )
    plan = plan_clauses(views)
    log = CommitmentLog(views.resolved.commitments, views.lang)
    context, included = manual_context(views, outline, plan, inputs.registry, log)
    blocks: list[Block] = []
    problems: list[Problem] = []
    for part in included:
        if part.kind == "contents":
            blocks.append(
                Paragraph([Run(views.labels.get("contents", views.lang))], style="TOC Heading")
            )
            blocks.append(TableOfContents(levels=3))
        elif part.kind == "clauses":
            blocks.extend(clause_blocks(inputs, context, plan, problems, log))
        else:
            try:
                blocks.extend(part_blocks(part, inputs, context, plan, log))
            except TemplateProblem as exc:
                problems.append(exc.problem)
    if problems:
        raise InputError(problems)
    return Document(
        kind="manual",
        reference="manual",
        fields=docx_fields(
            views, "manual", inputs.logo, number=document_number(views, "manual", inputs.registry)
        ),
        properties=core_properties(
            views, "manual", number=document_number(views, "manual", inputs.registry)
        ),
        blocks=blocks,
        commitments=[(use.id, use.where) for use in log.uses],
    )


KIND = DocumentKind(
    id="manual",
    title_label="manual_title",
    help="管理手册 management manual",
    build=build_manual,
    default_number="{abbr}-{sys}-01",
    order=10,
)
