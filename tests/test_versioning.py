"""Version schemes A/0 → A/1 … and 1.0 → 1.1."""

from __future__ import annotations

import pytest

from engine.domain.versioning import check_version_sequence, next_version, parse_version


def test_letter_digit() -> None:
    assert parse_version("A/0", "letter-digit") == (0, 0)
    assert next_version("A/0", "letter-digit") == "A/1"
    assert next_version("A/9", "letter-digit") == "B/0"
    assert next_version("A/3", "letter-digit", new_edition=True) == "B/0"
    assert parse_version("A0", "letter-digit") is None


def test_numeric_keeps_a_v_prefix() -> None:
    assert next_version("1.9", "numeric") == "1.10"
    assert next_version("V2.0", "numeric") == "V2.1"
    assert next_version("1.4", "numeric", new_edition=True) == "2.0"


def test_no_letter_after_z() -> None:
    with pytest.raises(ValueError, match="no edition letter after Z"):
        next_version("Z/9", "letter-digit")


def test_sequence_problems() -> None:
    assert check_version_sequence(["A/0", "A/1", "B/0"], "letter-digit") == []
    assert check_version_sequence(["A/0", "A/0", "x"], "letter-digit") == [
        (1, "version 'A/0' does not come after the one before"),
        (2, "version 'x' does not fit the letter-digit scheme"),
    ]
