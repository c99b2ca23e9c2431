"""The bounded Jinja sandbox every template runs in, and the per-user cache of compiled code."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import re
import time
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from types import CodeType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from engine import __version__, limits
from engine.usercache import cache_folder

# Bumped when the code templates compile to changes (the loop budget): old cached code is unused.
SANDBOX_GENERATION = 2


@functools.cache
def compiled_cache() -> jinja2.BytecodeCache | None:
    """Return a per-user cache of compiled templates (checked against each template's source).

    Compiling ~160 section templates and the reference's XML parts was most of a run's time;
    the cache makes later runs skip it.
    The folder is private to the user and named after the engine and Jinja versions.
    """
    folder = cache_folder(f"jinja-{__version__}-{jinja2.__version__}-{SANDBOX_GENERATION}")
    return jinja2.FileSystemBytecodeCache(str(folder)) if folder is not None else None


def compile_string(environment: jinja2.Environment, source: str, kind: str) -> CodeType:
    """Return the compiled code of a template given as text, from the cache when it is there."""
    cache = compiled_cache()
    if cache is None:
        return environment.compile(source)
    # Named by content: the reference's parts differ per document kind and per workspace.
    name = f"{kind}:{hashlib.sha256(source.encode()).hexdigest()}"
    bucket = cache.get_bucket(environment, name, None, source)
    if bucket.code is None:
        bucket.code = environment.compile(source, name)
        cache.set_bucket(bucket)
    return bucket.code


class TemplateLimitError(jinja2.TemplateRuntimeError):
    """Raised when a template needs more time, steps or memory than limits.py allows."""


@dataclass
class _Budget:
    deadline: float
    steps: int = 0


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("budget", default=None)
# A width or precision in a format (%999999s, {:>999999}) that would build a huge text.
_BIG_WIDTH = re.compile(
    r"[%:][-+ #0<>^=.,_]*\d{" + str(len(str(limits.MAX_TEMPLATE_NUMBER))) + ",}"
)
# Filters whose numeric arguments size what they build.
_SIZING_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice", "round"})


@contextlib.contextmanager
def bounded() -> Iterator[None]:
    """Bound the templates rendered inside: time, steps (limits.py); nesting keeps the outer one."""
    if _budget.get() is not None:
        yield
        return
    token = _budget.set(_Budget(time.monotonic() + limits.MAX_TEMPLATE_SECONDS))
    try:
        yield
    finally:
        _budget.reset(token)


def _step(count: int = 1) -> None:
    budget = _budget.get()
    if budget is None:
        return
    budget.steps += count
    if budget.steps > limits.MAX_TEMPLATE_OPERATIONS:
        raise TemplateLimitError(
            f"the template took more than {limits.MAX_TEMPLATE_OPERATIONS:,} steps; check its loops"
        )
    if budget.steps % 512 < count and time.monotonic() > budget.deadline:
        raise TemplateLimitError(
            f"the template took more than {limits.MAX_TEMPLATE_SECONDS:g} s; check its loops"
        )


def _budgeted(items: Iterable[Any]) -> Iterator[Any]:
    """Yield a loop's items, counting each one against the budget."""
    for item in items:
        _step()
        yield item


def _check_number(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > limits.MAX_TEMPLATE_NUMBER:
            raise TemplateLimitError(
                f"{value} is larger than templates may use ({limits.MAX_TEMPLATE_NUMBER:,})"
            )
    elif isinstance(value, str) and "%" in value and _BIG_WIDTH.search(value):
        raise TemplateLimitError("a format width larger than templates may use")


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter so that it counts as a step and its widths and counts stay within limits."""
    sizing = name in _SIZING_FILTERS

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _step()
        if sizing:
            for value in (*args, *kwargs.values()):
                _check_number(value)
        elif name == "format":
            for value in args:
                if isinstance(value, str):
                    _check_number(value)
        return function(*args, **kwargs)

    return wrapper


def _bounded_range(*args: int) -> Iterator[int]:
    for value in args:
        _check_number(value)
    return _budgeted(range(*args))


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with every loop, call, attribute and operator within limits.

    Private and dunder names are refused however they are reached (``x.__class__``,
    ``x['_y']``, ``|attr``, ``attribute=`` of join, map, sort, groupby, selectattr …): every
    such route ends in getattr/getitem below, which refuse them.
    """

    intercepted_binops = frozenset({"*", "**", "+", "//", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals.pop("lipsum", None)
        self.globals["range"] = _bounded_range
        self.globals["_budgeted"] = _budgeted
        self.filters = _BoundedFilters(self.filters)
        self._texts: dict[str, CodeType] = {}

    def from_string(
        self,
        source: str | nodes.Template,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[jinja2.Template] | None = None,
    ) -> jinja2.Template:
        """Return a template given as text, compiled once per process and cached on disk.

        Procedure texts and the reference documents' XML parts are templates given as text;
        compiling them on every run was a tenth of generating a manual.
        """
        if not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        code = self._texts.get(source)
        if code is None:
            code = self._texts[source] = compile_string(self, source, self._text_kind())
        cls = template_class or self.template_class
        return cls.from_code(self, code, self.make_globals(globals))

    def _text_kind(self) -> str:
        """Return a name for how this environment compiles: its syntax and escaping options."""
        options = (
            self.block_start_string, self.block_end_string, self.variable_start_string,
            self.variable_end_string, self.comment_start_string, self.comment_end_string,
            self.line_statement_prefix, self.line_comment_prefix, self.trim_blocks,
            self.lstrip_blocks, self.newline_sequence, self.keep_trailing_newline,
            self.autoescape if isinstance(self.autoescape, bool) else "callable",
            self.finalize is not None,
        )  # fmt: skip
        return "text-" + hashlib.sha256(repr(options).encode()).hexdigest()[:16]

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        # Every loop counts its turns; done when compiling, so parse() still shows the template.
        for loop in source.find_all(nodes.For):
            counted = isinstance(loop.iter, nodes.Call) and isinstance(loop.iter.node, nodes.Name)
            if not (counted and loop.iter.node.name == "_budgeted"):  # type: ignore[attr-defined]
                loop.iter = nodes.Call(
                    nodes.Name("_budgeted", "load"), [loop.iter], [], None, None, lineno=loop.lineno
                )
        return super()._generate(source, name, filename, defer_init)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Refuse every name with an underscore in front, on any object."""
        return not attr.startswith("_") and super().is_safe_attribute(obj, attr, value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Read an attribute, counting the step."""
        _step()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Read an item, counting the step."""
        _step()
        return super().getitem(obj, argument)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call a function, counting the step."""
        _step()
        return super().call(context, obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Compute an operator, refusing results too large to hold (repetition, powers)."""
        _step()
        if operator == "**":
            _check_number(right)
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and abs(left) > 1
                and left.bit_length() * right > limits.MAX_TEMPLATE_NUMBER
            ):
                raise TemplateLimitError("a power too large for a template")
        if operator == "*":
            sized = [v for v in (left, right) if isinstance(v, str | list | tuple)]
            counts = [v for v in (left, right) if isinstance(v, int)]
            if sized and counts and len(sized[0]) * counts[0] > limits.MAX_TEMPLATE_OUTPUT_CHARS:
                raise TemplateLimitError("a repetition too long for a template")
        if operator == "%" and isinstance(left, str):
            _check_number(left)
        if (
            operator == "+"
            and isinstance(left, str | list)
            and isinstance(right, str | list)
            and len(left) + len(right) > limits.MAX_TEMPLATE_OUTPUT_CHARS
        ):
            raise TemplateLimitError("a text too long for a template")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Sandbox str.format as Jinja does, refusing huge widths first."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        if _BIG_WIDTH.search(value.__self__):
            raise TemplateLimitError("a format width larger than templates may use")
        return wrapped


class _BoundedFilters(dict[str, Any]):
    """Filters, each wrapped so its arguments stay within limits, also those added later."""

    def __init__(self, filters: dict[str, Any]) -> None:
        super().__init__()
        for key, value in filters.items():
            self[key] = value

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, _bounded_filter(key, value))
