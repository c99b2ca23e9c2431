"""Edit a company profile field by field (the web workspace), refusing stale and invalid edits.

Scalars at existing paths are replaced in the text itself (byte-faithful, fast); new keys, added
and removed list items go through a ruamel.yaml round trip that must reproduce the file exactly.
Every write happens under the same lock as generate and revise, through an atomic rename.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.commands.session import (
    CompanyInputs,
    Library,
    check_company,
    load_library,
    load_profile,
)
from engine.domain.validation import COVERAGE_CODES
from engine.errors import EngineError, Problem, errors_only
from engine.files import locked, write_atomically
from engine.inputs.profile_edit import (
    Edit,
    apply_edits,
    edit_file_bytes,
    line_starts,
    quoted,
)
from engine.inputs.workspace import Workspace
from engine.inputs.yamlio import Path as DataPath
from engine.inputs.yamlio import YamlDocument, read_yaml

Change = Callable[[str, YamlDocument], str]

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+\Z")
# A plain scalar that reads back as the same text in block and flow context alike.
_SAFE_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^,\[\]{}#:]*\Z")
_NOT_TEXT = re.compile(
    r"(?:[-+]?[0-9][0-9_.:eE+-]*|true|false|yes|no|on|off|null|~|\.inf|\.nan)\Z", re.IGNORECASE
)


def digest(raw: bytes) -> str:
    """Return the short hash a form carries to tell whether the file changed since it loaded."""
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass
class ProfileState:
    """A profile as the web forms show it: its bytes, their hash and the parsed document."""

    company: str
    raw: bytes
    digest: str
    document: YamlDocument | None
    problems: list[Problem]


def read_profile(workspace: Workspace, company: str) -> ProfileState:
    """Read a profile's current bytes and parse them (the forms show what the file holds)."""
    path = workspace.profile_path(company)
    raw = path.read_bytes()
    document, problems = read_yaml(raw, workspace.display(path))
    return ProfileState(company, raw, digest(raw), document, problems)


@dataclass
class EditOutcome:
    """What an edit did: saved, or refused (stale or invalid) with the reason and the problems."""

    saved: bool
    digest: str
    problems: list[Problem] = field(default_factory=list)
    stale: bool = False
    refused: str = ""
    document: YamlDocument | None = None
    raw: bytes | None = None


class LibraryCache:
    """The workspace library, loaded once and again only when a shared input file changes."""

    def __init__(self, workspace: Workspace, recheck_seconds: float = 1.0) -> None:
        self.workspace = workspace
        self.recheck_seconds = recheck_seconds
        self._key: tuple[tuple[str, int, int], ...] | None = None
        self._library: Library | None = None
        self._checked_at = 0.0

    def _stamp(self) -> tuple[tuple[str, int, int], ...]:
        stamps = []
        for folder in self.workspace.shared_dirs:
            for path in folder.rglob("*"):
                if path.is_file():
                    stat = path.stat()
                    stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(sorted(stamps))

    @property
    def stamp(self) -> tuple[tuple[str, int, int], ...] | None:
        """Return the state of the shared inputs the library was loaded from."""
        return self._key

    def get(self) -> Library:
        """Return the library of every standard, zh and en, reloaded if an input changed."""
        now = time.monotonic()
        if self._library is not None and now - self._checked_at < self.recheck_seconds:
            return self._library  # a burst of edits looks at the files once
        key = self._stamp()
        if self._library is None or key != self._key:
            self._library = load_library(self.workspace, langs=["zh", "en"])
            self._key = key
        self._checked_at = now
        return self._library


@dataclass(frozen=True)
class Checked:
    """A profile's bytes loaded and checked: problems, the parsed document, the profile."""

    problems: list[Problem]
    document: YamlDocument | None
    inputs: CompanyInputs | None
    library: Library  # what it was checked against (kept, so its id is never reused)


_CHECKED: dict[tuple[str, str, int], Checked] = {}
_CHECKED_KEPT = 16
_CHECKED_LOCK = threading.Lock()  # the web app checks profiles from several threads


def checked_profile(workspace: Workspace, company: str, raw: bytes, library: Library) -> Checked:
    """Return a profile's bytes loaded and checked as validate checks them.

    The last few results are kept: the bytes an edit writes are the ones the next edit (and
    its preview) start from, so each edit parses and checks the profile once.
    """
    key = (str(workspace.profile_path(company)), digest(raw), id(library))
    with _CHECKED_LOCK:
        found = _CHECKED.get(key)
    if found is not None and found.library is not library:
        found = None
    if found is None:
        inputs, problems = load_profile(workspace, company, raw)
        if inputs is None:
            document, _ = read_yaml(raw, workspace.display(workspace.profile_path(company)))
            found = Checked(problems, document, None, library)
        else:
            problems = problems + check_company(workspace, inputs, library)
            found = Checked(problems, inputs.document, inputs, library)
        with _CHECKED_LOCK:
            if len(_CHECKED) >= _CHECKED_KEPT:
                _CHECKED.pop(next(iter(_CHECKED)))
            _CHECKED[key] = found
    return found


