"""How wide text is on the page: CJK characters take two half-width cells."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Return how many half-width character cells text takes (CJK characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
