"""Document version schemes: A/0 → A/1 … A/9 → B/0 (letter-digit), or 1.0 → 1.1 (numeric)."""

from __future__ import annotations

import re

_LETTER_DIGIT = re.compile(r"^([A-Z])/(\d)$")
_NUMERIC = re.compile(r"^V?(\d+)\.(\d+)$")


def parse_version(version: str, scheme: str) -> tuple[int, int] | None:
    """Return (edition, revision) for a version string, or None if it does not fit the scheme."""
    if scheme == "letter-digit":
        match = _LETTER_DIGIT.match(version)
        if match:
            return ord(match.group(1)) - ord("A"), int(match.group(2))
        return None
    match = _NUMERIC.match(version)
    if match:
        return int(match.group(1)), int(match.group(2))
    return None


def format_version(edition: int, revision: int, scheme: str, *, like: str = "") -> str:
    """Return the version text for (edition, revision) in the scheme."""
    if scheme == "letter-digit":
        return f"{chr(ord('A') + edition)}/{revision}"
    prefix = "V" if like.startswith("V") else ""
    return f"{prefix}{edition}.{revision}"


def next_version(current: str, scheme: str, *, new_edition: bool = False) -> str:
    """Return the version after current: the next revision, or a new edition when asked or full."""
    parsed = parse_version(current, scheme)
    if parsed is None:
        msg = f"version '{current}' does not fit the {scheme} scheme"
        raise ValueError(msg)
    edition, revision = parsed
    full = scheme == "letter-digit" and revision >= 9
    if new_edition or full:
        if scheme == "letter-digit" and edition >= 25:
            msg = "no edition letter after Z"
            raise ValueError(msg)
        return format_version(edition + 1, 0, scheme, like=current)
    return format_version(edition, revision + 1, scheme, like=current)


def check_version_sequence(versions: list[str], scheme: str) -> list[tuple[int, str]]:
    """Return (position, message) for versions that do not fit the scheme or do not increase."""
    problems = []
    previous: tuple[int, int] | None = None
    for position, version in enumerate(versions):
        parsed = parse_version(version, scheme)
        if parsed is None:
            problems.append((position, f"version '{version}' does not fit the {scheme} scheme"))
            continue
        if previous is not None and parsed <= previous:
            problems.append((position, f"version '{version}' does not come after the one before"))
        previous = parsed
    return problems
