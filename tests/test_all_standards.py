"""Every standard and every bundled company: full clause coverage, valid documents that render."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from engine.commands.generate import build_documents, generate
from engine.commands.session import prepare, select_standards
from engine.documents.model import Heading, Paragraph
from engine.inputs.loader import load_model
from engine.inputs.models import ClauseMap, CompanyProfile
from engine.inputs.workspace import Workspace
from tests.conftest import REPO
from tests.external import pdf_text, schema_errors, to_pdf

MAPS = sorted(p.stem for p in (REPO / "clause_maps").glob("*.yaml"))
LANGS = ("zh", "en")


def load(path: Path, kind: type) -> object:
    loaded, problems = load_model(path, path.name, kind)
    assert loaded is not None, problems
    return loaded


def company_standards(company: str) -> list[str]:
    profile = load(REPO / "company_profiles" / f"{company}.yaml", CompanyProfile)
    assert isinstance(profile, CompanyProfile)
    return list(profile.standards)


def document_sets() -> list[tuple[str, str | None]]:
    """Return (company, standard) for every bundled set: integrated, and each standard alone."""
    sets: list[tuple[str, str | None]] = []
    for company in sorted(p.stem for p in (REPO / "company_profiles").glob("*.yaml")):
        standards = company_standards(company)
        if len(standards) > 1:
            sets.append((company, None))
        sets += [(company, s) for s in standards]
    return sets


@pytest.mark.parametrize("standard", MAPS)
def test_every_clause_is_addressed_by_a_section_in_both_languages(standard: str) -> None:
    cmap = load(REPO / "clause_maps" / f"{standard}.yaml", ClauseMap)
    assert isinstance(cmap, ClauseMap)
    for clause in cmap.clauses:
        assert clause.sections, f"{standard} {clause.number} names no section"
        for section in clause.sections:
            for lang in LANGS:
                template = REPO / "templates" / "md" / lang / "sections" / f"{section}.md"
                assert template.is_file(), f"{standard} {clause.number}: {template} is missing"


def test_every_map_has_both_titles_for_every_titled_clause() -> None:
    for standard in MAPS:
        cmap = load(REPO / "clause_maps" / f"{standard}.yaml", ClauseMap)
        assert isinstance(cmap, ClauseMap)
        for clause in cmap.clauses:
            if clause.title is not None:
                assert clause.title.zh, f"{standard} {clause.number}"
                assert clause.title.en, f"{standard} {clause.number}"


def test_the_bundled_companies_cover_every_standard() -> None:
    covered = {s for company, s in document_sets() if s is not None}
    assert covered >= {"iso9001_2015", "iso20000_1_2018", "gbt27922_2011"}
    assert any(s is None for _, s in document_sets())  # and at least one integrated set


# demo and minimal (ISO 9001 alone) are checked the same way in test_external.py.
def representatives(written: list[Path], whole: bool) -> list[Path]:
    """Return the documents to validate and render: every kind once, or the manual and matrix.

    Procedures and forms come from one writer each, so the first of each stands for the rest
    (test_procedure_library and test_service_procedures read every one of them as text).
    """
    top = [p for p in written if p.parent.name not in ("procedures", "forms")]
    if not whole:
        top = [p for p in top if p.name.split(".")[0] in ("manual", "matrix")]
    firsts = [
        next(p for p in written if p.parent.name == folder)
        for folder in ("procedures", "forms")
        if any(p.parent.name == folder for p in written)
    ]
    return top + firsts


@pytest.mark.parametrize("company", ["furniture", "itservice", "appliance"])
def test_every_set_is_valid_and_renders(company: str, tmp_path: Path) -> None:
    """Each set of the company: the integrated one wholly, each standard alone by its manual."""
    workspace = Workspace.open(REPO)
    manuals: dict[Path, tuple[str | None, str]] = {}
    documents: list[Path] = []
    for _, standard in (s for s in document_sets() if s[0] == company):
        for lang in LANGS:
            out = tmp_path / "out" / (standard or "integrated")
            whole = standard is None and lang == "zh"
            kinds = None if whole else ["manual", "matrix"]
            written, _ = generate(
                workspace,
                company,
                out,
                standard=standard,
                lang=lang,  # type: ignore[arg-type]
                kinds=kinds,
            )
            stems = {p.name.split(".")[0] for p in written}
            assert {"manual", "matrix"} <= stems
            assert len(set(written)) == len(written)  # one file per document
            chosen = representatives(written, whole=whole)
            with ThreadPoolExecutor(max_workers=2) as pool:
                errors = dict(zip(chosen, pool.map(schema_errors, chosen), strict=True))
            assert {p: e for p, e in errors.items() if e} == {}
            documents += chosen
            manuals[next(p for p in written if p.stem.startswith("manual"))] = (standard, lang)
    # Each PDF is named after its document; sets differ by folder, so convert folder by folder.
    for folder in sorted({p.parent for p in documents}):
        batch = [p for p in documents if p.parent == folder]
        pdfs = to_pdf(batch, folder / "pdf")
        for document, pdf in zip(batch, pdfs, strict=True):
            text = pdf_text(pdf)
            assert text.strip(), pdf
            if document in manuals:
                standard, lang = manuals[document]
                footer = r"第\s*3\s*页\s*共\s*\d+\s*页" if lang == "zh" else r"Page\s*3\s*of\s*\d+"
                assert re.search(footer, text), document
                first_chapter = "5.1" if standard == "gbt27922_2011" else "4"
                assert re.search(rf"\n\s*{re.escape(first_chapter)}\s", text), document


# The same pointer twice in one phrase: "事件管理（见8.5.5）和服务请求管理（见8.5.5）".
TWICE = {
    "zh": re.compile(r"（见([0-9.]+)）[^（）。；]{0,16}（见\1）"),
    "en": re.compile(r"\(see ([0-9.]+)\)[^().;]{0,60}\(see \1\)"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_no_manual_text_points_at_the_heading_it_stands_under(lang: str) -> None:
    """A "（见5.1）" under 5.1 sends the reader nowhere, and one pointer twice in a phrase stutters."""
    workspace = Workspace.open(REPO)
    found: list[str] = []
    for company, standard in document_sets():
        inputs, library, _ = prepare(workspace, company, standard, lang)  # type: ignore[arg-type]
        standards = select_standards(inputs, standard)
        built, problems = build_documents(workspace, library, inputs, standards, lang, ["manual"])  # type: ignore[arg-type]
        assert not problems
        current = ""
        for block in built.documents["manual"].blocks:
            if isinstance(block, Heading) and block.number:
                current = block.number
            elif isinstance(block, Paragraph) and current:
                pointer = f"（见{current}）" if lang == "zh" else f"(see {current})"
                if pointer in block.text or TWICE[lang].search(block.text):
                    found.append(
                        f"{company}/{standard or 'integrated'} {current}: {block.text[:60]}"
                    )
    assert found == []
