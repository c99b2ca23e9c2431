"""How wide text is on the page or in a terminal, in half-width cells, as wcwidth measures it.

CJK and other wide characters take two cells; combining marks, zero-width spaces and joiners
take none; an emoji sequence joined by ZWJ is measured as one glyph.
"""

from __future__ import annotations

from wcwidth import wcswidth, wcwidth


def display_width(text: str) -> int:
    """Return how many half-width character cells text takes (CJK characters count two).

    Control characters (a tab, a line break) take no cell: a table cell's lines are measured
    one by one.
    """
    width = wcswidth(text)
    if width >= 0:
        return int(width)
    return sum(max(int(wcwidth(ch)), 0) for ch in text)
