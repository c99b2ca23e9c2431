"""Strict YAML reading: YAML-1.1 surprises, duplicates, aliases and bad bytes become located problems."""

from __future__ import annotations

import pytest

from engine.inputs.yamlio import read_yaml


def messages(raw: bytes) -> list[str]:
    _, problems = read_yaml(raw, "f.yaml")
    return [str(p) for p in problems]


def test_plain_values_keep_their_meaning() -> None:
    document, problems = read_yaml(
        b'a: "4.10"\nb: 5\nc: 99.5\nd: true\ne: ~\nf: 2025-03-10\n', "f.yaml"
    )
    assert problems == []
    assert document is not None
    assert document.data == {
        "a": "4.10",
        "b": 5,
        "c": 99.5,
        "d": True,
        "e": None,
        "f": "2025-03-10",
    }


def test_unquoted_decimal_is_remembered_as_typed_text() -> None:
    document, problems = read_yaml(b"clause: 4.10\n", "f.yaml")
    assert problems == []
    assert document is not None
    assert document.data == {"clause": 4.1}
    assert document.plain_numbers[("clause",)] == "4.10"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            b"country: NO\n",
            "f.yaml:1:10: country: 'NO' is read as a yes/no value by YAML 1.1 tools — write true or false for a yes/no value, or quote text: \"NO\"",
        ),
        (
            b"switch: on\n",
            "f.yaml:1:9: switch: 'on' is read as a yes/no value by YAML 1.1 tools — write true or false for a yes/no value, or quote text: \"on\"",
        ),
        (
            b"time: 12:30\n",
            "f.yaml:1:7: time: '12:30' is read as a number by YAML 1.1 tools — quote it: \"12:30\"",
        ),
        (
            b"code: 010\n",
            "f.yaml:1:7: code: '010' is read as a number by YAML 1.1 tools — quote it: \"010\"",
        ),
    ],
)
def test_yaml11_surprises_are_errors(text: bytes, expected: str) -> None:
    assert messages(text) == [expected]


def test_duplicate_key_names_both_lines() -> None:
    assert messages(b"title: A\nother: 1\ntitle: B\n") == [
        "f.yaml:3:1: title: duplicate key 'title' (first at line 1) — keep one of them; YAML would silently use only the last"
    ]


def test_aliases_are_refused_even_in_a_bomb() -> None:
    bomb = b"a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    found = messages(bomb)
    assert (
        found[0]
        == "f.yaml:2:8: b[0]: YAML aliases (*name) are not allowed — write the value out instead of pointing at an anchor"
    )
    assert all("aliases" in line for line in found)


def test_merge_keys_are_refused() -> None:
    assert any("merge keys" in line for line in messages(b"base: &b {x: 1}\nitem:\n  <<: *b\n"))


def test_tab_indentation() -> None:
    assert messages(b"a:\n\tb: 1\n") == [
        "f.yaml:2:1: YAML syntax: a tab character is used for indentation — indent with spaces, never tabs"
    ]


def test_syntax_error_has_position() -> None:
    assert messages(b"a: [1, 2\nb: 3\n") == [
        "f.yaml:1:4: YAML syntax: the list opened here with '[' is not closed with ']' — add the ']', and quote items that contain , [ ] { } or ': '"
    ]


def test_gbk_file() -> None:
    assert messages("名称: 中文\n".encode("gbk")) == [
        "f.yaml:1:1: the file is not UTF-8; it looks like GBK/GB18030 (a Chinese Windows encoding) — save it as UTF-8 and run again"
    ]


def test_utf16_file() -> None:
    assert messages("a: b\n".encode("utf-16")) == [
        "f.yaml:1:1: the file is saved as UTF-16 — save it as UTF-8 (without BOM)"
    ]


def test_utf8_bom_is_accepted() -> None:
    document, problems = read_yaml("\ufeffa: 名称\n".encode(), "f.yaml")
    assert problems == []
    assert document is not None
    assert document.data == {"a": "名称"}


def test_control_character_in_raw_text() -> None:
    assert messages(b"a: b\nc: x\x01y\n") == [
        "f.yaml:2:5: control character U+0001 is not allowed in YAML text — delete the character or retype the text"
    ]


def test_escaped_control_character() -> None:
    assert messages(b'a: "x\\x0by"\n') == [
        "f.yaml:1:4: a: the text contains a control character U+000B, which Word documents cannot hold — delete it (it is often pasted in invisibly) or retype the text",
    ]


def test_escaped_lone_surrogate() -> None:
    assert messages(b'b: "\\ud800"\n') == [
        "f.yaml:1:5: YAML syntax: \\ud800 is not a character (a lone surrogate or an invalid escape) — write the character itself, or delete the escape"
    ]


def test_huge_string() -> None:
    found = messages(b"a: " + b"x" * 100_001 + b"\n")
    assert found == [
        "f.yaml:1:4: a: the text is 100,001 characters long; the limit is 100,000 — shorten it"
    ]


def test_python_tags_are_refused() -> None:
    found = messages(b"a: !!python/object:os.system {}\n")
    assert len(found) == 1
    assert "is not allowed — remove the !tag" in found[0]


def test_positions_of_nested_values() -> None:
    document, _ = read_yaml(b"items:\n  - name: a\n    owner: b\n", "f.yaml")
    assert document is not None
    assert document.locate(("items", 0, "owner")) == (3, 12)
    assert document.locate(("items", 0, "missing")) == (2, 5)
