"""Word's automatic numbering (numbering.xml): the number a paragraph shows, as Word counts it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn

_CHINESE = "零一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass
class Level:
    """One level of a list definition: where it starts, how it is shown."""

    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False
    restart: int | None = None  # restart after this (1-based) level; None: after any higher one
    style: str | None = None


@dataclass
class Numbering:
    """The list definitions of a document and the counters Word keeps while reading it."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    overrides: dict[str, dict[int, Level | int]] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def level_of_style(self, num_id: str, style: str) -> int | None:
        """Return the level of a list linked to a paragraph style (w:lvl/w:pStyle), if any."""
        for ilvl, level in self.abstract.get(self.nums.get(num_id, ""), {}).items():
            if level.style == style:
                return ilvl
        return None

    def next_label(self, num_id: str, ilvl: int) -> str | None:
        """Count a paragraph of list num_id at level ilvl and return the label Word shows."""
        abstract_id = self.nums.get(num_id)
        if abstract_id is None or abstract_id not in self.abstract:
            return None
        levels = self._levels(num_id, abstract_id)
        counts = self.counters.setdefault(abstract_id, [None] * 9)
        if num_id not in self.seen:
            self.seen.add(num_id)
            for lvl, override in self.overrides.get(num_id, {}).items():
                if isinstance(override, int) and 0 <= lvl < 9:
                    counts[lvl] = override - 1
        if not 0 <= ilvl < 9:
            return None
        level = levels.get(ilvl, Level())
        current = counts[ilvl]
        counts[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels.get(deeper, Level()).restart
            if restart is None or restart > ilvl:
                counts[deeper] = None
        if level.fmt in ("bullet", "none"):
            return None

        def value(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            shown = levels.get(lvl, Level())
            count = counts[lvl]
            number = shown.start if count is None else count
            return format_number(number, "decimal" if level.legal else shown.fmt)

        return _PLACEHOLDER.sub(value, level.text).strip()

    def _levels(self, num_id: str, abstract_id: str) -> dict[int, Level]:
        levels = dict(self.abstract[abstract_id])
        for lvl, override in self.overrides.get(num_id, {}).items():
            if isinstance(override, Level):
                levels[lvl] = override
            elif lvl in levels:
                levels[lvl] = Level(
                    override,
                    levels[lvl].fmt,
                    levels[lvl].text,
                    levels[lvl].legal,
                    levels[lvl].restart,
                    levels[lvl].style,
                )
        return levels


def format_number(number: int, fmt: str) -> str:
    """Return a counter in a Word number format: decimal, roman, letters, Chinese numerals."""
    if fmt in ("upperRoman", "lowerRoman"):
        text = _roman(number)
        return text if fmt == "upperRoman" else text.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt.startswith("chinese") or fmt in ("ideographDigital", "taiwaneseCounting"):
        return chinese_numeral(number)
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(number - 1) % 10]
    if fmt == "decimalZero":
        return f"{number:02d}"
    return str(number)


def chinese_numeral(number: int) -> str:
    """Return 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (up to 999)."""
    if number < 10:
        return _CHINESE[number]
    if number < 20:
        return "十" + (_CHINESE[number % 10] if number % 10 else "")
    if number < 100:
        return _CHINESE[number // 10] + "十" + (_CHINESE[number % 10] if number % 10 else "")
    rest = number % 100
    tail = "" if rest == 0 else ("零" if rest < 10 else "") + chinese_numeral(rest)
    if 10 <= rest < 20:
        tail = "一" + tail
    return _CHINESE[number // 100 % 10] + "百" + tail


def _roman(number: int) -> str:
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
    values += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    text = ""
    for value, letters in values:
        while number >= value:
            text += letters
            number -= value
    return text


def _val(element: Any, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


def _level(element: Any) -> Level:
    start = _val(element, "w:start")
    restart = _val(element, "w:lvlRestart")
    legal = element.find(qn("w:isLgl"))
    return Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        fmt=_val(element, "w:numFmt") or "decimal",
        text=_val(element, "w:lvlText") or "",
        legal=legal is not None and legal.get(qn("w:val"), "1") not in ("0", "false"),
        restart=int(restart) if restart and restart.isdigit() else None,
        style=_val(element, "w:pStyle"),
    )


def read_numbering(root: Any) -> Numbering:
    """Return the list definitions of a numbering part's root element (or an empty set)."""
    numbering = Numbering()
    if root is None:
        return numbering
    # A list style (w:numStyleLink) borrows the levels of the definition carrying w:styleLink.
    linked: dict[str, str] = {}
    defining: dict[str, str] = {}
    for abstract in root.iter(qn("w:abstractNum")):
        abstract_id = abstract.get(qn("w:abstractNumId"), "")
        levels = {}
        for lvl in abstract.iter(qn("w:lvl")):
            ilvl = lvl.get(qn("w:ilvl"), "0")
            if ilvl.isdigit():
                levels[int(ilvl)] = _level(lvl)
        numbering.abstract[abstract_id] = levels
        link = _val(abstract, "w:numStyleLink")
        if link is not None and not levels:
            linked[abstract_id] = link
        style = _val(abstract, "w:styleLink")
        if style is not None:
            defining[style] = abstract_id
    for num in root.iter(qn("w:num")):
        num_id = num.get(qn("w:numId"), "")
        abstract_id = _val(num, "w:abstractNumId")
        if abstract_id is None:
            continue
        numbering.nums[num_id] = defining.get(linked.get(abstract_id, ""), abstract_id)
        for override in num.iter(qn("w:lvlOverride")):
            ilvl = override.get(qn("w:ilvl"), "0")
            if not ilvl.isdigit():
                continue
            lvl = override.find(qn("w:lvl"))
            start = _val(override, "w:startOverride")
            if lvl is not None:
                numbering.overrides.setdefault(num_id, {})[int(ilvl)] = _level(lvl)
            elif start is not None and start.isdigit():
                numbering.overrides.setdefault(num_id, {})[int(ilvl)] = int(start)
    return numbering
