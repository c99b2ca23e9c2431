"""Which parts of a profile each form shows, as fields grouped the way the YAML groups them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from engine.errors import Problem
from engine.inputs.yamlio import Path as DataPath
from engine.inputs.yamlio import YamlDocument
from engine.interfaces.web.i18n import UiLang, field_label
from engine.textwidth import display_width

PART_ROOTS: dict[str, list[DataPath]] = {
    "company": [("company",)],
    "operations": [("operations",)],
    "departments": [("departments",)],
    "roles": [("roles",)],
    "targets": [("targets",)],
    "policy": [("policy",)],
    "scope": [("scope",)],
    "exclusions": [("exclusions",)],
    "responsibilities": [("responsibilities",)],
    "approvals": [("approvals",), ("issue_date",), ("effective_date",), ("numbering",)],
}
# Keys a part's form leaves out (kept in the file, edited there).
HIDDEN: dict[str, set[str]] = {
    "company": {"logo"},
    "responsibilities": {"lead", "assist"},
    "targets": {"clauses", "breakdown"},
    "operations": set(),
}
# Fields that name a department or a role: the browser suggests the ids the profile defines.
REFERENCES = {
    "owner": "departments",
    "parent": "departments",
    "department": "departments",
    "units": "departments",
    "assist": "departments",
    "head": "roles",
    "role": "roles",
    "lead": "roles",
    "author": "roles",
    "approver": "roles",
}
LONG_TEXT = 36  # display columns (a Chinese character takes two)


@dataclass
class Field:
    """One editable scalar of the profile."""

    path: DataPath
    label: str
    value: str
    line: int
    multiline: bool = False
    reference: str = ""
    messages: list[Problem] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Return the path as JSON, how the form sends it back."""
        return json.dumps(list(self.path), ensure_ascii=False)

    @property
    def dom_id(self) -> str:
        """Return an HTML id for the field's element."""
        return "f-" + "-".join(str(k) for k in self.path).replace(".", "_")

    @property
    def invalid(self) -> bool:
        """Return whether an error is shown beside the field."""
        return any(p.severity == "error" for p in self.messages)


@dataclass
class Group:
    """Fields of one item (a department, a role …) or of a whole mapping."""

    title: str
    fields: list[Field]
    index: int | None = None
    depth: int = 0


def parse_path(text: str) -> DataPath:
    """Return a path the form sent back (a JSON list of keys and indexes), or raise ValueError."""
    value = json.loads(text)
    if not isinstance(value, list) or not value:
        raise ValueError("a path is a non-empty list")
    path: list[str | int] = []
    for key in value:
        if isinstance(key, bool) or not isinstance(key, str | int):
            raise ValueError("a path holds keys and indexes")
        path.append(key)
    return tuple(path)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _leaves(data: Any, path: DataPath, hidden: set[str]) -> list[tuple[DataPath, Any]]:
    if isinstance(data, dict):
        found = []
        for key, value in data.items():
            if key in hidden:
                continue
            found.extend(_leaves(value, (*path, key), hidden))
        return found
    if isinstance(data, list):
        found = []
        for index, value in enumerate(data):
            found.extend(_leaves(value, (*path, index), hidden))
        return found
    return [(path, data)]


def _title(item: Any, fallback: str, lang: UiLang) -> str:
    if isinstance(item, dict):
        for key in ("title", "name", "clause", "id"):
            value = item.get(key)
            if isinstance(value, dict):
                value = value.get(lang) or value.get("zh") or value.get("en")
            if isinstance(value, str | int | float) and value != "":
                prefix = (
                    f"{item['id']} · " if key != "id" and isinstance(item.get("id"), str) else ""
                )
                return f"{prefix}{value}"
    return fallback


