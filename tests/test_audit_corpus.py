"""audit accuracy on a corpus of manuals in every style: no false covers, recall ≥ 0.95."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.commands.audit import AuditOutcome, audit
from engine.inputs.workspace import Workspace
from tests.conftest import REPO
from tests.data.audit_corpus.build import (
    SPECS,
    Member,
    build,
    convert,
    pdf_members,
    strip_sections,
)

STYLES = [spec.style for spec in SPECS] + ["own chapters + 条款对照表"]
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Member]:
    """Write the corpus members that need no LibreOffice, once per run."""
    return {m.style: m for m in build(tmp_path_factory.mktemp("audit-corpus"))}


@pytest.fixture(scope="session")
def converted(
    corpus: dict[str, Member], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Member]:
    """Convert the LibreOffice members once per run: the PDFs, and .doc and .odt of typed numbers."""
    out = tmp_path_factory.mktemp("audit-corpus-converted")
    typed = corpus["typed numbers"]
    members = {m.name: m for m in pdf_members(out, list(corpus.values()))}
    for kind, target in (("doc", "doc:MS Word 97"), ("odt", "odt")):
        path = convert(typed.path, target, out)
        members[kind] = Member(kind, kind, typed.standard, path, typed.truth, typed.removed)
    return members


def run(member: Member) -> AuditOutcome:
    return audit(Workspace.open(REPO), member.path, member.standard)


def check(member: Member, min_recall: float = 0.95) -> None:
    reported = set(run(member).result.covered_numbers())
    false = reported - member.truth
    assert not false, f"{member.name}: reported covered but not in the manual: {sorted(false)}"
    assert not reported & member.removed
    recall = len(reported & member.truth) / len(member.truth)
    assert recall >= min_recall, f"{member.name}: recall {recall:.3f}"


@pytest.mark.parametrize("style", STYLES)
def test_accuracy_per_style(corpus: dict[str, Member], style: str) -> None:
    check(corpus[style])


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("kind", ["pdf", "pdf-automatic", "pdf-text", "doc", "odt"])
def test_accuracy_of_converted_formats(converted: dict[str, Member], kind: str) -> None:
    check(converted[kind])


def test_removed_sections_of_the_issue_are_never_covered(corpus: dict[str, Member]) -> None:
    outcome = run(corpus["typed numbers"])
    result = outcome.result
    assert "4.3" not in result.covered_numbers()
    assert "7.5.1" not in result.covered_numbers()
    assert result.numbering == "standard"
    # The generic front matter was weighed and refused, and the reasons say so.
    notes = " ".join(result.notes["4.3"] + result.notes["7.5.1"])
    assert "1 范围" in notes
    assert "1.1 总则" in notes
    kinds = {hit.number: (hit.kind, hit.confidence) for hit in result.covered}
    assert kinds["4.1"] == ("number", 0.9)  # a paraphrased title: agrees, less sure
    assert kinds["8.6.2"][0] == "topic"  # typed 8.6.4: a slip among its siblings
    assert kinds["8.6.2"][1] <= 0.7


def test_correspondence_table_is_primary_and_checked(corpus: dict[str, Member]) -> None:
    result = run(corpus["own chapters + 条款对照表"]).result
    assert result.numbering == "own"
    hits = {hit.number: hit for hit in result.covered}
    # A paraphrased heading found only through the table.
    assert hits["5.1.1.1"].kind == "table"
    assert hits["5.1.1.1"].evidence == "4.1.1 机构设立"
    problems = "\n".join(result.table_problems)
    assert "5.1.6.2 to 4.6.2, which is no heading of the manual" in problems
    assert "5.2.6 to «5.3 配送», whose title names 5.2.3" in problems
    assert {"5.1.6.2", "5.2.6", "5.1.7.3"} <= {n for n, _ in result.missing}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sections_removed_from_our_own_manual_are_never_covered(
    generated: dict[tuple[str, str], dict[str, Path]], tmp_path: Path, lang: str
) -> None:
    # A real manual: contents, 颁布令, policy chapter, matrix and lists, cross-references.
    removed = ["4.3", "5.2.1", "7.1.5.1", "7.5.1", "8.2.4", "9.1.2", "10.3"]
    manual = tmp_path / "manual.docx"
    strip_sections(generated[("demo", lang)]["manual"], manual, removed)
    member = Member("demo", "ours", "iso9001_2015", manual, frozenset(), frozenset(removed))
    result = run(member).result
    assert not set(result.covered_numbers()) & set(removed)
    excluded = {"8.3.1", "8.3.2", "8.3.3", "8.3.4", "8.3.5", "8.3.6"}  # demo excludes 8.3
    absent = {n for n, _ in result.missing} | {hit.number for hit in result.mentioned}
    assert absent == set(removed) | excluded
