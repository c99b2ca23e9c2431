"""Check every manual template against the typed context before anything is rendered.

A template may only use the names of ``TemplateContext`` (and ``section`` in clause sections),
and only the attributes their types have: ``section.ownr.name`` is reported with the template's
file and line, whether or not the template is rendered for the company at hand.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Union, cast, get_args, get_origin, get_type_hints

from jinja2 import nodes

from engine.documents.context import SectionView, TemplateContext
from engine.documents.templating import TemplateProblem, TemplateSet
from engine.errors import Problem

FOLDERS = ("manual", "sections")
_HINT = "see 'Template context' in README.md for the names templates can use"


def context_types(folder: str) -> dict[str, Any]:
    """Return name → type of everything a template in folder (manual or sections) receives."""
    names = dict(get_type_hints(TemplateContext))
    if folder == "sections":
        names["section"] = SectionView
    return names


def check_templates(
    templates: TemplateSet, operations: Iterable[str] = (), commitments: Iterable[str] = ()
) -> list[Problem]:
    """Return every unknown name and attribute in the manual's templates of one language.

    operations: the ids ``ops.<id>`` may name (templates/operations.yaml); commitments: the
    ids ``commit('<id>')`` may name (templates/commitments.yaml).
    """
    keys = {"ops": set(operations), "commit": set(commitments)}
    problems: list[Problem] = []
    for folder in FOLDERS:
        known = context_types(folder)
        for name in sorted(templates.names(folder)):
            try:
                tree = templates.parse(folder, name)
            except TemplateProblem as exc:
                problems.append(exc.problem)
                continue
            display = templates.display(folder, name)
            problems.extend(_check(tree, display, known, set(templates.env.globals), keys))
    return problems


def _check(
    tree: nodes.Template,
    display: str,
    known: dict[str, Any],
    globals_: set[str],
    keys: dict[str, set[str]],
) -> list[Problem]:
    problems = []
    # Names the template sets itself (set, for, macro, namespace), in any branch.
    stored = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    stored.update(m.name for m in tree.find_all(nodes.Macro))
    loaded = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
    unknown = loaded - set(known) - globals_ - stored - _JINJA_NAMES
    for name in sorted(unknown):
        line = next((n.lineno for n in tree.find_all(nodes.Name) if n.name == name), None)
        problems.append(Problem(display, line, None, "", f"unknown name '{name}'", _HINT))
    _visit(tree, dict(known), display, problems)
    for call in tree.find_all(nodes.Call):
        name = call.node.name if isinstance(call.node, nodes.Name) else ""
        argument = call.args[0] if call.args else None
        if (
            name == "commit"
            and keys.get(name)
            and isinstance(argument, nodes.Const)
            and argument.value not in keys[name]
        ):
            problems.append(
                Problem(
                    display,
                    call.lineno,
                    None,
                    "",
                    f"commit('{argument.value}'): no such commitment in templates/commitments.yaml",
                    f"use one of: {', '.join(sorted(keys[name]))}, or add it to the register",
                )
            )
    for node in tree.find_all(nodes.Getattr):
        root = node.node
        if (
            isinstance(root, nodes.Name)
            and root.name == "ops"
            and keys.get(root.name)
            and node.attr not in keys[root.name]
        ):
            problems.append(
                Problem(
                    display,
                    node.lineno,
                    None,
                    "",
                    f"{root.name}.{node.attr}: no such key",
                    f"use one of: {', '.join(sorted(keys[root.name]))}",
                )
            )
    return problems


# Names Jinja itself provides inside loops, macros and call blocks.
_JINJA_NAMES = frozenset({"loop", "caller", "varargs", "kwargs", "self"})


@functools.cache
def _hints(owner: Any) -> dict[str, Any]:
    """Return the type hints of a class or function, computed once (they never change)."""
    return get_type_hints(owner)


def _targets(target: nodes.Node) -> list[str]:
    if isinstance(target, nodes.Name):
        return [target.name]
    return [n.name for n in target.find_all(nodes.Name)]


def _visit(node: nodes.Node, scope: dict[str, Any], display: str, problems: list[Problem]) -> None:
    """Check attribute access under node; loops and assignments give names their types."""
    if isinstance(node, nodes.For):
        _visit(node.iter, scope, display, problems)
        inner = dict.fromkeys(_targets(node.target))
        inner = {**scope, **inner}
        if isinstance(node.target, nodes.Name):
            inner[node.target.name] = _element_type(_type_of(node.iter, scope))
        for child in [*node.body, *node.else_]:
            _visit(child, inner, display, problems)
        if node.test is not None:
            _visit(node.test, inner, display, problems)
        return
    if isinstance(node, nodes.Macro | nodes.CallBlock):
        inner = {**scope, **dict.fromkeys(a.name for a in getattr(node, "args", []))}
        for child in node.body:
            _visit(child, inner, display, problems)
        return
    if isinstance(node, nodes.Assign):
        _visit(node.node, scope, display, problems)
        value = _type_of(node.node, scope) if isinstance(node.target, nodes.Name) else None
        for name in _targets(node.target):
            scope[name] = value
        return
    if isinstance(node, nodes.AssignBlock):
        for name in _targets(node.target):
            scope[name] = None
    if isinstance(node, nodes.Getattr):
        owner = _type_of(node.node, scope)
        if owner is not None and _attribute_type(owner, node.attr) is _MISSING:
            choices = ", ".join(sorted(_attributes(owner)))
            problems.append(
                Problem(
                    display,
                    node.lineno,
                    None,
                    "",
                    f"{_describe(node.node)}.{node.attr}: {_type_name(owner)} has no attribute "
                    f"'{node.attr}'",
                    f"use one of: {choices}",
                )
            )
    for child in node.iter_child_nodes():
        _visit(child, scope, display, problems)


_MISSING = object()


def _type_of(node: nodes.Node, scope: dict[str, Any]) -> Any:
    """Return the Python type an expression has, when the context's types say it."""
    if isinstance(node, nodes.Name):
        return scope.get(node.name)
    if isinstance(node, nodes.Getattr):
        owner = _type_of(node.node, scope)
        if owner is None:
            return None
        found = _attribute_type(owner, node.attr)
        return None if found is _MISSING else found
    if isinstance(node, nodes.Call):
        called = _type_of(node.node, scope)
        if get_origin(called) is Callable or get_origin(called) is typing.Callable:
            return get_args(called)[-1]
    return None