def _field(document: YamlDocument, path: DataPath, below: int, value: Any, lang: UiLang) -> Field:
    line = document.positions.get(path, (0, 0))[0]
    text = _text(value)
    names = [k for k in path if isinstance(k, str)]
    return Field(
        path=path,
        label=field_label(path[below:], lang) or field_label(path[-1:], lang),
        value=text,
        line=line,
        multiline="\n" in text or display_width(text) > LONG_TEXT,
        reference=REFERENCES.get(names[-1], "") if names else "",
    )


def part_groups(document: YamlDocument, part: str, lang: UiLang) -> list[Group]:
    """Return the groups of fields a part of the client form shows."""
    data = document.data if isinstance(document.data, dict) else {}
    hidden = HIDDEN.get(part, set())
    groups: list[Group] = []
    loose: list[Field] = []
    for root in PART_ROOTS[part]:
        value = data.get(root[0])
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            for index, item in enumerate(value):
                fields = [
                    _field(document, p, len(root) + 1, v, lang)
                    for p, v in _leaves(item, (*root, index), hidden)
                ]
                groups.append(Group(_title(item, f"#{index + 1}", lang), fields, index))
        elif isinstance(value, dict) and part == "responsibilities":
            for standard, clauses in value.items():
                fields = []
                for clause, entry in (clauses if isinstance(clauses, dict) else {}).items():
                    for p, v in _leaves(entry, (*root, standard, clause), hidden):
                        item_field = _field(document, p, len(root) + 2, v, lang)
                        item_field.label = f"{clause} {item_field.label}"
                        fields.append(item_field)
                groups.append(Group(str(standard), fields))
        elif isinstance(value, dict) and part == "operations":
            for key, item in value.items():
                fields = [
                    _field(document, p, len(root) + 1, v, lang)
                    for p, v in _leaves(item, (*root, key), hidden)
                ]
                groups.append(Group(str(key), fields))
        elif value is not None:
            below = len(root) if len(PART_ROOTS[part]) == 1 else 0
            loose.extend(
                _field(document, p, below, v, lang) for p, v in _leaves(value, root, hidden)
            )
    if part == "departments":
        groups = _nest_departments(groups, data.get("departments"))
    return ([Group("", loose)] if loose else []) + groups


def _nest_departments(groups: list[Group], items: Any) -> list[Group]:
    """Order departments as their tree (each under its parent) and give each its depth."""
    if not isinstance(items, list):
        return groups
    parents = {str(i.get("id")): str(i.get("parent") or "") for i in items if isinstance(i, dict)}
    ids = [str(i.get("id")) if isinstance(i, dict) else "" for i in items]

    def depth(identifier: str) -> int:
        seen: set[str] = set()
        level = 0
        while parents.get(identifier) and identifier not in seen:
            seen.add(identifier)
            identifier = parents[identifier]
            level += 1
        return level

    def path(identifier: str) -> list[int]:
        chain = [identifier]
        while parents.get(chain[-1]) and parents[chain[-1]] not in chain:
            chain.append(parents[chain[-1]])
        return [ids.index(c) if c in ids else len(ids) for c in reversed(chain)]

    for group in groups:
        if group.index is not None:
            group.depth = depth(ids[group.index])
    return sorted(groups, key=lambda g: path(ids[g.index]) if g.index is not None else [len(ids)])


def attach(groups: list[Group], problems: list[Problem]) -> list[Problem]:
    """Put each problem beside the field on its line; return those no field shows."""
    by_line: dict[int, Field] = {f.line: f for g in groups for f in g.fields if f.line}
    left = []
    for problem in problems:
        target = by_line.get(problem.line or -1)
        if target is None:
            left.append(problem)
        else:
            target.messages.append(problem)
    return left


def reference_ids(document: YamlDocument) -> dict[str, list[str]]:
    """Return the department and role ids the profile defines, for the fields' suggestions."""
    data = document.data if isinstance(document.data, dict) else {}
    found: dict[str, list[str]] = {}
    for key in ("departments", "roles"):
        items = data.get(key)
        found[key] = [
            str(i["id"])
            for i in items or []
            if isinstance(items, list) and isinstance(i, dict) and "id" in i
        ]
    return found
