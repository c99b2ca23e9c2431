"""Edit a profile's YAML text in place (a revision row, new dates), keeping comments and layout."""

from __future__ import annotations

import json
import re

from engine.errors import EngineError
from engine.inputs.yamlio import Path as DataPath
from engine.inputs.yamlio import YamlDocument


def quoted(value: str) -> str:
    """Return value as a YAML double-quoted scalar."""
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(value, ensure_ascii=False)


def replace_values(text: str, document: YamlDocument, values: dict[DataPath, str]) -> str:
    """Return text with the scalar at each path replaced by its value (quoted), all else untouched.

    document is text as parsed; replacing from the last position back keeps the earlier
    positions valid, so one parse serves every replacement.
    """
    positions = {}
    for path in values:
        position = document.positions.get(path)
        if position is None:
            msg = f"{document.file}: cannot find {'.'.join(map(str, path))} to update"
            raise EngineError(msg)
        positions[path] = position
    for path in sorted(values, key=lambda p: positions[p], reverse=True):
        text = _replace_at(text, document.file, positions[path], values[path])
    return text


def _replace_at(text: str, file: str, position: tuple[int, int], value: str) -> str:
    line_number, column = position
    lines = text.split("\n")
    line = lines[line_number - 1]
    start = column - 1
    rest = line[start:]
    if rest.startswith('"'):
        match = re.match(r'"(?:[^"\\]|\\.)*"', rest)
    elif rest.startswith("'"):
        match = re.match(r"'(?:[^']|'')*'", rest)
    else:
        match = re.match(r"[^,}\]\s#]+(?:[ \t]+[^,}\]\s#]+)*", rest)
    if match is None:
        msg = f"{file}:{line_number}: cannot read the value to update"
        raise EngineError(msg)
    lines[line_number - 1] = line[:start] + quoted(value) + rest[match.end() :]
    return "\n".join(lines)


def append_list_item(text: str, document: YamlDocument, key: str, item: dict[str, object]) -> str:
    """Return text with item appended to the block list at top-level key, in the list's style."""
    data = document.data.get(key) if isinstance(document.data, dict) else None
    if not isinstance(data, list) or not data:
        msg = f"{document.file}: {key} must be a non-empty list to add to it"
        raise EngineError(msg)
    lines = text.split("\n")
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
    pad = " " * dash
    body = []
    for index, (name, value) in enumerate(item.items()):
        prefix = f"{pad}- " if index == 0 else f"{pad}  "
        body.append(f"{prefix}{name}: {_yaml_value(value)}")
    return "\n".join(lines[:end] + body + lines[end:])


def _yaml_value(value: object) -> str:
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    msg = f"cannot write {value!r} as YAML"
    raise TypeError(msg)
