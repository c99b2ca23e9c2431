"""Turn section Markdown into document blocks (pure: text in, blocks out).

Supported: paragraphs, **bold**, *italic*, `code`, bullet and ordered lists (nested), GFM
tables, ``#`` sub-headings, ``---`` page breaks, and containers ``::: right``, ``::: center``,
``::: note``. Lists get literal labels (a）, 1）, ——) as Chinese standards print them, which also
keeps numbering right in Word, WPS and LibreOffice alike. Emphasis is CommonMark's, except
that a CJK character beside ``**`` counts as a space: ``任命**王五。**同志`` is bold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter, Scanned, StateInline
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from engine.documents.model import (
    Align,
    Block,
    Cell,
    Column,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from engine.textwidth import display_width

CONTAINERS: dict[str, tuple[str | None, Align | None]] = {
    "right": (None, "right"),
    "center": (None, "center"),
    "note": ("Note", None),
    "title": ("Letter Title", "center"),
}
_ALIGN_STYLE = re.compile(r"text-align:(left|center|right)")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\s+(.+)$")
_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\uf900-\ufaff]")
# Scripts written without spaces around emphasis: CJK above, Hangul, and the ideograph planes.
_CJK_EMPHASIS = re.compile(
    r"[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f"
    r"\uff00-\uffef\U00020000-\U0003ffff]"
)


@dataclass(frozen=True)
class ListLabels:
    """How list items are labelled, per nesting level."""

    bullets: tuple[str, ...] = ("——", "·")
    ordered: tuple[str, ...] = ("{a}）", "{n}）", "（{n}）")

    def label(self, ordered: bool, level: int, number: int) -> str:
        """Return the label for item number (1-based) of a list at nesting level (0-based)."""
        if not ordered:
            return self.bullets[min(level, len(self.bullets) - 1)]
        pattern = self.ordered[min(level, len(self.ordered) - 1)]
        return pattern.format(n=number, a=_letters(number), A=_letters(number).upper())


def _letters(number: int) -> str:
    text = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.inline.ruler.at("emphasis", _emphasis)
    # One rule for every container name: each rule is tried on every line of every section.
    md.use(container_plugin, "box", validate=_is_container)
    return md


def _is_container(params: str, markup: str) -> bool:
    return _container_name(params) in CONTAINERS


def _container_name(params: str) -> str:
    return params.strip().split(" ", 1)[0]


def _emphasis(state: StateInline, silent: bool) -> bool:
    """Tokenize a run of * or _ as markdown-it does, deciding open/close CJK-friendly."""
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    scanned = _scan_delimiters(state, start, can_split_word=marker == "*")
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(
                marker=ord(marker),
                length=scanned.length,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def _scan_delimiters(state: StateInline, start: int, *, can_split_word: bool) -> Scanned:
    """Return whether a delimiter run can open or close emphasis.

    CommonMark's flanking rules assume spaces between words: ``任命**王五。**同志`` or
    ``**“质量”**方针`` would print the asterisks, because punctuation inside the run meets a
    letter outside it. Chinese has no spaces, so a CJK character next to the run counts as
    the space would (as the markdown-cjk-friendly proposal does); elsewhere the rules are
    CommonMark's. Profile values in bold (``**{{ name }}**``) may begin or end with anything.
    """
    src = state.src
    end = start
    while end < state.posMax and src[end] == src[start]:
        end += 1
    before = src[start - 1] if start > 0 else " "
    after = src[end] if end < state.posMax else " "
    before_space, after_space = isWhiteSpace(ord(before)), isWhiteSpace(ord(after))
    before_punct = isMdAsciiPunct(ord(before)) or isPunctChar(before)
    after_punct = isMdAsciiPunct(ord(after)) or isPunctChar(after)
    before_cjk = bool(_CJK_EMPHASIS.match(before))
    after_cjk = bool(_CJK_EMPHASIS.match(after))
    left = not after_space and (not after_punct or before_space or before_punct or before_cjk)
    right = not before_space and (not before_punct or after_space or after_punct or after_cjk)
    can_open = left and (can_split_word or not right or before_punct)
    can_close = right and (can_split_word or not left or after_punct)
    return Scanned(can_open, can_close, end - start)


_MD = _parser()


def render_markdown(
    text: str,
    labels: ListLabels | None = None,
    *,
    table_width_cm: float = 15.6,
    heading_base: int | None = None,
    heading_separator: str = "\u3000",
) -> list[Block]:
    """Return the blocks for a Markdown text.

    With heading_base, ``#`` headings become real headings one level below heading_base (in the
    table of contents, "1.1 总则" split into number and title); without it they are bold
    sub-headings that stay out of the contents.
    """
    builder = _Builder(labels or ListLabels(), table_width_cm, heading_base, heading_separator)
    builder.walk(_MD.parse(text))
    return builder.blocks


@dataclass
class _ListState:
    ordered: bool
    number: int
    items_started: int = 0


@dataclass
class _TableState:
    header: list[list[Cell]] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    aligns: list[Align | None] = field(default_factory=list)
    in_head: bool = False
    row: list[Cell] = field(default_factory=list)


class _Builder:
    def __init__(
        self,
        labels: ListLabels,
        table_width_cm: float,
        heading_base: int | None,
        heading_separator: str,
    ) -> None:
        self.labels = labels
        self.table_width_cm = table_width_cm
        self.heading_base = heading_base
        self.heading_separator = heading_separator
        self.heading_level = 0
        self.blocks: list[Block] = []
        self.lists: list[_ListState] = []
        self.containers: list[tuple[str | None, Align | None]] = []
        self.quote_depth = 0
        self.table: _TableState | None = None
        self.pending_label: str | None = None
        self.heading = False

    def walk(self, tokens: list[Token]) -> None:
        for token in tokens:
            handler = getattr(self, "_" + token.type, None)
            if handler is not None:
                handler(token)

    # -- block structure --------------------------------------------------------------------

    def _heading_open(self, token: Token) -> None:
        self.heading = True
        self.heading_level = int(token.tag[1:])

    def _heading_close(self, token: Token) -> None:
        self.heading = False

    def _bullet_list_open(self, token: Token) -> None:
        self.lists.append(_ListState(ordered=False, number=0))

    def _ordered_list_open(self, token: Token) -> None:
        start = int(str(token.attrGet("start") or 1))
        self.lists.append(_ListState(ordered=True, number=start - 1))

    def _bullet_list_close(self, token: Token) -> None:
        self.lists.pop()

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, token: Token) -> None:
        state = self.lists[-1]
        state.number += 1
        self.pending_label = self.labels.label(state.ordered, len(self.lists) - 1, state.number)

    def _hr(self, token: Token) -> None:
        self.blocks.append(PageBreak())

    def _blockquote_open(self, token: Token) -> None:
        self.quote_depth += 1

    def _blockquote_close(self, token: Token) -> None:
        self.quote_depth -= 1

    def _container_box_open(self, token: Token) -> None:
        self.containers.append(CONTAINERS[_container_name(token.info)])

    def _container_box_close(self, token: Token) -> None:
        self.containers.pop()

    def _fence(self, token: Token) -> None:
        for line in token.content.rstrip("\n").split("\n"):
            self.blocks.append(Paragraph([Run(line, code=True)], style="Normal"))

    _code_block = _fence

    # -- paragraphs -------------------------------------------------------------------------

    def _inline(self, token: Token) -> None:
        runs = inline_runs(token.children or [])
        if self.table is not None:
            align = None
            if self.table.row is not None:
                index = len(self.table.row)
                if index < len(self.table.aligns):
                    align = self.table.aligns[index]
            self.table.row.append(
                Cell(
                    [Paragraph(runs, style="Table Text", align=align)],
                    shaded=self.table.in_head,
                )
            )
            return
        style, align = "Normal", None
        for container_style, container_align in self.containers:
            style = container_style or style
            align = container_align or align
        if self.quote_depth:
            style = "Note"
        if self.heading and self.heading_base is not None:
            title = "".join(run.text for run in runs)
            match = _NUMBERED.match(title)
            number, title = (match.group(1), match.group(2)) if match else (None, title)
            level = min(self.heading_base + self.heading_level, 4)
            self.blocks.append(Heading(level, number, title, separator=self.heading_separator))
            return
        if self.heading:
            style = "Subheading"
        paragraph = Paragraph(runs, style=style, align=align, keep_with_next=self.heading)
        if self.lists:
            paragraph.style = "List Paragraph" if style == "Normal" else style
            paragraph.level = len(self.lists)
            paragraph.label = self.pending_label
            self.pending_label = None
        self.blocks.append(paragraph)

    # -- tables -----------------------------------------------------------------------------

    def _table_open(self, token: Token) -> None:
        self.table = _TableState()

    def _thead_open(self, token: Token) -> None:
        assert self.table is not None
        self.table.in_head = True

    def _thead_close(self, token: Token) -> None:
        assert self.table is not None
        self.table.in_head = False

    def _tr_open(self, token: Token) -> None:
        assert self.table is not None
        self.table.row = []

    def _th_open(self, token: Token) -> None:
        assert self.table is not None
        match = _ALIGN_STYLE.search(str(token.attrGet("style") or ""))
        self.table.aligns.append(match.group(1) if match else None)  # type: ignore[arg-type]

    def _tr_close(self, token: Token) -> None:
        assert self.table is not None
        target = self.table.header if self.table.in_head else self.table.rows
        target.append(self.table.row)

    def _table_close(self, token: Token) -> None:
        assert self.table is not None
        state, self.table = self.table, None
        count = max(len(row) for row in state.header + state.rows)
        widths = fit_columns(
            [[c.text for c in row] for row in state.header + state.rows], self.table_width_cm
        )
        columns = [
            Column(widths[i], state.aligns[i] if i < len(state.aligns) else None)
            for i in range(count)
        ]
        for row in state.header:
            for cell in row:
                for paragraph in cell.paragraphs:
                    paragraph.style = "Table Header"
        self.blocks.append(Table(columns, state.header, state.rows))


def inline_runs(children: list[Token]) -> list[Run]:
    """Return runs for the inline tokens of one paragraph or cell."""
    runs: list[Run] = []
    bold = italic = 0
    for index, child in enumerate(children):
        kind = child.type
        if kind == "text":
            runs.append(Run(child.content, bold=bold > 0, italic=italic > 0))
        elif kind == "code_inline":
            runs.append(Run(child.content, code=True, bold=bold > 0))
        elif kind == "softbreak":
            before = runs[-1].text[-1:] if runs and runs[-1].text else ""
            after = _first_text(children[index + 1 :])
            joiner = "" if _CJK.match(before or " ") or _CJK.match(after or " ") else " "
            if joiner:
                runs.append(Run(joiner, bold=bold > 0, italic=italic > 0))
        elif kind == "hardbreak":
            runs.append(Run("\n"))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "image":
            runs.append(Run(child.content))
    return _merge(runs)


def _first_text(children: list[Token]) -> str:
    for child in children:
        if child.type in ("text", "code_inline") and child.content:
            return child.content[0]
    return ""


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if (
            merged
            and _same_format(merged[-1], run)
            and run.text != "\n"
            and merged[-1].text != "\n"
        ):
            merged[-1] = Run(
                merged[-1].text + run.text,
                merged[-1].bold,
                merged[-1].italic,
                merged[-1].underline,
                merged[-1].code,
            )
        elif run.text:
            merged.append(run)
    return merged


def _same_format(a: Run, b: Run) -> bool:
    return (a.bold, a.italic, a.underline, a.code, a.field) == (
        b.bold,
        b.italic,
        b.underline,
        b.code,
        b.field,
    )


def fit_columns(rows: list[list[str]], total_cm: float, *, minimum: float = 1.2) -> list[float]:
    """Return column widths summing to total_cm, shared by how much text each column holds."""
    count = max((len(row) for row in rows), default=0)
    if count == 0:
        return []
    needs = []
    for index in range(count):
        cells = [row[index] for row in rows if index < len(row)]
        longest = max(
            (max((display_width(line) for line in c.split("\n")), default=0) for c in cells),
            default=0,
        )
        needs.append(min(max(longest, 4), 60))
    scale = total_cm / sum(needs)
    widths = [max(minimum, need * scale) for need in needs]
    overflow = sum(widths) - total_cm
    if overflow > 0:
        flexible = [i for i, w in enumerate(widths) if w > minimum]
        spare = sum(widths[i] - minimum for i in flexible)
        for i in flexible:
            widths[i] -= overflow * (widths[i] - minimum) / spare
    return [round(w, 2) for w in widths]


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&:=^])")


def md_escape(text: str) -> str:
    """Return text escaped so that Markdown prints it literally (profile data into templates)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    # Leading spaces would start a code block; a line of its own is kept as a line.
    return "\n".join(line.lstrip(" \t") for line in escaped.split("\n"))
