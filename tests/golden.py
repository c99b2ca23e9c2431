"""The text form of every document of every bundled profile, for the golden tests.

Run ``scripts/update-golden`` (or ``pytest tests/test_golden.py --update-golden``) to rewrite
``tests/golden/`` after a deliberate change to generated text; review the diff like code.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from engine.commands.assess import assess
from engine.commands.generate import build_documents
from engine.commands.session import prepare
from engine.documents.registry import default_registry
from engine.documents.self_assessment import build_assessment_report
from engine.errors import errors_only
from engine.inputs.models import LANGUAGES, Language
from engine.inputs.workspace import Workspace
from engine.render.markdown import to_markdown

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"


def bundled_companies() -> list[str]:
    """Return the ids of the bundled company profiles."""
    return Workspace.open(REPO).companies()


def golden_texts(company: str, lang: Language) -> Iterator[tuple[str, str]]:
    """Yield (file name, Markdown text) for every document of a company's set in a language."""
    workspace = Workspace.open(REPO)
    inputs, library, standards = prepare(workspace, company, None, lang)
    kinds = [kind.id for kind in default_registry() if kind.available(inputs.profile)]
    built, problems = build_documents(workspace, library, inputs, standards, lang, kinds)
    assert not errors_only(problems), problems
    for stem, document in built.documents.items():
        yield f"{stem}.{lang}.md", to_markdown(document)
    folder = workspace.profiles_dir / company / "assessments"
    for assessment in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        outcome = assess(workspace, company, assessment, lang)
        report = build_assessment_report(
            outcome.views, outcome.standard, outcome.assessment, outcome.result
        )
        yield f"self-assessment-{assessment.stem}.{lang}.md", to_markdown(report)


def golden_cases() -> list[tuple[str, Language]]:
    """Return every (company, language) pair the golden files cover."""
    return [(company, lang) for company in bundled_companies() for lang in LANGUAGES]
