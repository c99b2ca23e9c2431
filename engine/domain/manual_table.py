"""Read a manual's own clause correspondence table (条款对照表): clause → the manual's sections."""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.domain.clausetree import ClauseTree
from engine.inputs.headings import chinese_number, is_correspondence_header, normalise

_NUMBER = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d{1,2}){0,4})(?![\d])")
_CHAPTER = re.compile(r"第([零一二两三四五六七八九十\d]+)[章节]")
_STANDARD_SIDE = re.compile(r"标准|条款|iso|gb/?t|clause|requirement|standard", re.IGNORECASE)
_MANUAL_SIDE = re.compile(r"手册|章节|本公司|manual|section|chapter", re.IGNORECASE)
_NONE = re.compile(r"^(?:[—\-–/／×✗]+|无|不适用|删减|n/?a|none|not applicable)$", re.IGNORECASE)


@dataclass(frozen=True)
class TableEntry:
    """One row of a correspondence table: the clauses it names and the sections it points to."""

    clauses: tuple[str, ...]
    sections: tuple[str, ...]
    row: str
    excluded: bool = False


def read_correspondence(tables: list[list[list[str]]], target: ClauseTree) -> list[TableEntry]:
    """Return the rows of every correspondence table in a manual, for the clauses of target."""
    entries: list[TableEntry] = []
    for table in tables:
        header_at = next(
            (i for i, row in enumerate(table[:3]) if is_correspondence_header(row)), None
        )
        if header_at is None:
            continue
        header = [normalise(c) for c in table[header_at]]
        body = [[normalise(c) for c in row] for row in table[header_at + 1 :]]
        columns = _columns(header, body, target)
        if columns is None:
            continue
        standard, manual = columns
        for row in body:
            if max(standard, manual) >= len(row):
                continue
            clauses = tuple(
                n for n in _NUMBER.findall(_leading_numbers(row[standard])) if n in target
            )
            if not clauses:
                continue
            cell = row[manual].strip()
            sections = _sections(cell)
            entries.append(
                TableEntry(
                    clauses, sections, " | ".join(c for c in row if c), bool(_NONE.match(cell))
                )
            )
    return entries


def _leading_numbers(cell: str) -> str:
    """Return the part of a cell holding clause numbers, not digits inside the title words."""
    match = re.match(r"^[\s\d.,，、;；/和及与~\-–]+", cell)
    return match.group(0) if match else ""


def _sections(cell: str) -> tuple[str, ...]:
    """Return the manual section numbers a cell names: '3.2、3.4', '第三章' → ('3.2', '3.4')."""
    found: list[str] = []
    for match in _CHAPTER.finditer(cell):
        number = chinese_number(match.group(1))
        if number is not None:
            found.append(str(number))
    found += _NUMBER.findall(_CHAPTER.sub(" ", cell))
    return tuple(dict.fromkeys(found))


def _columns(
    header: list[str], body: list[list[str]], target: ClauseTree
) -> tuple[int, int] | None:
    """Return the indexes of the standard's clause column and the manual's section column."""

    def clause_rows(column: int) -> int:
        return sum(
            1
            for row in body
            if column < len(row)
            and any(n in target for n in _NUMBER.findall(_leading_numbers(row[column])))
        )

    standard_side = [i for i, c in enumerate(header) if _STANDARD_SIDE.search(c)]
    if not standard_side:
        return None
    plain = [i for i in standard_side if not _MANUAL_SIDE.search(header[i])] or standard_side
    # A table for several standards: the column whose header names this one (9001, 20000 …).
    codes = re.findall(r"\d{4,5}", target.map.standard.code)
    named = [i for i in plain if any(code in header[i] for code in codes)]
    others = [i for i in plain if re.search(r"\d{4,5}", header[i]) and i not in named]
    if named:
        plain = named
    elif others:
        plain = [i for i in plain if i not in others] or plain
    standard = max(plain, key=lambda i: (clause_rows(i), -i))
    manual_side = [i for i, c in enumerate(header) if _MANUAL_SIDE.search(c) and i != standard]
    if not manual_side or clause_rows(standard) == 0:
        return None
    numbered = [
        i for i in manual_side if any(i < len(r) and _sections(r[i]) for r in body)
    ] or manual_side
    return standard, numbered[0]
