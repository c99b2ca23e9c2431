"""Golden text outputs: every document of every bundled profile, compared as Markdown text."""

from __future__ import annotations

import difflib

import pytest

from engine.inputs.models import Language
from tests.golden import GOLDEN, golden_cases, golden_texts

MAX_DIFF_LINES = 200


@pytest.mark.parametrize(("company", "lang"), golden_cases())
def test_documents_match_golden_text(
    company: str, lang: Language, request: pytest.FixtureRequest
) -> None:
    folder = GOLDEN / company
    produced = dict(golden_texts(company, lang))
    if request.config.getoption("--update-golden"):
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.rglob(f"*.{lang}.md"):
            if stale.relative_to(folder).as_posix() not in produced:
                stale.unlink()
        for name, text in produced.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        return
    expected = {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in folder.rglob(f"*.{lang}.md")
    }
    assert sorted(produced) == sorted(expected), (
        "documents differ from tests/golden/ — run scripts/update-golden if intended"
    )
    failures = []
    for name, text in produced.items():
        if text != expected[name]:
            diff = difflib.unified_diff(
                expected[name].splitlines(),
                text.splitlines(),
                f"tests/golden/{company}/{name}",
                "generated",
                lineterm="",
            )
            lines = list(diff)
            shown = lines[:MAX_DIFF_LINES]
            if len(lines) > MAX_DIFF_LINES:
                shown.append(f"... {len(lines) - MAX_DIFF_LINES} more diff lines")
            failures.append("\n".join(shown))
    assert not failures, (
        "generated text differs from tests/golden/ (run scripts/update-golden if intended):\n"
        + "\n\n".join(failures)
    )