def profile_problems(
    workspace: Workspace, company: str, raw: bytes, library: Library
) -> tuple[list[Problem], YamlDocument | None]:
    """Return the schema and cross-reference problems of a profile's bytes (validate's words)."""
    found = checked_profile(workspace, company, raw, library)
    return list(found.problems), found.document


def _blocking(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(p.where, p.message) for p in errors_only(problems) if p.code not in COVERAGE_CODES}


def edit_profile(
    workspace: Workspace, company: str, expected: str, change: Change, library: Library
) -> EditOutcome:
    """Apply change to the profile's text and write it, unless stale or newly invalid.

    expected is the hash of the bytes the form was loaded from: when the file changed since
    (another tab, an editor, revise), nothing is written. An edit that brings an error the
    profile did not have is not written either; coverage gaps and warnings are written and
    reported. The file is read, checked and written under revise's workspace lock and the
    company's output lock, taken in revise's order, so an edit never interleaves with a revise
    into another output folder.
    """
    path = workspace.profile_path(company)
    with (
        locked(workspace.locks_dir, f"{company}.lock"),
        locked(workspace.default_output_dir / company),
    ):
        raw = path.read_bytes()
        current = digest(raw)
        if current != expected:
            return EditOutcome(False, current, stale=True, refused="stale")
        before, text_document = profile_problems(workspace, company, raw, library)
        if text_document is None:
            return EditOutcome(False, current, before, refused="unreadable")

        def apply(text: str) -> str:
            return change(text, text_document)

        edited = edit_file_bytes(raw, apply)
        result = checked_profile(workspace, company, edited, library)
        after, document = list(result.problems), result.document
        if _blocking(after) - _blocking(before):
            return EditOutcome(False, current, after, refused="invalid", document=document)
        if edited != raw:
            write_atomically(path, edited)
        return EditOutcome(True, digest(edited), after, document=document, raw=edited)


def typed_value(document: YamlDocument, path: DataPath, value: str) -> object:
    """Return the form's text as the type the file holds at path (a number stays a number)."""
    old = value_at(document.data, path)
    text = value.strip()
    if isinstance(old, bool):
        return text.lower() in ("true", "1", "yes", "on")
    if isinstance(old, int) and _INT.match(text):
        return int(text)
    if isinstance(old, int | float) and (_INT.match(text) or _FLOAT.match(text)):
        return float(text) if "." in text else int(text)
    return value


def value_at(data: Any, path: DataPath) -> Any:
    """Return the value at path in parsed data, or None when it is not there."""
    for key in path:
        found = (isinstance(data, dict) and key in data) or (
            isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data)
        )
        if not found:
            return None
        data = data[key]
    return data


