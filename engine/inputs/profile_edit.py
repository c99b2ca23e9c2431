"""Edit a profile's YAML text in place (a revision row, new dates), keeping comments and layout."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from engine.errors import EngineError
from engine.inputs.yamlio import Path as DataPath
from engine.inputs.yamlio import YamlDocument


def quoted(value: str) -> str:
    """Return value as a YAML double-quoted scalar."""
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(value, ensure_ascii=False)


UTF8_BOM = b"\xef\xbb\xbf"
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


@dataclass(frozen=True, order=True)
class Edit:
    """Replace text[start:end] with new text (offsets into the text as parsed)."""

    start: int
    end: int
    text: str


def line_starts(text: str) -> list[int]:
    """Return the offset where each line starts (line 1 at index 0); any line break counts."""
    return [0] + [match.end() for match in _LINE_BREAK.finditer(text)]


def newline_of(text: str) -> str:
    """Return the line break the text uses (CRLF files stay CRLF)."""
    match = _LINE_BREAK.search(text)
    return match.group(0) if match else "\n"


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Return text with every edit made; edits must not overlap."""
    ordered = sorted(edits, reverse=True)
    for later, earlier in itertools.pairwise(ordered):
        if earlier.end > later.start:
            msg = "two edits of the profile overlap"
            raise EngineError(msg)
    for edit in ordered:
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def value_edits(text: str, document: YamlDocument, values: dict[DataPath, str]) -> list[Edit]:
    """Return the edits that replace the scalar at each path by its value (quoted)."""
    starts = line_starts(text)
    edits = []
    for path, value in values.items():
        position = document.positions.get(path)
        if position is None:
            msg = f"{document.file}: cannot find {'.'.join(map(str, path))} to update"
            raise EngineError(msg)
        line_number, column = position
        offset = starts[line_number - 1] + column - 1
        line_end = starts[line_number] if line_number < len(starts) else len(text)
        rest = text[offset:line_end].rstrip("\r\n")
        if rest.startswith('"'):
            match = re.match(r'"(?:[^"\\]|\\.)*"', rest)
        elif rest.startswith("'"):
            match = re.match(r"'(?:[^']|'')*'", rest)
        else:
            match = re.match(r"[^,}\]\s#]+(?:[ \t]+[^,}\]\s#]+)*", rest)
        if match is None:
            msg = f"{document.file}:{line_number}: cannot read the value to update"
            raise EngineError(msg)
        edits.append(Edit(offset, offset + match.end(), quoted(value)))
    return edits


def append_edit(text: str, document: YamlDocument, key: str, item: Mapping[str, object]) -> Edit:
    """Return the edit that appends item to the block list at top-level key, in its style."""
    data = document.data.get(key) if isinstance(document.data, dict) else None
    if not isinstance(data, list) or not data:
        msg = f"{document.file}: {key} must be a non-empty list to add to it"
        raise EngineError(msg)
    starts = line_starts(text)
    lines = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    last_line, column = document.positions[(key, len(data) - 1)]
    dash = lines[last_line - 1].rfind("-", 0, column - 1)
    if dash < 0 or lines[last_line - 1][:dash].strip():
        msg = (
            f"{document.file}:{last_line}: {key} is written as an inline list [...]; "
            "write it as lines starting with '- ' so revisions can be added automatically"
        )
        raise EngineError(msg)
    end = len(lines)
    for index in range(last_line, len(lines)):
        stripped = lines[index].strip()
        indent = len(lines[index]) - len(lines[index].lstrip())
        if stripped and indent <= dash:
            end = index
            break
    while end > last_line and not lines[end - 1].strip():
        end -= 1
    newline = newline_of(text)
    pad = " " * dash
    body = "".join(
        f"{f'{pad}- ' if index == 0 else f'{pad}  '}{name}: {_yaml_value(value)}{newline}"
        for index, (name, value) in enumerate(item.items())
    )
    offset = starts[end] if end < len(starts) else len(text)
    if offset == len(text) and text and not text.endswith(("\n", "\r")):
        body = newline + body.removesuffix(newline)  # the file ends without a line break
    return Edit(offset, offset, body)


def replace_values(text: str, document: YamlDocument, values: dict[DataPath, str]) -> str:
    """Return text with the scalar at each path replaced by its value (quoted), all else untouched.

    document is text as parsed; one parse serves every replacement.
    """
    return apply_edits(text, value_edits(text, document, values))


def append_list_item(
    text: str, document: YamlDocument, key: str, item: Mapping[str, object]
) -> str:
    """Return text with item appended to the block list at top-level key, in the list's style."""
    return apply_edits(text, [append_edit(text, document, key, item)])


def edit_file_bytes(raw: bytes, edit: Callable[[str], str]) -> bytes:
    """Apply a text edit to a UTF-8 file's bytes, keeping a byte-order mark if it had one."""
    bom = raw.startswith(UTF8_BOM)
    text = raw[len(UTF8_BOM) :].decode("utf-8") if bom else raw.decode("utf-8")
    return (UTF8_BOM if bom else b"") + edit(text).encode("utf-8")


def _yaml_value(value: object) -> str:
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    msg = f"cannot write {value!r} as YAML"
    raise TypeError(msg)
