"""Read YAML strictly and remember where every value sits.

No aliases, no duplicate keys, no YAML-1.1 guesses (``4.10`` → 4.1, ``NO`` → false): such input
becomes a Problem with file, line and column instead of a silently wrong value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.errors import Problem

Path = tuple[str | int, ...]

MAX_FILE_BYTES = 20_000_000
MAX_SCALAR_CHARS = 100_000
MAX_NODES = 2_000_000

# Loader with the C parser when available; resolution below is ours, not PyYAML's.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+\Z")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# Plain words that YAML 1.1 readers (PyYAML's safe_load among them) turn into booleans.
_YAML11_BOOL = re.compile(r"(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)\Z")
# Other plain forms YAML 1.1 turns into numbers: octal, hex, binary, sexagesimal, 1_000, .5, 1e3.
_YAML11_NUMBER = re.compile(
    r"""[-+]?(?:0[0-7]+|0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
        |[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+|\.(?:inf|Inf|INF|nan|NaN|NAN))\Z""",
    re.VERBOSE,
)
_STR = "tag:yaml.org,2002:str"
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:binary",
    "tag:yaml.org,2002:omap",
    "tag:yaml.org,2002:set",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
}


@dataclass
class YamlDocument:
    """Data read from one YAML file, with the 1-based line and column of every value."""

    file: str
    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    plain_numbers: dict[Path, str] = field(default_factory=dict)

    def locate(self, path: Path) -> tuple[int | None, int | None]:
        """Return the position of the value at path, or of its nearest existing parent."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(tuple(path[:end]))
            if found is not None:
                return found
        return None, None

    def problem(
        self, path: Path, message: str, hint: str = "", *, warning: bool = False, code: str = ""
    ) -> Problem:
        """Return a Problem located at the value at path."""
        line, col = self.locate(path)
        return Problem(
            self.file,
            line,
            col,
            format_path(path),
            message,
            hint,
            "warning" if warning else "error",
            code,
        )


def format_path(path: Path) -> str:
    """Return a path like ``departments[2].parent`` for messages."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif text:
            text += f".{part}" if _is_identifier(part) else f'["{part}"]'
        else:
            text = part if _is_identifier(part) else f'["{part}"]'
    return text


def _is_identifier(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text))


def decode_yaml_bytes(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Return the text of a YAML file, refusing encodings other than UTF-8 with a clear fix."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Problem(file, 1, 1, "", "the file is saved as UTF-16", "save it as UTF-8 (without BOM)")
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # A UTF-8 byte-order mark (Windows Notepad) is harmless; drop it.
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            what = f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)"
        else:
            what = "the file is not UTF-8; it looks like GBK/GB18030 (a Chinese Windows encoding)"
        return None, [Problem(file, line, col, "", what, "save it as UTF-8 and run again")]


def read_yaml(raw: bytes, file: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML bytes strictly; return the document (None if unreadable) and all problems."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Problem(
                file,
                None,
                None,
                "",
                f"the file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                "split it or remove the bulk",
            )
        ]
    text, problems = decode_yaml_bytes(raw, file)
    if text is None:
        return None, problems
    loader = _BaseLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, file, text)]
    except yaml.YAMLError as exc:  # reader errors (bad characters) carry their own position
        return None, [_reader_problem(exc, file, text)]
    finally:
        loader.dispose()
    document = YamlDocument(file, None)
    if node is None:
        return document, []
    walker = _Walker(document)
    document.data = walker.build(node, ())
    if walker.alias_problems:
        _locate_aliases(text, walker)
    return document, walker.problems


def _locate_aliases(text: str, walker: _Walker) -> None:
    """Point alias problems at the ``*name`` itself (the composer only knows the anchor)."""
    marks = [
        event.start_mark
        for event in yaml.parse(text, Loader=_BaseLoader)
        if isinstance(event, yaml.AliasEvent) and event.start_mark is not None
    ]
    for index, mark in zip(walker.alias_problems, marks, strict=False):
        assert mark is not None
        old = walker.problems[index]
        walker.problems[index] = Problem(
            old.file, mark.line + 1, mark.column + 1, old.where, old.message, old.hint
        )


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    message = exc.problem or "invalid YAML"
    if exc.context:
        message = f"{exc.context}, {message}"
    hint = "check the indentation and quoting on this line or the one before"
    source_line = (
        text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    )
    if "cannot start any token" in message and "\t" in source_line[: (col or 1)]:
        message = "a tab character is used for indentation"
        hint = "indent with spaces, never tabs"
    elif "found duplicate anchor" in message or "found undefined alias" in message:
        hint = "anchors and aliases (&name / *name) are not allowed; write the value out"
    return Problem(file, line, col, "", f"YAML syntax: {message}", hint)


def _reader_problem(exc: yaml.YAMLError, file: str, text: str) -> Problem:
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    message = str(exc).splitlines()[0] if str(exc) else "unreadable YAML"
    line = col = None
    if isinstance(position, int):
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
    if character is not None:
        code = character if isinstance(character, int) else ord(character)
        message = f"control character U+{code:04X} is not allowed in YAML text"
    elif position is not None:
        message = f"unreadable YAML at character {position}"
    return Problem(file, line, col, "", message, "delete the character or retype the text")


class _Walker:
    """Turn a node tree into plain data, collecting problems and positions as it goes."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.count = 0
        self.too_big = False
        self.alias_problems: list[int] = []

    def build(self, node: Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if not self.too_big:
                self.too_big = True
                self._add(node, path, f"the file has more than {MAX_NODES:,} values", "split it")
            return None
        self.document.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
            # The composer hands back the anchored node again for every alias that names it.
            self.alias_problems.append(len(self.problems))
            self._add(
                node,
                path,
                "YAML aliases (*name) are not allowed",
                "write the value out instead of pointing at an anchor",
            )
            return None
        if not isinstance(node, ScalarNode):
            self.seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            self._add(node, path, f"YAML tag {node.tag!r} is not allowed", "remove the !tag")
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or (
                isinstance(key_node, ScalarNode) and key_node.value == "<<" and not key_node.style
            ):
                self._add(key_node, path, "YAML merge keys (<<) are not allowed", "write keys out")
                continue
            if not isinstance(key_node, ScalarNode):
                self._add(key_node, path, "a mapping key must be plain text", "use a simple key")
                continue
            key = key_node.value
            if not key_node.style and key in _NULL:
                self._add(key_node, path, "an empty key is not allowed", "write a key before ':'")
                continue
            line = key_node.start_mark.line + 1
            if key in first_seen:
                self._add(
                    key_node,
                    (*path, key),
                    f"duplicate key '{key}' (first at line {first_seen[key]})",
                    "keep one of them; YAML would silently use only the last",
                )
                continue
            first_seen[key] = line
            self.document.key_positions[(*path, key)] = (line, key_node.start_mark.column + 1)
            self._check_text(key_node, (*path, key), key)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: ScalarNode, path: Path) -> Any:
        text: str = node.value
        # The C parser marks plain scalars with style '', the Python one with None.
        if node.style or not _looks_typed(text) or node.tag == _STR:
            # Quoted, block, ordinary text, or plain text explicitly tagged !!str.
            self._check_text(node, path, text)
            return text
        if text in _NULL:
            return None
        if text in _BOOL:
            return _BOOL[text]
        if _INT.match(text) or _FLOAT.match(text):
            self.document.plain_numbers[path] = text
            return int(text) if _INT.match(text) else float(text)
        if _YAML11_BOOL.match(text):
            self._add(
                node,
                path,
                f"'{text}' is read as a yes/no value by YAML 1.1 tools",
                f'write true or false for a yes/no value, or quote text: "{text}"',
            )
        else:
            self._add(
                node, path, f"'{text}' is read as a number by YAML 1.1 tools", f'quote it: "{text}"'
            )
        return text

    def _check_text(self, node: Node, path: Path, text: str) -> None:
        if len(text) > MAX_SCALAR_CHARS:
            self._add(
                node,
                path,
                f"the text is {len(text):,} characters long; the limit is {MAX_SCALAR_CHARS:,}",
                "shorten it",
            )
            return
        bad = _XML_INVALID.search(text)
        if bad:
            code = ord(bad.group())
            kind = "an unpaired surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
            self._add(
                node,
                path,
                f"the text contains {kind} U+{code:04X}, which Word documents cannot hold",
                "delete it (it is often pasted in invisibly) or retype the text",
            )

    def _add(self, node: Node, path: Path, message: str, hint: str) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(
                self.document.file,
                mark.line + 1,
                mark.column + 1,
                format_path(path),
                message,
                hint,
            )
        )


def _looks_typed(text: str) -> bool:
    """Return whether a plain scalar would be read as something other than text."""
    return bool(
        text in _NULL
        or text in _BOOL
        or _INT.match(text)
        or _FLOAT.match(text)
        or _YAML11_BOOL.match(text)
        or _YAML11_NUMBER.match(text)
    )


def iter_strings(data: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Yield every string in loaded data with its path (used for whole-file text checks)."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from iter_strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_strings(value, (*path, index))
