"""Load one YAML input file into its model, turning every schema error into a located Problem."""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import AfterValidator, BaseModel, ValidationError
from pydantic_core import ErrorDetails

from engine.errors import Problem
from engine.inputs.models import check_date
from engine.inputs.yamlio import Path as DataPath
from engine.inputs.yamlio import YamlDocument, format_path, read_yaml

M = TypeVar("M", bound=BaseModel)

_PATTERN_HINTS = {
    r"^[a-z][a-z0-9_]*$": "ids use lower-case letters, digits and _, starting with a letter",
    r"^[0-9]+(\.[0-9]+)*$": "clause numbers look like 7.1.5 (quoted)",
    r"^[A-Z][A-Z0-9]{0,9}$": "use 1-10 upper-case letters or digits, starting with a letter",
    r"^[A-Z0-9]{1,6}$": "use 1-6 upper-case letters or digits",
}
_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
}


def load_model(path: Path, display: str, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Read path as YAML and validate it as model; return the model (None on error) and problems."""
    result, _, problems = load_located(path, display, model)
    return result, problems


def load_located(
    path: Path, display: str, model: type[M]
) -> tuple[M | None, YamlDocument | None, list[Problem]]:
    """Like load_model, and also return the parsed document, to locate later cross-file problems.

    The document is returned whenever the file parsed, so callers never read it a second time.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        unreadable = Problem(display, None, None, "", f"cannot read the file: {exc.strerror}")
        return None, None, [unreadable]
    return load_bytes(raw, display, model)


def load_bytes(
    raw: bytes, display: str, model: type[M]
) -> tuple[M | None, YamlDocument | None, list[Problem]]:
    """Like load_located, for a file's bytes already in memory (an edit not yet written)."""
    document, problems = read_yaml(raw, display)
    if document is None:
        return None, None, problems
    if document.data is None:
        empty = Problem(display, 1, 1, "", "the file is empty", _example_hint(model))
        return None, document, [*problems, empty]
    if not isinstance(document.data, dict):
        kind = "a list" if isinstance(document.data, list) else "a single value"
        message = f"the file holds {kind}, but must be a mapping of keys at the top"
        not_mapping = Problem(display, 1, 1, "", message, _example_hint(model))
        return None, document, [*problems, not_mapping]
    try:
        result = model.model_validate(document.data)
    except ValidationError as exc:
        problems.extend(schema_problems(document, model, exc.errors()))
        return None, document, sorted(_dedupe(problems))
    if problems:
        return None, document, sorted(problems)
    return result, document, []


def schema_problems(
    document: YamlDocument, model: type[BaseModel], errors: list[ErrorDetails]
) -> list[Problem]:
    """Turn pydantic errors into Problems, leaving out those that only repeat another one.

    A value that reading already refused (an alias, a yes/no word, text too long) gets no
    second message from the schema, and a misspelt key (``departmnets``) is one problem, not
    also a missing ``departments``.
    """
    errors = [
        e
        for e in errors
        if e["type"] in ("missing", "extra_forbidden") or not document.is_refused(_loc(e))
    ]
    missing = {_loc(e) for e in errors if e["type"] == "missing"}
    typos: dict[DataPath, str] = {}
    for error in errors:
        loc = _loc(error)
        if error["type"] == "extra_forbidden" and loc:
            close = _close_key(model, loc)
            if close is not None and (*loc[:-1], close) in missing:
                typos[loc] = close
    found = []
    for error in errors:
        loc = _loc(error)
        if error["type"] == "missing" and loc in {(*t[:-1], c) for t, c in typos.items()}:
            continue
        problem = schema_problem(document, model, error)
        if loc in typos:
            hint = f"did you mean '{typos[loc]}'? (a required key)"
            problem = dataclasses.replace(problem, hint=hint)
        found.append(problem)
    return found


def _loc(error: ErrorDetails) -> DataPath:
    return tuple(part for part in error["loc"] if part != "[key]")


def _close_key(model: type[BaseModel], loc: DataPath) -> str | None:
    """Return the allowed key closest to the unknown key at loc, if one is close enough."""
    close = difflib.get_close_matches(str(loc[-1]), _allowed_keys(model, loc[:-1]), 1, 0.6)
    return close[0] if close else None


def schema_problem(document: YamlDocument, model: type[BaseModel], error: ErrorDetails) -> Problem:
    """Turn one pydantic error into a Problem with a message a consultant can act on."""
    loc = _loc(error)
    kind = error["type"]
    value = error.get("input")
    context = error.get("ctx") or {}
    message, hint = error["msg"], ""
    if kind == "missing":
        field = str(loc[-1])
        message = f"required key '{field}' is missing"
        hint = _describe(model, loc) or "add it"
        loc = loc[:-1]
        line, col = document.locate(loc)
        return Problem(document.file, line, col, format_path(loc), message, hint)
    if kind == "extra_forbidden":
        field = str(loc[-1])
        allowed = _allowed_keys(model, loc[:-1])
        message = f"unknown key '{field}'"
        close = _close_key(model, loc)
        if close:
            hint = f"did you mean '{close}'?"
        else:
            hint = f"allowed keys here: {', '.join(allowed)}" if allowed else "remove it"
        line, col = document.key_positions.get(loc) or document.locate(loc)
        return Problem(document.file, line, col, format_path(loc), message, hint)
    elif loc in document.plain_numbers and _is_date_field(model, loc):
        raw = document.plain_numbers[loc]
        message = f"{raw} was read as a number, but a date (YYYY-MM-DD) is expected here"
        example = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}" if len(raw) == 8 else "2026-03-01"
        hint = f'write it as a quoted date: "{example}"'
    elif loc in document.plain_numbers and (
        kind == "string_type" or (kind in _TYPE_NAMES and _is_text_field(model, loc))
    ):
        raw = document.plain_numbers[loc]
        message = f"{raw} was read as a number, but text is expected here"
        hint = f'quote it: "{raw}"'
    elif kind in _TYPE_NAMES:
        message = f"expected {_TYPE_NAMES[kind]}, got {_describe_value(value)}"
        if loc and _is_text_field(model, loc):
            message = f"expected text (a string, or zh:/en: keys), got {_describe_value(value)}"
        hint = _describe(model, loc)
    elif kind == "string_pattern_mismatch":
        pattern = str(context.get("pattern", ""))
        message = f"'{value}' is not valid here"
        hint = _PATTERN_HINTS.get(pattern, f"it must match {pattern}")
    elif kind == "string_too_short":
        message = "must not be empty"
        hint = _describe(model, loc)
    elif kind == "string_too_long":
        message = (
            f"is {len(str(value)):,} characters long; the limit is {context.get('max_length'):,}"
        )
        hint = "shorten it"
    elif kind == "too_short":
        message = f"needs at least {context.get('min_length')} entr(y/ies)"
        hint = _describe(model, loc)
    elif kind == "literal_error":
        message = "is empty" if value is None else f"'{value}' is not allowed here"
        hint = f"use one of: {context.get('expected')}"
    elif kind in ("value_error", "assertion_error"):
        message, hint = _value_error(str(context.get("error", message)), value)
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        message = f"{value} is out of range ({error['msg'].lower()})"
        hint = "use a value in that range"
    line, col = document.locate(loc)
    hint = hint or _default_hint(model, loc, kind, context)
    return Problem(document.file, line, col, format_path(loc), message, hint)


