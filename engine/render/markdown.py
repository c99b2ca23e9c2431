"""Write the document model as Pandoc Markdown (pure: a Document in, text out).

Headings become ATX headings, runs keep bold, italic, underline and code, labelled list items
become nested Markdown lists (``a）`` → ``a)``, ``——`` → ``-``), tables become grid tables so
that cells with several lines survive, page and section breaks become raw OpenXML page breaks,
and org charts and the table of contents become text placeholders.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from engine.documents.model import (
    Block,
    Cell,
    Diagram,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Run,
    SectionBreak,
    Table,
    TableOfContents,
)
from engine.textwidth import display_width

PAGE_BREAK = '```{=openxml}\n<w:p><w:r><w:br w:type="page"/></w:r></w:p>\n```'
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>$^~@&|#])")
_LINE_START = re.compile(
    r"^([-+:=%])|^(\(?(?:[0-9]{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+))([.)])(?=\s|$)"
)
_ORDERED_LABEL = re.compile(r"^([（(]?)([0-9]{1,9}|[a-zA-Z])([）).、])$")
_SPACES = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)


def to_markdown(document: Document) -> str:
    """Return the document as Pandoc Markdown, metadata block first."""
    writer = _Writer()
    writer.metadata(document)
    for block in document.blocks:
        writer.block(block)
    return writer.finish()


def escape(text: str) -> str:
    """Return text escaped so that Pandoc Markdown reads it back literally."""
    escaped = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_start, escaped)


def _escape_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def inline(runs: Iterable[Run]) -> str:
    """Return runs as inline Markdown: **bold**, *italic*, [underline]{.underline}, `code`."""
    parts: list[str] = []
    for run in runs:
        for index, piece in enumerate(run.text.split("\n")):
            if index:
                parts.append("\\\n")
            parts.append(_run_text(run, piece))
    return "".join(parts)


def _run_text(run: Run, text: str) -> str:
    if not text:
        return ""
    if run.code:
        fence = "`" * (_longest_backticks(text) + 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        return f"{fence}{pad}{text}{pad}{fence}"
    match = _SPACES.match(text)
    assert match is not None
    before, body, after = match.groups()
    if not body:
        return text
    body = _INLINE_SPECIAL.sub(r"\\\1", body)
    if run.underline:
        body = f"[{body}]{{.underline}}"
    if run.italic:
        body = f"*{body}*"
    if run.bold:
        body = f"**{body}**"
    return f"{before}{body}{after}"


def _longest_backticks(text: str) -> int:
    return max((len(m) for m in re.findall(r"`+", text)), default=0)


def _bullet(label: str) -> tuple[str, str]:
    """Return the Markdown list marker for a literal label, and any label text to keep."""
    if not any(ch.isalnum() for ch in label):
        return "-", ""
    match = _ORDERED_LABEL.match(label.strip())
    if match is None:
        return "-", escape(label)
    opening, number, closing = match.groups()
    if opening:
        return f"({number})", ""
    return f"{number}{'.' if closing == '.' else ')'}", ""


class _Writer:
    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.list_indents: list[int] = []  # content column of each open list level
        self.in_list = False  # the last chunk is a list that the next item continues

    def finish(self) -> str:
        return "\n\n".join(chunk for chunk in self.chunks if chunk) + "\n"

    def metadata(self, document: Document) -> None:
        properties = document.properties
        texts = {  # Pandoc reads metadata strings as Markdown: escape them
            "title": properties.title,
            "author": properties.author,
            "subject": properties.subject,
            "keywords": properties.keywords,
        }
        values = {key: escape(value) for key, value in texts.items() if value}
        if properties.language:
            values["lang"] = properties.language
        lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()]
        self.chunks.append("---\n" + "\n".join(lines) + "\n---")

    def block(self, block: Block) -> None:
        if not (isinstance(block, Paragraph) and block.label is not None):
            self.list_indents = []
            self.in_list = False
        if isinstance(block, Heading):
            if block.page_break_before:
                self.chunks.append(PAGE_BREAK)
            level = min(max(block.level, 1), 6)
            self.chunks.append("#" * level + " " + escape(block.text).replace("\n", " "))
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Table):
            self.chunks.append(grid_table(block))
        elif isinstance(block, PageBreak | SectionBreak):
            self.chunks.append(PAGE_BREAK)
        elif isinstance(block, TableOfContents):
            if block.placeholder:
                self.chunks.append(escape(block.placeholder))
        elif isinstance(block, Image):
            self.chunks.append(
                f"![{escape(block.description)}](<{block.path.as_posix()}>)"
                f"{{width={block.width_cm:g}cm}}"
            )
        elif isinstance(block, Diagram):
            names = ", ".join(box.text.replace("\n", "") for box in block.chart.boxes)
            caption = block.caption or "diagram"
            text = f"[{caption}: {names}]" if names else f"[{caption}]"
            self.chunks.append(f"*{escape(text)}*")

    def paragraph(self, paragraph: Paragraph) -> None:
        if paragraph.page_break_before:
            self.chunks.append(PAGE_BREAK)
        text = inline(paragraph.runs)
        if paragraph.label is not None:
            self.list_item(paragraph, text)
            return
        if not text.strip():
            return
        text = _LINE_START.sub(_escape_start, text.lstrip(" \t"))
        if paragraph.style == "Subheading" and "**" not in text:
            text = f"**{text}**"
        if paragraph.style == "Note":
            text = "\n".join("> " + line for line in text.split("\n"))
        self.chunks.append(text)

    def list_item(self, paragraph: Paragraph, text: str) -> None:
        assert paragraph.label is not None
        depth = max(paragraph.level, 1)
        del self.list_indents[depth - 1 :]
        indent = self.list_indents[-1] if self.list_indents else 0
        marker, kept = _bullet(paragraph.label)
        content = indent + len(marker) + 1
        self.list_indents.append(content)
        lines = (kept + text.lstrip(" \t")).split("\n")
        item = " " * indent + marker + " " + lines[0]
        item += "".join("\n" + " " * content + line for line in lines[1:])
        if self.in_list:
            self.chunks[-1] += "\n" + item
        else:
            self.chunks.append(item)
        self.in_list = True


def grid_table(table: Table) -> str:
    """Return a table as a Pandoc grid table (first header row as header, spans left-aligned)."""
    count = max(
        [len(table.columns)] + [sum(cell.span for cell in row) for row in table.header + table.rows]
    )
    header = [_cells(row, count) for row in table.header[:1]]
    body = [_cells(row, count) for row in table.header[1:] + table.rows]
    widths = [3] * count
    for row in header + body:
        for index, lines in enumerate(row):
            widths[index] = max(widths[index], *(display_width(line) for line in lines))
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [rule]
    for row in header:
        out.extend(_row_lines(row, widths))
        out.append(rule.replace("-", "="))
    for row in body:
        out.extend(_row_lines(row, widths))
        out.append(rule)
    if not body and header:
        out.append(rule)
    return "\n".join(out)


def _cells(row: list[Cell], count: int) -> list[list[str]]:
    """Return each column's lines; a spanned cell fills its first column, the rest stay empty."""
    columns: list[list[str]] = []
    for cell in row:
        columns.append(_cell_lines(cell))
        columns.extend([[""] for _ in range(cell.span - 1)])
    columns.extend([[""] for _ in range(count - len(columns))])
    return columns[:count]


def _cell_lines(cell: Cell) -> list[str]:
    lines: list[str] = []
    for paragraph in cell.paragraphs:
        text = inline(paragraph.runs)
        if paragraph.label:
            text = escape(paragraph.label) + text
        text = _LINE_START.sub(_escape_start, text.lstrip(" \t"))
        if lines:
            lines.append("")
        lines.extend(part.rstrip() for part in text.split("\n"))
    while lines and not lines[-1]:
        lines.pop()
    return lines or [""]


def _row_lines(row: list[list[str]], widths: list[int]) -> list[str]:
    height = max(len(lines) for lines in row)
    out = []
    for index in range(height):
        parts = []
        for lines, width in zip(row, widths, strict=True):
            line = lines[index] if index < len(lines) else ""
            parts.append(" " + line + " " * (width - display_width(line)) + " ")
        out.append("|" + "|".join(parts) + "|")
    return out
