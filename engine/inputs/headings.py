"""Read the headings of a document's text: clause numbers, chapter numerals, normal forms."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_CHINESE_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CHAPTER = re.compile(r"^第([零一二两三四五六七八九十百\d]+)[章节部分篇]\s*(.*)$")
_NUMBERED = re.compile(
    r"^(?:clause|section|条款|§)?\s*(\d{1,2}(?:\.\d{1,2}){0,4})(?![\d])[.、．:：)）]?\s*(.*)$",
    re.IGNORECASE,
)

_MIXED = re.compile(
    r"^([一二两三四五六七八九十]{1,3})\.(\d{1,2}(?:\.\d{1,2}){0,3})(?![\d])[.、:：)）]?\s*(.*)$"
)


@dataclass(frozen=True)
class Line:
    """A paragraph of the audited document: its text and whether it looks like a heading.

    level is the outline level when the document says it (1 = chapter); how says what made the
    line a heading (style, outline, numbering, bold, table, typed, pdf-outline, markdown).
    """

    index: int
    text: str
    heading: bool
    level: int | None = None
    how: str = ""


@dataclass
class ManualText:
    """What a reader took out of a manual: its lines in order and its tables as rows of cells."""

    lines: list[Line] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)


def normalise(text: str) -> str:
    """Return text with full-width forms folded (８．２ → 8.2) and spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", folded).strip()


def chinese_number(text: str) -> int | None:
    """Return 八 → 8, 十二 → 12, 二十 → 20; None if text is not a Chinese numeral."""
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        value = (_CHINESE_DIGITS.get(tens, 0) if tens else 1) * 10
        return value + (_CHINESE_DIGITS.get(units, 0) if units else 0)
    if len(text) == 1 and text in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[text]
    return None


def split_heading(text: str) -> tuple[str | None, str]:
    """Return (clause number, title) of a heading: '第八章 运行' → ('8', '运行')."""
    text = normalise(text)
    chapter = _CHAPTER.match(text)
    if chapter:
        number = chinese_number(chapter.group(1))
        return (str(number) if number is not None else None), chapter.group(2).strip()
    mixed = _MIXED.match(text)
    if mixed:  # "四.1": Word's legal-style numbering as LibreOffice shows it
        chapter_number = chinese_number(mixed.group(1))
        if chapter_number is not None:
            return f"{chapter_number}.{mixed.group(2)}", mixed.group(3).strip()
    numbered = _NUMBERED.match(text)
    if numbered:
        return numbered.group(1), numbered.group(2).strip()
    return None, text


_STANDARD_SIDE = re.compile(r"标准|条款|要求|iso|gb/?t|clause|requirement|standard", re.IGNORECASE)
_MANUAL_SIDE = re.compile(r"手册|章节|本公司|manual|section|chapter", re.IGNORECASE)


def is_correspondence_header(cells: list[str]) -> bool:
    """Return whether a table row heads a clause correspondence table (条款对照表).

    One cell names the standard's clauses (标准条款, ISO clause), another the manual's sections
    (手册章节, manual section).
    """
    texts = [normalise(c) for c in cells if c.strip()]
    if len(texts) < 2 or any(len(t) > 30 for t in texts):
        return False
    standard = [i for i, t in enumerate(texts) if _STANDARD_SIDE.search(t)]
    manual = [i for i, t in enumerate(texts) if _MANUAL_SIDE.search(t)]
    return any(i != j for i in standard for j in manual)
