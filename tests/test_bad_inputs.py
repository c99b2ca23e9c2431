"""Bad inputs, one case file each in tests/bad_inputs/: refused with exact messages, nothing written.

Each case file says which workspace files to change and how, and the exact problem lines the
engine must print (see tests/bad_inputs/README.md). Every case runs through ``msmanual generate``
(over an output folder holding an earlier good generation, which must stay byte-for-byte the same)
and through ``msmanual validate``; both must exit 1 without a traceback.
"""

from __future__ import annotations

import difflib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO
from tests.helpers import copy_workspace, snapshot
from tests.test_cli import run

CASES_DIR = Path(__file__).resolve().parent / "bad_inputs"
CASE_KEYS = {
    "description",
    "company",
    "previous",
    "edits",
    "expected",
    "error",
    "validate",
    "xfail",
}
EDIT_KEYS = {"file", "replace", "with", "append", "content", "delete", "encoding", "big"}
# Codecs a case may save an edited file in; "utf-8-surrogates" writes lone surrogates as bytes.
ENCODINGS = {"utf-8", "utf-8-sig", "gbk", "utf-16", "utf-16-le", "utf-16-be", "utf-8-surrogates"}
LINE_OF = re.compile(r"@\{([^}#]+)(?:#(\d+))?\}")


@dataclass(frozen=True)
class Case:
    """One bad input: the edits to a copied workspace and what the engine must print."""

    name: str
    description: str
    company: str
    previous: str
    edits: list[dict[str, Any]]
    expected: list[str]
    error: str | None
    validate: list[str] | None
    xfail: str | None


