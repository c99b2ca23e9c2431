"""Audit: which clauses an existing manual covers, misses or has from old editions, and why."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.commands.session import load_library
from engine.domain.heading_audit import AuditResult, audit_lines
from engine.domain.validation import COVERAGE_CODES
from engine.errors import raise_if_errors
from engine.inputs.labels import Labels
from engine.inputs.manualreader import read_manual
from engine.inputs.models import Language
from engine.inputs.workspace import Workspace


@dataclass
class AuditOutcome:
    """An audit's result with what its reports print (labels, the standard's code)."""

    result: AuditResult
    labels: Labels
    standard_code: str


def audit(workspace: Workspace, manual: Path, standard: str, lang: Language = "zh") -> AuditOutcome:
    """Return what an existing manual (.docx, .doc, .odt, .pdf, .md) covers of a standard."""
    workspace.clause_map_path(standard)  # unknown standard: list the known ones
    text = read_manual(manual, str(manual))
    # Every map is read once: the standard, and the older editions it supersedes.
    library = load_library(workspace, langs=[])
    raise_if_errors([p for p in library.problems if p.code not in COVERAGE_CODES])
    assert library.labels is not None
    olds = [s for s, m in library.maps.items() if m.standard.superseded_by == standard]
    result = audit_lines(
        text.lines,
        library.trees[standard],
        [library.trees[o] for o in olds],
        library.correspondences,
        lang,
        text.tables,
    )
    return AuditOutcome(result, library.labels, library.maps[standard].standard.code)
