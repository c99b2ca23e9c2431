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

from engine import limits
from engine.errors import Problem

Path = tuple[str | int, ...]

MAX_FILE_BYTES = limits.MAX_YAML_BYTES
MAX_SCALAR_CHARS = limits.MAX_YAML_SCALAR_CHARS
MAX_NODES = limits.MAX_YAML_NODES
MAX_ALIAS_PROBLEMS = 10

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
    # Values reading already refused (alias, yes/no word, bad text): the schema need not repeat it.
    refused: set[Path] = field(default_factory=set)

    def is_refused(self, path: Path) -> bool:
        """Return whether path, or a value it lies inside, was refused while reading."""
        return any(tuple(path[:end]) in self.refused for end in range(len(path) + 1))

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
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return None, [
            Problem(
                file,
                1,
                1,
                "",
                f"the file is saved as UTF-16 ({utf16}, without a byte-order mark)",
                "save it as UTF-8 (without BOM)",
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # A UTF-8 byte-order mark (Windows Notepad) is harmless; drop it.
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        # Columns count characters, as in every other message; the bytes before are valid UTF-8.
        col = len(raw[line_start : exc.start].decode("utf-8")) + 1
        surrogate = _encoded_surrogate(raw, exc.start)
        if surrogate is not None:
            shown = raw[exc.start : exc.start + 3].hex(" ").upper()
            what = (
                f"the file holds an encoded lone surrogate U+{surrogate:04X} (bytes {shown}), "
                "which is not a character"
            )
            return None, [Problem(file, line, col, "", what, "delete it or retype the text")]
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            what = f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)"
        else:
            what = "the file is not UTF-8; it looks like GBK/GB18030 (a Chinese Windows encoding)"
        return None, [Problem(file, line, col, "", what, "save it as UTF-8 and run again")]


def _utf16_without_bom(raw: bytes) -> str:
    """Return 'little-endian' or 'big-endian' when raw looks like UTF-16 text without a BOM.

    The ASCII in YAML (keys, ': ', line ends) has a zero byte beside it in UTF-16, always on
    the same side; UTF-8 text has no zero bytes at all.
    """
    sample = raw[:4096]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    for name, codec, found, other in (
        ("little-endian", "utf-16-le", odd, even),
        ("big-endian", "utf-16-be", even, odd),
    ):
        if found >= 2 and found > 3 * other:
            try:
                text = raw[: len(raw) // 2 * 2].decode(codec)
            except UnicodeDecodeError:
                continue
            if ":" in text:
                return name
    return ""


def _encoded_surrogate(raw: bytes, start: int) -> int | None:
    """Return the code point if raw[start:] begins with a surrogate written as UTF-8 (ED Ax …)."""
    chunk = raw[start : start + 3]
    if len(chunk) == 3 and chunk[0] == 0xED and chunk[1] & 0xE0 == 0xA0 and chunk[2] & 0xC0 == 0x80:
        return 0xD000 | (chunk[1] & 0x3F) << 6 | (chunk[2] & 0x3F)
    return None


def read_yaml(raw: bytes, file: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML bytes strictly; return the document (None if unreadable) and all problems."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Problem(
                file,
                1,
                1,
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
    if walker.aliases:
        walker.problems.extend(_alias_problems(text, file))
    return document, walker.problems


@dataclass
class _Frame:
    """A collection being read while scanning events: its key or index so far."""

    mapping: bool
    key: str | int = 0
    expecting_key: bool = True


def _alias_problems(text: str, file: str) -> list[Problem]:
    """Return one problem per alias (``*name``), at the alias itself and with its path.

    The composer only hands back the anchored node, located at the anchor, so the events are
    read again. Aliases under a merge key (``<<: *x``) are left to the merge-key problem, and a
    file full of aliases (an alias bomb) gets the first few and one line counting the rest.
    """
    problems: list[Problem] = []
    extra = 0
    first_extra: tuple[int | None, int | None] = (None, None)
    stack: list[_Frame] = []
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
            _after_node(stack)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        is_key = bool(stack) and stack[-1].mapping and stack[-1].expecting_key
        path: Path = tuple(frame.key for frame in (stack[:-1] if is_key else stack))
        if isinstance(event, yaml.AliasEvent) and "<<" not in path:
            mark = event.start_mark
            where: tuple[int | None, int | None] = (
                (mark.line + 1, mark.column + 1) if mark else (None, None)
            )
            if len(problems) < MAX_ALIAS_PROBLEMS:
                problems.append(
                    Problem(
                        file,
                        where[0],
                        where[1],
                        format_path(path),
                        "YAML aliases (*name) are not allowed",
                        "write the value out instead of pointing at an anchor",
                    )
                )
            else:
                first_extra = first_extra if extra else where
                extra += 1
        if is_key:
            stack[-1].key = event.value if isinstance(event, yaml.ScalarEvent) else "?"
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append(_Frame(mapping=isinstance(event, yaml.MappingStartEvent)))
        else:
            _after_node(stack)
    if extra:
        problems.append(
            Problem(
                file,
                first_extra[0],
                first_extra[1],
                "",
                f"this and {extra - 1:,} more YAML aliases after it are not allowed either",
                "write the values out; anchors and aliases are not allowed",
            )
        )
    return problems


def _after_node(stack: list[_Frame]) -> None:
    """Move the innermost collection past the node just read (a key, a value or an item)."""
    if not stack:
        return
    frame = stack[-1]
    if frame.mapping:
        frame.expecting_key = not frame.expecting_key
    else:
        assert isinstance(frame.key, int)
        frame.key += 1


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    message = exc.problem or "invalid YAML"
    if exc.context:
        message = f"{exc.context}, {message}"
    hint = "check the indentation and quoting on this line or the one before"
    lines = text.splitlines()
    source_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    opened = exc.context_mark
    if "tab character" in message or (
        "cannot start any token" in message and "\t" in source_line[: (col or 1)]
    ):
        message = "a tab character is used for indentation"
        hint = "indent with spaces, never tabs"
        col = source_line.index("\t") + 1 if "\t" in source_line else col
    elif "found duplicate anchor" in message or "found undefined alias" in message:
        hint = "anchors and aliases (&name / *name) are not allowed; write the value out"
        alias = re.match(r"\*[^\s,\]}]+", source_line[(col or 1) - 1 :])
        if "undefined alias" in message and alias:
            message = f"the alias {alias.group()} names no anchor before it"
    elif exc.context in ("while parsing a flow sequence", "while parsing a flow mapping") and (
        opened is not None
    ):
        # The parser notices only where the next line starts; the fix belongs to the opener.
        bracket, closer = ("[", "]") if "sequence" in exc.context else ("{", "}")
        kind = "list" if bracket == "[" else "mapping"
        line, col = opened.line + 1, opened.column + 1
        message = f"the {kind} opened here with '{bracket}' is not closed with '{closer}'"
        hint = f"add the '{closer}', and quote items that contain , [ ] {{ }} or ': '"
    elif exc.context == "while scanning a quoted scalar" and opened is not None:
        line, col = opened.line + 1, opened.column + 1
        message = "the quoted text that starts here has no closing quote"
        hint = 'add the closing quote; inside "…" write \\" for a quote character'
    elif "invalid Unicode character escape code" in message and mark is not None:
        escape = source_line.rfind("\\", 0, mark.column + 1)
        col = escape + 1 if escape >= 0 else col
        code = source_line[escape : escape + 6] if escape >= 0 else "this escape"
        message = f"{code} is not a character (a lone surrogate or an invalid escape)"
        hint = "write the character itself, or delete the escape"
    elif mark is not None and (runaway := _runaway_quote(text, mark.line)) is not None:
        # A quote left open swallows the lines after it; the parser stumbles only later.
        line, col = runaway.line + 1, runaway.column + 1
        message = f"the quoted text that starts here runs on to line {mark.line + 1}"
        hint = 'add the closing quote; inside "…" write \\" for a quote character'
    elif "mapping values are not allowed" in message:
        message = "a 'key:' is not allowed here"
        hint = (
            "indent the key like its neighbours, or quote text that contains ': ' (name: \"A: B\")"
        )
    return Problem(file, line, col, "", f"YAML syntax: {message}", hint)


def _runaway_quote(text: str, error_line: int) -> yaml.Mark | None:
    """Return where a quoted text starts that spans lines and ends on the error's line."""
    try:
        for token in yaml.scan(text, Loader=_BaseLoader):
            start: yaml.Mark | None = token.start_mark
            end: yaml.Mark | None = token.end_mark
            if start is None or end is None or start.line >= error_line:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and start.line < end.line == error_line
            ):
                return start
    except yaml.YAMLError:
        pass
    return None


def _reader_problem(exc: yaml.YAMLError, file: str, text: str) -> Problem:
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    message = str(exc).splitlines()[0] if str(exc) else "unreadable YAML"
    if character is not None:
        code = character if isinstance(character, int) else ord(character)
        message = f"control character U+{code:04X} is not allowed in YAML text"
        # The C reader counts bytes of UTF-8, not characters: find the character itself.
        found = text.find(chr(code))
        position = found if found >= 0 else position
    elif position is not None:
        message = f"unreadable YAML at character {position}"
    line = col = None
    if isinstance(position, int):
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
    return Problem(file, line, col, "", message, "delete the character or retype the text")


class _Walker:
    """Turn a node tree into plain data, collecting problems and positions as it goes."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.count = 0
        self.too_big = False
        self.aliases = False

    def build(self, node: Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if not self.too_big:
                self.too_big = True
                self._add(node, path, f"the file has more than {MAX_NODES:,} values", "split it")
            self.document.refused.add(path)
            return None
        self.document.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
            # The composer hands back the anchored node again for every alias that names it;
            # _alias_problems reports each alias where it is written.
            self.aliases = True
            self.document.refused.add(path)
            return None
        self.seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._add(node, path, f"YAML tag '{tag}' is not allowed", "remove the !tag")
            self.document.refused.add(path)
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
                self._skip(value_node)
                continue
            if not isinstance(key_node, ScalarNode):
                self._add(key_node, path, "a mapping key must be plain text", "use a simple key")
                self._skip(key_node)
                self._skip(value_node)
                continue
            if id(key_node) in self.seen:
                self.aliases = True  # an alias used as a key; _alias_problems reports it
                continue
            self.seen.add(id(key_node))
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

    def _skip(self, node: Node) -> None:
        """Note the nodes of a value that is not read, so a later alias to them is still found."""
        pending = [node]
        while pending:
            current = pending.pop()
            if id(current) in self.seen:
                self.aliases = True
                continue
            self.seen.add(id(current))
            if isinstance(current, SequenceNode):
                pending.extend(current.value)
            elif isinstance(current, MappingNode):
                pending.extend(part for pair in current.value for part in pair)

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
        self.document.refused.add(path)
        return text

    def _check_text(self, node: Node, path: Path, text: str) -> None:
        if len(text) > MAX_SCALAR_CHARS:
            self._add(
                node,
                path,
                f"the text is {len(text):,} characters long; the limit is {MAX_SCALAR_CHARS:,}",
                "shorten it",
            )
            self.document.refused.add(path)
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
            self.document.refused.add(path)

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
