"""Load one YAML input file into its model, turning every schema error into a located Problem."""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from engine.errors import Problem
from engine.yamlio import Path as DataPath
from engine.yamlio import YamlDocument, format_path, read_yaml

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
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, None, None, "", f"cannot read the file: {exc.strerror}")]
    document, problems = read_yaml(raw, display)
    if document is None:
        return None, problems
    if document.data is None:
        return None, [
            *problems,
            Problem(display, 1, 1, "", "the file is empty", _example_hint(model)),
        ]
    if not isinstance(document.data, dict):
        kind = "a list" if isinstance(document.data, list) else "a single value"
        return None, [
            *problems,
            Problem(
                display,
                1,
                1,
                "",
                f"the file holds {kind}, but must be a mapping of keys at the top",
                _example_hint(model),
            ),
        ]
    try:
        result = model.model_validate(document.data)
    except ValidationError as exc:
        problems.extend(schema_problem(document, model, error) for error in exc.errors())
        return None, _dedupe(problems)
    if problems:
        return None, problems
    return result, []


def load_document(path: Path, display: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Read path as YAML without a schema (used to locate later cross-reference problems)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, None, None, "", f"cannot read the file: {exc.strerror}")]
    return read_yaml(raw, display)


def schema_problem(document: YamlDocument, model: type[BaseModel], error: ErrorDetails) -> Problem:
    """Turn one pydantic error into a Problem with a message a consultant can act on."""
    loc: DataPath = tuple(part for part in error["loc"] if part != "[key]")
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
        close = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean '{close[0]}'?"
        else:
            hint = f"allowed keys here: {', '.join(allowed)}" if allowed else "remove it"
        line, col = document.key_positions.get(loc) or document.locate(loc)
        return Problem(document.file, line, col, format_path(loc), message, hint)
    elif loc in document.plain_numbers and kind == "string_type":
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
        message = str(context.get("error", message)).removeprefix("Value error, ")
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        message = f"{value} is out of range ({error['msg'].lower()})"
    line, col = document.locate(loc)
    return Problem(document.file, line, col, format_path(loc), message, hint)


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


def _allowed_keys(model: type[BaseModel], loc: DataPath) -> list[str]:
    target = _annotation_at(model, loc)
    if isinstance(target, type) and issubclass(target, BaseModel):
        if target.__name__ == "Text":
            return ["zh", "en"]
        return list(target.model_fields)
    return []


def _is_text_field(model: type[BaseModel], loc: DataPath) -> bool:
    target = _annotation_at(model, loc)
    return isinstance(target, type) and target.__name__ == "Text"


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