def _scalar_text(value: object, style: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if style == "'" and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    plain = _SAFE_PLAIN.match(text) and not _NOT_TEXT.match(text) and text == text.strip()
    if style == "plain" and plain:
        return text
    return quoted(text)


def set_values(values: dict[DataPath, str]) -> Change:
    """Return a change that sets each path to the form's text, keeping each scalar's quoting."""

    def change(text: str, document: YamlDocument) -> str:
        starts = line_starts(text)
        edits: list[Edit] = []
        structural: dict[DataPath, object] = {}
        for path, raw_value in values.items():
            value = typed_value(document, path, raw_value)
            position = document.positions.get(path)
            old = value_at(document.data, path)
            if position is None or isinstance(old, dict | list):
                structural[path] = value
                continue
            line_number, column = position
            offset = starts[line_number - 1] + column - 1
            line_end = starts[line_number] if line_number < len(starts) else len(text)
            rest = text[offset:line_end].rstrip("\r\n")
            if rest.startswith(("|", ">")) or (
                isinstance(value, str) and "\n" in value and not rest.startswith('"')
            ):
                structural[path] = value  # a block scalar: let the round trip rewrite it
                continue
            if rest.startswith('"'):
                match, style = re.match(r'"(?:[^"\\]|\\.)*"', rest), '"'
            elif rest.startswith("'"):
                match, style = re.match(r"'(?:[^']|'')*'", rest), "'"
            else:
                match = re.match(r"[^,}\]\s#]+(?:[ \t]+[^,}\]\s#]+)*", rest)
                style = "plain"
            if match is None:
                if old is None and rest.strip() == "":
                    structural[path] = value
                    continue
                msg = f"{document.file}:{line_number}: cannot read the value to update"
                raise EngineError(msg)
            edits.append(Edit(offset, offset + match.end(), _scalar_text(value, style)))
        text = apply_edits(text, edits)
        if structural:
            text = round_trip(text, lambda data: _set_paths(data, structural))
        return text

    return change


def append_item(key: str, item: dict[str, object]) -> Change:
    """Return a change that adds item to the top-level list key (created when missing)."""

    def change(text: str, document: YamlDocument) -> str:
        def edit(data: Any) -> None:
            if data.get(key) is None:
                data[key] = []
            data[key].append(_styled(item))

        return round_trip(text, edit)

    return change


def remove_item(key: str, index: int) -> Change:
    """Return a change that removes item index of the top-level list key."""

    def change(text: str, document: YamlDocument) -> str:
        def edit(data: Any) -> None:
            items = data.get(key)
            if not isinstance(items, list) or not 0 <= index < len(items):
                raise EngineError(f"{document.file}: {key}[{index}] is not there to remove")
            del items[index]

        return round_trip(text, edit)

    return change


# What a new row of a list needs before its other fields can be filled in on the form.
NEW_ROWS: dict[str, tuple[str, ...]] = {
    "departments": ("id", "name", "parent"),
    "roles": ("id", "title", "department"),
}


def add_row(key: str, values: dict[str, str]) -> Change:
    """Return a change adding a department or a role: its id, its name in zh/en, where it sits."""
    if key not in NEW_ROWS:
        raise EngineError(f"rows cannot be added to {key} here — add them in the YAML file")
    identifier = values.get("id", "").strip()
    if not identifier:
        raise EngineError("give the new entry an id (letters, digits, _)")
    item: dict[str, object] = {}
    for field_name in NEW_ROWS[key]:
        if field_name in ("name", "title"):
            text = {
                lang: values.get(f"{field_name}_{lang}", "").strip()
                for lang in ("zh", "en")
                if values.get(f"{field_name}_{lang}", "").strip()
            }
            if not text:
                raise EngineError(f"give the new entry its {field_name}")
            item[field_name] = text
        elif values.get(field_name, "").strip():
            item[field_name] = values[field_name].strip()
    return append_item(key, {"id": identifier, **item} if "id" not in item else item)


def add_exclusion(standard: str, clause: str, justification: dict[str, str]) -> Change:
    """Return a change adding an exclusion; the justification an auditor reads is required."""
    if not any(v.strip() for v in justification.values()):
        raise EngineError("an exclusion needs its justification (删减理由): say why it applies")
    if not clause.strip():
        raise EngineError("say which clause is excluded")
    reason = {k: v.strip() for k, v in justification.items() if v.strip()}
    return append_item(
        "exclusions", {"standard": standard, "clause": clause.strip(), "justification": reason}
    )


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def round_trip(text: str, edit: Callable[[Any], None]) -> str:
    """Return text with edit made on its ruamel.yaml round-trip data; comments and order kept."""
    yaml = _yaml()
    data = yaml.load(text)
    unchanged = io.StringIO()
    yaml.dump(data, unchanged)
    if unchanged.getvalue() != text:
        raise EngineError(
            "this profile's layout (indentation, line width) cannot be kept by an automatic "
            "edit — make this change in the YAML file itself"
        )
    edit(data)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _styled(value: object) -> object:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = _styled(item)
        flat = all(not isinstance(v, dict | list) for v in value.values())
        if flat and len(value) <= 3 and "id" not in value:
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        return [_styled(v) for v in value]
    if isinstance(value, str):
        if "\n" in value:
            return LiteralScalarString(value if value.endswith("\n") else value + "\n")
        if not _SAFE_PLAIN.match(value) or _NOT_TEXT.match(value):
            return DoubleQuotedScalarString(value)
    return value


def _set_paths(data: Any, values: dict[DataPath, object]) -> None:
    for path, value in values.items():
        node = data
        for index, key in enumerate(path[:-1]):
            following = path[index + 1]
            if isinstance(node, dict) and key not in node:
                node[key] = [] if isinstance(following, int) else _styled({})
            node = node[key]
        last = path[-1]
        if isinstance(node, list) and isinstance(last, int) and last == len(node):
            node.append(_styled(value))
        else:
            node[last] = _styled(value)


def output_folder(workspace: Workspace, company: str) -> Path:
    """Return where a company's sets are written (the CLI's default --out)."""
    return workspace.default_output_dir / company


_CLIENT_ID = re.compile(r"[a-z][a-z0-9_-]{0,63}\Z")


def clone_client(workspace: Workspace, source: str, new: str) -> Path:
    """Copy a client's profile byte for byte under a new id (the next certification cycle)."""
    source_path = workspace.profile_path(source)
    if not _CLIENT_ID.match(new):
        raise EngineError(
            f"'{new}' cannot name a client: use lower-case letters, digits, _ or -, "
            "starting with a letter"
        )
    target = workspace.profiles_dir / f"{new}.yaml"
    with locked(workspace.default_output_dir / new):
        if target.exists():
            raise EngineError(f"a client named '{new}' exists already: choose another id")
        write_atomically(target, source_path.read_bytes())
    return target
