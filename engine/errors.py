"""User-facing error types: everything a user can cause, and nothing else."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    file: str
    line: int | None = None
    col: int | None = None
    where: str = ""
    message: str = ""
    hint: str = ""
    severity: Severity = field(default="error", compare=False)
    code: str = field(default="", compare=False)

    def __str__(self) -> str:
        location = self.file
        if self.line is not None:
            location += f":{self.line}"
            if self.col is not None:
                location += f":{self.col}"
        parts = [location]
        if self.where:
            parts.append(self.where)
        text = self.message
        if self.hint:
            text += f" — {self.hint}"
        if self.severity == "warning":
            text = f"warning: {text}"
        parts.append(text)
        return ": ".join(parts)


class EngineError(Exception):
    """Raised for anything the user can fix: bad input, unknown names, missing tools."""


class InputError(EngineError):
    """Raised when input files have problems; carries every problem found in one run."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        noun = "problem" if len(errors) == 1 else "problems"
        lines = [f"{len(errors)} {noun} in the input; nothing was written:"]
        lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines)


class UnknownNameError(EngineError):
    """Raised when a command names a company, standard or document kind that does not exist."""

    def __init__(self, kind: str, name: str, known: Sequence[str], where: str = "") -> None:
        known_text = ", ".join(known) if known else "(none)"
        place = f" in {where}" if where else ""
        super().__init__(f"unknown {kind} '{name}'{place} — use one of: {known_text}")


class ToolMissingError(EngineError):
    """Raised when an external program the user asked for (LibreOffice) is not installed."""


class OutputError(EngineError):
    """Raised when the output folder cannot be written or is busy with another run."""


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    """Return the problems that are errors, not warnings."""
    return [p for p in problems if p.severity == "error"]


def raise_if_errors(problems: Sequence[Problem]) -> None:
    """Raise InputError carrying every problem when at least one of them is an error."""
    if errors_only(problems):
        raise InputError(problems)