_VALUE_HINTS = {
    "a text part needs an id and a title": (
        "give it id: (its template in templates/md/<lang>/manual/) and title:, "
        "or kind: contents / clauses"
    ),
    "exactly one part must have kind: clauses": "keep one part with kind: clauses",
    "at most one part may have kind: contents": "keep one part with kind: contents",
    "give the text in zh, en or both": "write zh: and/or en: under it, or the text itself",
    "give either role: or name: (with department:)": (
        "role: is a role id; name: is a person without a role, with department:"
    ),
    "a named auditor needs department:": "add department: with the auditor's department id",
}
_LOOSE_DATE = re.compile(r"'(\d{4})\D(\d{1,2})\D(\d{1,2})'")


def _value_error(text: str, value: Any) -> tuple[str, str]:
    """Split a model's own error text into what is wrong and how to fix it."""
    text = text.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if "is not a date in the form YYYY-MM-DD" in text:
        message = text.split(", e.g.")[0]
        loose = _LOOSE_DATE.search(message)
        if loose:
            year, month, day = (int(part) for part in loose.groups())
            try:
                example = datetime.date(year, month, day).isoformat()
            except ValueError:
                example = ""
            if example:
                return message, f'write it as "{example}"'
        return message, 'write it like "2026-03-01"'
    if "is not a real date" in text:
        return text, "check the month and the day"
    if "; " in text:
        message, hint = text.split("; ", 1)
        return message, hint
    return text, _VALUE_HINTS.get(text, "")