def _options(annotation: Any) -> list[Any]:
    """Return the members of a union (X | None → [X]); a plain type is its only member."""
    if get_origin(annotation) in (Union, types.UnionType):
        return [a for a in get_args(annotation) if a is not type(None)]
    return [annotation]


def _element_type(annotation: Any) -> Any:
    for option in _options(annotation):
        if get_origin(option) in (list, set, tuple) and get_args(option):
            return get_args(option)[0]
    return None


def _attributes(annotation: Any) -> set[str]:
    found: set[str] = set()
    for option in _options(annotation):
        if dataclasses.is_dataclass(option):
            found.update(_hints(cast(Any, option)))
            found.update(n for n, v in vars(option).items() if isinstance(v, property))
    return found


def _attribute_type(annotation: Any, attribute: str) -> Any:
    """Return an attribute's type; _MISSING if no member of the union has it, None if unknown."""
    options = _options(annotation)
    if len(options) == 1 and get_origin(options[0]) is dict:
        return get_args(options[0])[1]  # ops.production: the value type
    if not options or not all(dataclasses.is_dataclass(o) for o in options):
        return None  # str, Any …: the checker does not follow these
    results = []
    for option in options:
        hints = _hints(option)
        if attribute in hints:
            results.append(hints[attribute])
            continue
        member = getattr(option, attribute, None)
        if isinstance(member, property) and member.fget is not None:
            results.append(_hints(member.fget).get("return"))
        elif callable(member):
            results.append(None)
    if not results:
        return _MISSING
    return results[0] if len(results) == 1 else None


def _describe(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Call):
        return f"{_describe(node.node)}(…)"
    return "…"


def _type_name(annotation: Any) -> str:
    return " | ".join(getattr(o, "__name__", str(o)) for o in _options(annotation))


def iter_template_names(templates: TemplateSet) -> Iterator[tuple[str, str]]:
    """Yield (folder, name) of every manual template of a language."""
    for folder in FOLDERS:
        for name in sorted(templates.names(folder)):
            yield folder, name