def load_case(path: Path) -> Case:
    """Read one case file, refusing keys this harness does not know."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(spec, dict), f"{path.name}: a case is a mapping"
    unknown = set(spec) - CASE_KEYS
    assert not unknown, f"{path.name}: unknown case keys {sorted(unknown)}"
    edits = spec.get("edits", [])
    for edit in edits:
        extra = set(edit) - EDIT_KEYS
        assert not extra, f"{path.name}: unknown edit keys {sorted(extra)}"
    assert ("expected" in spec) != ("error" in spec), f"{path.name}: give expected or error"
    company = str(spec.get("company", "minimal"))
    return Case(
        name=path.stem,
        description=spec["description"],
        company=company,
        previous=str(spec.get("previous", company)),
        edits=edits,
        expected=list(spec.get("expected", [])),
        error=spec.get("error"),
        validate=spec.get("validate"),
        xfail=spec.get("xfail"),
    )


CASES = [load_case(path) for path in sorted(CASES_DIR.glob("*.yaml"))]


def apply_edit(root: Path, edit: dict[str, Any]) -> None:
    """Change one file of the workspace copy as the edit says."""
    path = root / edit["file"]
    if edit.get("delete"):
        path.unlink()
        return
    big = edit.get("big")

    def expand(text: str) -> str:
        if big is None:
            return text
        return text.replace(big["token"], big["unit"] * big["times"])

    if "content" in edit:
        text = expand(edit["content"])
    else:
        text = path.read_text(encoding="utf-8")
        if "replace" in edit:
            old = edit["replace"]
            assert text.count(old) == 1, f"{edit['file']}: {old!r} must occur exactly once"
            text = text.replace(old, expand(edit["with"]))
        if "append" in edit:
            text += expand(edit["append"])
    encoding = edit.get("encoding", "utf-8")
    assert encoding in ENCODINGS, f"unknown encoding {encoding}"
    if encoding == "utf-8-surrogates":
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    else:
        path.write_bytes(text.encode(encoding))


def resolve_lines(root: Path, lines: list[str]) -> list[str]:
    """Replace each @{marker} with the line number of the one line holding marker in that file."""
    resolved = []
    for line in lines:
        file = line.split(":", 1)[0]

        def line_of(match: re.Match[str], file: str = file) -> str:
            marker, occurrence = match.group(1), match.group(2)
            text = (root / file).read_bytes().decode("utf-8", errors="replace")
            rows = text.removesuffix("\n").split("\n")  # not splitlines(): \x0b is no line end
            if marker == "$":
                return str(len(rows))
            found = [n for n, row in enumerate(rows, 1) if marker in row]
            if occurrence:
                return str(found[int(occurrence) - 1])
            assert len(found) == 1, f"{file}: marker {marker!r} is on lines {found}"
            return str(found[0])

        resolved.append(LINE_OF.sub(line_of, line))
    return resolved


def state(folder: Path) -> tuple[dict[str, bytes], dict[str, int]]:
    """Return every file's bytes and modification time under folder."""
    times = {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*"))}
    return snapshot(folder), times


@pytest.fixture(scope="module")
def previous_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Generate each company the cases start from once: {company: output folder}."""
    result = {}
    for company in sorted({case.previous for case in CASES}):
        out = tmp_path_factory.mktemp(f"previous-{company}")
        code, _, err = run("generate", "--root", str(REPO), "--company", company, "--out", str(out))
        assert code == 0, err
        result[company] = out
    return result


class MessageMismatch(AssertionError):
    """The engine refused the input correctly, but did not print exactly the expected lines."""


def expect_lines(command: str, actual: list[str], expected: list[str]) -> None:
    """Raise MessageMismatch with a diff unless actual equals expected."""
    if actual != expected:
        diff = difflib.unified_diff(expected, actual, "expected", command, lineterm="")
        raise MessageMismatch("\n".join(diff))


def refuse(root: Path, case: Case, *command: str) -> list[str]:
    """Run a command that must refuse the input; return its stderr lines."""
    code, stdout, stderr = run(*command, "--root", str(root), "--company", case.company)
    assert "Traceback" not in stderr
    assert code == 1, stderr
    assert stdout == ""
    return stderr.splitlines()


def generate_lines(case: Case, root: Path) -> list[str]:
    """Return what generate must print: a summary line, then each problem indented."""
    if case.error is not None:
        return [f"error: {case.error}"]
    expected = resolve_lines(root, case.expected)
    errors = [line for line in expected if ": warning: " not in line]
    noun = "problem" if len(errors) == 1 else "problems"
    header = f"error: {len(errors)} {noun} in the input; nothing was written:"
    return [header, *(f"  {line}" for line in expected)]


def validate_lines(case: Case, root: Path, actual: list[str]) -> tuple[list[str], list[str]]:
    """Return validate's problem lines and the expected ones, both sorted, with the count line.

    validate prints the shared files (templates/, clause_maps/) before the profile, and each
    file's problems in order; generate sorts them all. The lines themselves must be the same.
    """
    if case.error is not None:
        return actual, [f"error: {case.error}"]
    expected = resolve_lines(root, case.validate if case.validate is not None else case.expected)
    # The commitments register's reminders (unconfirmed defaults) are not what these cases test.
    reminders = [line for line in actual[:-1] if ": warning: commitment '" in line]
    actual = [line for line in actual if line not in reminders]
    if reminders:
        errors, _, _ = actual[-1].partition(", ")
        left = int(actual[-1].rsplit(", ", 1)[1].split()[0]) - len(reminders)
        actual[-1] = f"{errors}, {left} warning(s)"
    warnings = sum(": warning: " in line for line in expected)
    count = f"{len(expected) - warnings} error(s), {warnings} warning(s)"
    return [*sorted(actual[:-1]), *actual[-1:]], [*sorted(expected), count]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(reason=case.xfail, strict=True, raises=MessageMismatch)]
            if case.xfail
            else [],
        )
        for case in CASES
    ],
)
def test_bad_input(
    case: Case, tmp_path: Path, previous_output: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_workspace(tmp_path / "ws")
    # The copy stands in for the bundled data: a deleted template is missing, not layered.
    monkeypatch.setenv("MSMANUAL_DATA", str(root))
    for edit in case.edits:
        apply_edit(root, edit)
    out = tmp_path / "out"
    shutil.copytree(previous_output[case.previous], out)
    before = state(out)
    assert before[0], "the earlier good generation is missing"

    generated = refuse(root, case, "generate", "--out", str(out))
    assert state(out) == before
    validated = refuse(root, case, "validate")
    assert state(out) == before

    # Only the exact wording may be an expected failure (xfail raises=MessageMismatch).
    expect_lines("generate", generated, generate_lines(case, root))
    expect_lines("validate", *validate_lines(case, root, validated))


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 45
    several = [case for case in CASES if len(case.expected) >= 2]
    assert len(several) >= 5, "some cases must prove several problems are reported in one run"


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark (as Windows Notepad saves) is dropped, and the set is generated."""
    root = copy_workspace(tmp_path / "ws")
    profile = root / "company_profiles" / "minimal.yaml"
    profile.write_bytes(b"\xef\xbb\xbf" + profile.read_bytes())
    code, stdout, stderr = run(
        "generate", "--root", str(root), "--company", "minimal", "--out", str(tmp_path / "o")
    )
    assert code == 0, stderr
    assert Path(stdout.split()[0]).name == "manual.docx"