def _default_hint(model: type[BaseModel], loc: DataPath, kind: str, context: Any) -> str:
    """Return a generic way to fix a problem whose field has no description to offer."""
    if kind in _TYPE_NAMES:
        if _is_text_field(model, loc):
            return "write the text after the colon, or zh: and en: lines under it"
        target = _annotation_at(model, loc)
        if isinstance(target, type) and issubclass(target, BaseModel):
            return f"write key: value lines under it ({', '.join(target.model_fields)})"
        if kind == "list_type":
            return "write the entries as [a, b], or as '- ' lines under it"
        return f"write {_TYPE_NAMES[kind]}"
    if kind == "string_too_short":
        return "fill it in, or leave the key out where it is optional"
    if kind == "too_short":
        return f"add at least {context.get('min_length')}"
    return ""


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    unique = []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            unique.append(problem)
    return unique


def _describe_value(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"'{value}'" if len(value) < 40 else "text"
    return repr(value)


def _example_hint(model: type[BaseModel]) -> str:
    keys = [name for name, info in model.model_fields.items() if info.is_required()]
    return f"it needs at least these keys: {', '.join(keys)}"


def _annotation_at(model: type[BaseModel], loc: DataPath) -> Any:
    """Return the type annotation reached by following loc from model, or None."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            if typing.get_origin(current) is not list or not args:
                return None
            current = args[0]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return None
    return _unwrap(current)


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0] if len(options) == 1 else annotation
            if len(options) != 1:
                return annotation
        else:
            return annotation


# The bilingual text models (models.Text and its shorter Name): a string or zh:/en: keys.
TEXT_MODELS = frozenset({"Text", "Name"})


def _allowed_keys(model: type[BaseModel], loc: DataPath) -> list[str]:
    target = _annotation_at(model, loc)
    if isinstance(target, type) and issubclass(target, BaseModel):
        if target.__name__ in TEXT_MODELS:
            return ["zh", "en"]
        return list(target.model_fields)
    return []


def _is_text_field(model: type[BaseModel], loc: DataPath) -> bool:
    target = _annotation_at(model, loc)
    return isinstance(target, type) and target.__name__ in TEXT_MODELS


def _is_date_field(model: type[BaseModel], loc: DataPath) -> bool:
    """Return whether the field at loc holds a date (a DateText, possibly optional)."""
    if not loc or not isinstance(loc[-1], str):
        return False
    parent = _annotation_at(model, loc[:-1])
    if not (isinstance(parent, type) and issubclass(parent, BaseModel)):
        return False
    field = parent.model_fields.get(loc[-1])
    if field is None:
        return False
    metadata = list(field.metadata)
    for option in typing.get_args(field.annotation):
        if typing.get_origin(option) is typing.Annotated:
            metadata.extend(typing.get_args(option)[1:])
    return any(isinstance(m, AfterValidator) and m.func is check_date for m in metadata)


def _describe(model: type[BaseModel], loc: DataPath) -> str:
    """Return the field's description from the model, to tell the user what belongs there."""
    if not loc:
        return ""
    parent = _annotation_at(model, loc[:-1])
    if isinstance(parent, type) and issubclass(parent, BaseModel) and isinstance(loc[-1], str):
        field = parent.model_fields.get(loc[-1])
        if field is not None and field.description:
            return field.description
    return ""
