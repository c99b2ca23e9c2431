"""Property tests: random valid profiles print every text literally; damaged ones fail cleanly.

Valid profiles are built as Python data (minimal.yaml with random texts, a random organisation,
or the integrated appliance.yaml with every text random), dumped with every string quoted, and
generated through the library. The documents must pass the Open XML SDK validator, print each
random text exactly (python-docx: body, tables, text boxes, headers, footers), and show no
Markdown syntax once the profile's texts are taken out. Damaged profiles are bundled ones with
random line edits, run through the command line: documents or a clean error, never a traceback.
Two fast properties check the Markdown layer alone: escaped values, in bold or not, print as
they are.
"""

from __future__ import annotations

import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st

from engine import limits
from engine.commands.generate import generate
from engine.documents.model import Paragraph as ParagraphBlock
from engine.documents.prose import md_escape, render_markdown
from engine.documents.registry import default_registry
from engine.inputs.models import CompanyProfile, profile_texts
from engine.inputs.workspace import Workspace
from tests.conftest import REPO
from tests.external import schema_errors
from tests.helpers import copy_workspace
from tests.test_cli import run

# Reproducible in CI (derandomize, no example database) and small: every example generates a
# set and runs the validator (about a second per document), so the module stays under 40 s.
SETTINGS = settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    database=None,
    # Whole profiles are large by nature; newer hypothesis versions add checks for that
    # (large_base_example), so suppress every health check rather than a version's list.
    suppress_health_check=list(HealthCheck),
    # Shrinking a failing whole-set example runs hundreds of generations (minutes): a failure
    # is reported as drawn, with its profile printed, which is enough to reproduce it.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
# A failing whole profile prints large; hypothesis warns about that, which must not hide it.
LARGE_REPR = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
# The Markdown-only properties cost milliseconds an example: many examples, and shrinking.
FAST = settings(SETTINGS, phases=tuple(Phase))

STANDARD = "iso9001_2015"
_MAP = yaml.safe_load((REPO / "clause_maps" / f"{STANDARD}.yaml").read_text(encoding="utf-8"))
CLAUSES: list[str] = [c["number"] for c in _MAP["clauses"]]
TOP_CLAUSES = [n for n in CLAUSES if "." not in n]
EXCLUDABLE = [c["number"] for c in _MAP["clauses"] if c.get("excludable")]
SYSTEM_CODE = _MAP["standard"]["doc_code"]
KINDS = ("manual", "procedures", "revisions", "matrix")
DataPath = tuple[str | int, ...]

# ------------------------------------------------------------------------------------ texts

# Pieces that mean something to XML, Markdown, Jinja, str.format or YAML, and characters that
# stress fonts and encoders (astral planes, ZWJ sequences, combining marks, right-to-left,
# tabs and Unicode line separators, which Markdown keeps inside a line).
SPECIAL = [
    "&", "<", ">", '"', "'", "&amp;", "&lt;b&gt;", "<b>", "</w:t>", "<!--", "]]>",
    "*", "**", "_", "__", "#", "# ", "|", "||", "`", "```", "~", "~~", "\\", "\\*", "\\\\",
    "[x](y)", "![i](u)", "<http://a.example>", "http://a.example/_x_", "[^1]", "[x]: y",
    "1. ", "1) ", "- ", "+ ", "> ", "---", "===", ":::", "::: note", "- [ ] ", "$x$", "^", "=",
    "{{ x }}", "{% if %}", "{%", "%}", "{#", "#}", "{{", "}}", "{abbr}", "{0}", "%s", "%(x)s",
    "😀", "👨‍👩‍👧", "𝄞", "🀄", "🇨🇳", "\u200d", "\u200b", "é", "e\u0301", "ß", "Ω",
    "，", "。", "、", "“", "”", "‘", "’", "《", "》", "（", "）", "：", "；", "！", "？", "【", "】",
    "\u3000", "\u00a0", "\t", "\u2028", "\x85", "·", "—", "…", "℃", "±", "≥", "㎡", "①",
    "中文", "质量", "部", "𠀀", "𪚥", "한국", "にほん", "عربي", "עברית",
    "yes", "no", "on", "null", "~", "4.10", "0x1F", "1e3", "-", "?", ": ", " #", "@", "%", "!",
]  # fmt: skip
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ALPHABET = st.characters(
    exclude_categories=("Cc", "Cs", "Zl", "Zp"),
    exclude_characters="\ufffe\uffff\ufeff",
)


def _clean(value: str) -> str:
    """Return value as a valid one-line profile text: no line breaks, no outer whitespace."""
    return " ".join(_XML_INVALID.sub("", value).split("\n")).strip()


def texts(max_pieces: int = 8) -> st.SearchStrategy[str]:
    """Return a strategy for a one-line text mixing special pieces and random characters."""
    piece = st.one_of(st.sampled_from(SPECIAL), st.text(_ALPHABET, min_size=1, max_size=6))
    return (
        st.lists(piece, min_size=1, max_size=max_pieces)
        .map(lambda parts: _clean("".join(parts)))
        .filter(bool)
    )


def long_texts(limit: int) -> st.SearchStrategy[str]:
    """Return a strategy for texts up to limit characters long (the schema's maxima)."""
    return st.tuples(st.lists(texts(), min_size=1, max_size=5), st.integers(30, 400)).map(
        lambda pair: _clean(" ".join(pair[0] * pair[1])[:limit])
    )


def some_text(limit: int = limits.MAX_PARAGRAPH_CHARS) -> st.SearchStrategy[str]:
    """Return a text, now and then a very long one."""
    return st.one_of(texts(), texts(), texts(), long_texts(limit))


@dataclass
class Texts:
    """A profile as data, and the texts its documents must print literally."""

    data: dict[str, Any]
    lang: str
    kinds: list[str] | None = None
    expected: dict[str, set[str]] = field(
        default_factory=lambda: {k: set() for k in (*KINDS, "any")}
    )
    inserted: set[str] = field(default_factory=set)

    def expect(self, text: str, *kinds: str) -> str:
        """Record that text must appear in the given documents (or in "any"); return it."""
        self.inserted.add(text)
        for kind in kinds:
            self.expected[kind].add(text)
        return text


def printed(value: Any, lang: str) -> str:
    """Return how a profile Text prints in lang: its own language, else the other one."""
    if isinstance(value, str):
        return value
    other = "en" if lang == "zh" else "zh"
    return str(value.get(lang) or value[other])


def bilingual(
    draw: st.DrawFn,
    profile: Texts,
    *kinds: str,
    long: bool = False,
    limit: int = limits.MAX_PARAGRAPH_CHARS,
    pool: list[str] | None = None,
) -> Any:
    """Draw a Text (one string, zh+en, or one language only) and expect its printed form.

    With a pool, the texts come from it: cheap to draw for hundreds of entries.
    """
    strategy = st.sampled_from(pool) if pool else some_text(limit) if long else texts()
    shape = draw(st.sampled_from(["plain", "both", "zh", "en"]))
    if shape == "plain":
        return profile.expect(draw(strategy), *kinds)
    zh, en = draw(strategy), draw(strategy)
    profile.inserted.update((zh, en))
    data = {"both": {"zh": zh, "en": en}, "zh": {"zh": zh}, "en": {"en": en}}[shape]
    profile.expect(printed(data, profile.lang), *kinds)
    return data


# --------------------------------------------------------------------------- valid profiles


def _base(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load((REPO / "company_profiles" / f"{name}.yaml").read_bytes()))


@st.composite
def profiles(draw: st.DrawFn, *, structure: bool) -> Texts:
    """Draw minimal.yaml with random texts, and with a random organisation if structure."""
    profile = Texts(_base("minimal"), draw(st.sampled_from(["zh", "en"])))
    data = profile.data
    company = data["company"]
    company["name"] = bilingual(draw, profile, *KINDS, long=True, limit=limits.MAX_NAME_CHARS)
    company["abbreviation"] = draw(st.from_regex(r"\A[A-Z][A-Z0-9]{0,9}\Z"))
    company["address"] = bilingual(draw, profile, "manual", long=True)
    company["introduction"] = draw(_introduction(profile))
    if draw(st.booleans()):
        company["legal_representative"] = bilingual(draw, profile, "manual")
        for key in ("website", "phone", "postcode", "founded"):
            company[key] = profile.expect(draw(texts(3)), "manual")
    data["scope"]["statement"] = bilingual(draw, profile, "manual", long=True)
    data["policy"]["statement"] = bilingual(draw, profile, "manual", long=True)
    data["policy"]["meaning"] = [
        bilingual(draw, profile, "manual") for _ in range(draw(st.integers(0, 4)))
    ]
    if structure:
        _organisation(draw, profile)
        _revisions(draw, profile)
    else:
        for department in data["departments"]:
            department["name"] = bilingual(draw, profile, "manual", "matrix")
            department["duties"] = [
                bilingual(draw, profile, "manual") for _ in range(draw(st.integers(0, 3)))
            ]
        top = data["roles"][0]
        top["title"] = bilingual(draw, profile, "manual", "matrix")
        top["person"] = bilingual(draw, profile, "manual", "revisions")
        top["duties"] = [bilingual(draw, profile, "manual") for _ in range(draw(st.integers(0, 3)))]
        data["revisions"][0]["changes"] = bilingual(draw, profile, "revisions", long=True)
    return profile


@st.composite
def _introduction(draw: st.DrawFn, profile: Texts) -> str:
    """Draw an introduction of several paragraphs; each must print as one paragraph."""
    paragraphs = draw(st.lists(some_text(4_500), min_size=1, max_size=4))
    for paragraph in paragraphs:
        profile.expect(paragraph, "manual")
    return "\n\n".join(paragraphs) + draw(st.sampled_from(["", "\n"]))


def _organisation(draw: st.DrawFn, profile: Texts) -> None:
    """Replace the organisation: a random tree of up to 60 departments, roles, duties,
    clause ownership, exclusions, up to 200 procedures, objectives, numbering and legend."""
    data = profile.data
    pool = draw(st.lists(texts(), min_size=2, max_size=12, unique=True))
    count = draw(st.integers(1, 60))
    departments: list[dict[str, Any]] = []
    for index in range(count):
        department: dict[str, Any] = {
            "id": f"d{index}",
            "name": bilingual(draw, profile, "manual", "matrix", pool=pool),
        }
        parent = draw(st.one_of(st.none(), st.integers(0, index - 1))) if index else None
        if parent is not None:
            department["parent"] = f"d{parent}"
        if draw(st.integers(0, 3)) == 0:
            department["duties"] = [
                bilingual(draw, profile, "manual", pool=pool)
                for _ in range(draw(st.integers(1, 2)))
            ]
        if draw(st.booleans()):
            department["staff"] = draw(st.integers(0, 500))
        departments.append(department)
    roles: list[dict[str, Any]] = [
        {
            "id": "top",
            "title": bilingual(draw, profile, "manual", "matrix"),
            "person": bilingual(draw, profile, "manual"),
            "kind": "top_management",
            "department": "d0",
            "duties": [bilingual(draw, profile, "manual") for _ in range(draw(st.integers(0, 2)))],
        }
    ]
    if draw(st.booleans()):
        roles.append(
            {
                "id": "rep",
                "title": bilingual(draw, profile, "matrix"),
                "person": bilingual(draw, profile, "manual"),
                "kind": "management_representative",
                "department": f"d{draw(st.integers(0, count - 1))}",
                "duties": [
                    bilingual(draw, profile, "manual") for _ in range(draw(st.integers(0, 2)))
                ],
            }
        )
    for index, department in enumerate(departments):
        if draw(st.integers(0, 3)) == 0:
            roles.append(
                {
                    "id": f"head{index}",
                    "title": bilingual(draw, profile, "manual", pool=pool),
                    "person": bilingual(draw, profile, pool=pool),
                    "kind": "department_head",
                    "department": department["id"],
                }
            )
            department["head"] = f"head{index}"
    data["departments"] = departments
    data["roles"] = roles
    role_ids = [r["id"] for r in roles]
    department_ids = [d["id"] for d in departments]
    excluded = draw(st.lists(st.sampled_from(EXCLUDABLE), unique=True, max_size=2))
    data["exclusions"] = [
        {
            "standard": STANDARD,
            "clause": number,
            "justification": profile.expect(draw(texts()) + "：本条款不适用。", "manual"),
        }
        for number in excluded
    ]

    def is_excluded(number: str) -> bool:
        return any(number == x or number.startswith(x + ".") for x in excluded)

    responsibilities: dict[str, dict[str, Any]] = {}
    for number in CLAUSES:
        # Every chapter gets an owner; about one sub-clause in five gets its own entry.
        if is_excluded(number) or (number not in TOP_CLAUSES and draw(st.integers(0, 4))):
            continue
        entry: dict[str, Any] = {"owner": draw(st.sampled_from(department_ids))}
        if draw(st.booleans()):
            entry["assist"] = draw(
                st.lists(st.sampled_from(department_ids + role_ids), unique=True, max_size=4)
            )
        if draw(st.integers(0, 3)) == 0:
            entry["lead"] = draw(st.lists(st.sampled_from(role_ids), unique=True, max_size=2))
        responsibilities[number] = entry
    data["responsibilities"] = {STANDARD: responsibilities}
    applicable = [n for n in CLAUSES if not is_excluded(n)]
    data["procedures"] = [
        {
            "number": profile.expect(f"{draw(st.sampled_from(pool))}-{index}", "procedures"),
            "title": bilingual(draw, profile, "procedures", "manual", pool=pool),
            "owner": draw(st.sampled_from(department_ids)),
            "clauses": {
                STANDARD: draw(
                    st.lists(st.sampled_from(applicable), unique=True, min_size=1, max_size=3)
                )
            },
        }
        for index in range(draw(st.integers(0, 200)))
    ]
    data["targets"] = [
        {
            "name": bilingual(draw, profile, "manual"),
            "operator": draw(st.sampled_from([">=", "<=", ">", "<", "="])),
            "value": draw(st.one_of(st.integers(0, 100), st.sampled_from([99.5, 0.25, 12.75]))),
            "unit": bilingual(draw, profile, "manual"),
            "measure": bilingual(draw, profile, "manual"),
            "frequency": bilingual(draw, profile, "manual"),
            "owner": draw(st.sampled_from(department_ids)),
        }
        for _ in range(draw(st.integers(0, 6)))
    ]
    for which in ("prepared", "reviewed", "approved"):
        data["approvals"][which]["role"] = draw(st.sampled_from(role_ids))
    for operation in data["operations"].values():
        operation["owner"] = draw(st.sampled_from(department_ids))
    abbreviation = data["company"]["abbreviation"]
    piece = st.one_of(
        st.sampled_from(["{abbr}", "{sys}", "-"]),
        texts(2).map(lambda t: t.replace("{", "(").replace("}", ")")),
    )
    numbering: dict[str, str] = {}
    for kind in KINDS:
        pattern = ""
        for part in draw(st.lists(piece, min_size=1, max_size=4)):
            if len(pattern + part) <= 64:
                pattern += part
        numbering[kind] = pattern.strip() or "{abbr}"
        number = numbering[kind].replace("{abbr}", abbreviation).replace("{sys}", SYSTEM_CODE)
        profile.expect(number, kind)
    data["numbering"] = numbering
    symbol = st.text(st.sampled_from("★●○◎△▲□■√×*#|_~`\\&<>\"'😀𠀀A1"), min_size=1, max_size=2)
    data["matrix_legend"] = {
        role: profile.expect(draw(symbol), "matrix") for role in ("lead", "owner", "assist")
    }
    data["control"] = {
        "classification": bilingual(draw, profile, "manual"),
        "copy_number": profile.expect(draw(texts(2)), "manual"),
    }


def _revisions(draw: st.DrawFn, profile: Texts) -> None:
    """Replace the revision history with one to four random revisions by random roles."""
    roles = profile.data["roles"]
    count = draw(st.integers(1, 4))
    revisions = []
    for index in range(count):
        author, approver = draw(st.sampled_from(roles)), draw(st.sampled_from(roles))
        for role in (author, approver):
            profile.expect(printed(role["person"], profile.lang), "revisions")
        revisions.append(
            {
                "version": f"A/{index}",
                "date": f"2025-0{index + 1}-01" if index < count - 1 else "2026-01-06",
                "changes": bilingual(draw, profile, "revisions", long=index == 0),
                "sections": [
                    bilingual(draw, profile, "revisions") for _ in range(draw(st.integers(0, 2)))
                ],
                "author": author["id"],
                "approver": approver["id"],
            }
        )
    profile.data["revisions"] = revisions


def is_printed(path: DataPath) -> bool:
    """Return whether a document of the set prints the text at path.

    The short name is not used by these documents, nor are the names of people who do not
    sign, lead or appoint.
    """
    return path != ("company", "short_name") and not (path[0] == "roles" and path[-1] == "person")


def _long_enough(value: Any) -> Any:
    """Return a justification an auditor accepts (eight characters at least)."""
    suffix = "：本条款不适用。"
    if isinstance(value, str):
        return value + suffix
    return {lang: text + suffix for lang, text in value.items()}


NAMES = frozenset({"name", "short_name", "title", "person"})


@st.composite
def integrated_profiles(draw: st.DrawFn) -> Texts:
    """Draw appliance.yaml (three standards, one integrated manual) with every text random."""
    data = _base("appliance")
    # The whole set: the roster, budget and commitment live in their own documents.
    kinds = [*default_registry().default_ids(), "audit-checklist"]
    profile = Texts(data, draw(st.sampled_from(["zh", "en"])), kinds)
    pool = draw(st.lists(texts(), min_size=4, max_size=16, unique=True))
    for path, _ in profile_texts(CompanyProfile.model_validate(data)):
        parent: Any = data
        for key in path[:-1]:
            parent = parent[key]
        long = draw(st.integers(0, 40)) == 0
        # Names (company, departments, roles, people) have the schema's shorter limit.
        limit = limits.MAX_NAME_CHARS if path[-1] in NAMES else limits.MAX_PARAGRAPH_CHARS
        value = bilingual(draw, profile, long=long, limit=limit, pool=None if long else pool)
        if "justification" in path:
            value = _long_enough(value)
        # Sentences quoted inside a sentence (change_board) lose their final stop.
        core = printed(value, profile.lang).strip("。.")
        if is_printed(path) and core:
            profile.expect(core, "any")
        parent[path[-1]] = value
    return profile


class _QuotingDumper(yaml.SafeDumper):
    """A YAML dumper that double-quotes every string, so no value can be read as another type."""


def _quoted(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


_QuotingDumper.add_representer(str, _quoted)


def dump(data: Any) -> str:
    """Return data as YAML with every string double-quoted and numbers plain."""
    return yaml.dump(data, Dumper=_QuotingDumper, allow_unicode=True, sort_keys=False, width=2**30)


# ------------------------------------------------------------------------ reading documents


def paragraph_texts(path: Path) -> list[str]:
    """Return the text of every paragraph: body, table cells, text boxes, headers and footers."""
    document = docx.Document(str(path))
    roots = [document.element.body]
    for rel in document.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER):
            roots.append(rel.target_part.element)
    return [Paragraph(p, document.part).text for root in roots for p in root.iter(qn("w:p"))]


def validate_all(paths: list[Path]) -> dict[str, list[str]]:
    """Run the Open XML SDK validator on several documents at once; return errors by file.

    The validator takes one file per run and spends most of its second starting up, so the
    runs go in parallel.
    """
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(schema_errors, paths))
    return {path.name: errors[:5] for path, errors in zip(paths, results, strict=True) if errors}


# Markdown syntax that no template prints as text: in a document it is markup that leaked.
_MARKUP = re.compile(r"[*\\`_|#{}\[\]~^=]")


def _short(items: list[str]) -> list[str]:
    return [item if len(item) < 160 else item[:160] + "…" for item in items[:3]]


def _missing(expected: set[str], lines: list[str]) -> list[str]:
    return [text for text in sorted(expected) if not any(text in line for line in lines)]


def _leaks(inserted: set[str], lines: list[str]) -> list[str]:
    """Return lines that still hold Markdown syntax once every profile text is taken out."""
    ordered = sorted(inserted, key=len, reverse=True)
    found = []
    for line in lines:
        rest = line
        for text in ordered:
            if text in rest:
                rest = rest.replace(text, "\0")
        if _MARKUP.search(rest):
            found.append(line)
    return found


@pytest.fixture(scope="module")
def workspace_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return one copy of the bundled workspace, shared by every example of this module."""
    root = copy_workspace(tmp_path_factory.mktemp("properties") / "ws")
    return root


def representatives(written: list[Path]) -> list[Path]:
    """Return the documents the validator checks: the manual, the matrix and one procedure.

    What random texts can break is how a text is written into a run; the manual (every kind
    of block), the matrix (a landscape table) and a procedure (the procedure renderer) write
    every kind of run there is. Every document is still read back for every text.
    """
    chosen: dict[str, Path] = {}
    for path in written:
        kind = path.parent.name if path.parent.name == "procedures" else path.name.split(".")[0]
        if kind in ("manual", "matrix", "procedures"):
            chosen.setdefault(kind if path.parent.name != "procedures" else "procedure", path)
    return list(chosen.values())


def _where(profile: Texts, texts: list[str]) -> str:
    """Return where in the profile the given texts were put, for a failure message."""

    def walk(value: Any, path: tuple[Any, ...]) -> list[str]:
        if isinstance(value, dict):
            return [f for k, v in value.items() for f in walk(v, (*path, k))]
        if isinstance(value, list):
            return [f for i, v in enumerate(value) for f in walk(v, (*path, i))]
        if isinstance(value, str) and any(text in value for text in texts):
            return [".".join(map(str, path))]
        return []

    return ", ".join(walk(profile.data, ())[:5])


def check_profile(root: Path, profile: Texts) -> None:
    """Generate a profile's documents: they validate and print every text exactly."""
    (root / "company_profiles" / "random.yaml").write_text(dump(profile.data), encoding="utf-8")
    with tempfile.TemporaryDirectory() as out:
        written, _ = generate(
            Workspace.open(root),
            "random",
            Path(out),
            lang=profile.lang,  # type: ignore[arg-type]
            kinds=profile.kinds,
        )
        assert validate_all(representatives(written)) == {}
        lines = {path.name.split(".")[0]: paragraph_texts(path) for path in written}
        missing = _missing(profile.expected["any"], [x for found in lines.values() for x in found])
        assert not missing, f"no document prints {_short(missing)} ({_where(profile, missing)})"
        for kind, found in lines.items():
            missing = _missing(profile.expected.get(kind, set()), found)
            assert not missing, (
                f"{kind} does not print {_short(missing)} ({_where(profile, missing)})"
            )
            leaks = _leaks(profile.inserted, found)
            assert not leaks, f"{kind} prints Markdown syntax: {_short(leaks)}"


# Where templates put a value in bold: after a CJK word, a list marker or an English word, and
# before a CJK word, punctuation, or a space (appointment, roles, introduction, terms).
BOLD_BEFORE = ["", "特任命", "1. ", "- ", "the "]
BOLD_AFTER = ["", "同志", "：", "（负责人：", "。", " as", " (", ":"]


@settings(FAST, max_examples=300)
@given(text=texts())
def test_escaped_values_render_literally(text: str) -> None:
    [paragraph] = render_markdown(md_escape(text))
    assert isinstance(paragraph, ParagraphBlock)
    assert paragraph.text == text
    assert not any(run.bold or run.italic or run.code for run in paragraph.runs)


@settings(FAST, max_examples=300)
@given(text=texts(), before=st.sampled_from(BOLD_BEFORE), after=st.sampled_from(BOLD_AFTER))
def test_bold_values_are_bold_whatever_they_begin_or_end_with(
    text: str, before: str, after: str
) -> None:
    # CommonMark leaves ** open when punctuation inside meets a CJK letter outside.
    [paragraph] = render_markdown(f"{before}**{md_escape(text)}**{after}")
    assert isinstance(paragraph, ParagraphBlock)
    body = before.removeprefix("1. ").removeprefix("- ")
    assert "".join(run.text for run in paragraph.runs) == body + text + after
    assert "".join(run.text for run in paragraph.runs if run.bold) == text


@pytest.mark.slow
@LARGE_REPR
@SETTINGS
@given(profile=profiles(structure=False))
def test_random_texts_print_literally(workspace_root: Path, profile: Texts) -> None:
    check_profile(workspace_root, profile)


@pytest.mark.slow
@LARGE_REPR
@SETTINGS
@given(profile=profiles(structure=True))
def test_random_organisations_print_literally(workspace_root: Path, profile: Texts) -> None:
    check_profile(workspace_root, profile)


@pytest.mark.slow
@LARGE_REPR
@settings(SETTINGS, max_examples=1)
@given(profile=integrated_profiles())
def test_random_integrated_sets_print_literally(workspace_root: Path, profile: Texts) -> None:
    check_profile(workspace_root, profile)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_objective_units_print_unchanged_in_every_sentence(
    workspace_root: Path, tmp_path: Path, lang: str
) -> None:
    # Sections of GB/T 27922 and ISO/IEC 20000-1 used to drop '=' from an exact objective.
    data = _base("appliance")
    exact = next(t for t in data["targets"] if t["operator"] == "=")
    exact["unit"] = "%(=T)"
    (workspace_root / "company_profiles" / "units.yaml").write_text(dump(data), encoding="utf-8")
    written, _ = generate(
        Workspace.open(workspace_root),
        "units",
        tmp_path,
        lang=lang,  # type: ignore[arg-type]
        kinds=["manual"],
    )
    lines = paragraph_texts(written[0])
    assert sum("100%(=T)" in line for line in lines) >= 2
    assert not [line for line in lines if "(T)" in line]


# ------------------------------------------------------------------------ damaged profiles

# Values a hand edit may leave behind: YAML 1.1 guesses, wrong types, syntax, tags, templates.
ODD_VALUES = [
    "", "~", "null", "yes", "no", "on", "off", "4.10", "0x10", "0o7", "1e3", "-1", "0", "3.5",
    ".inf", "true", "[]", "{}", "[a, b]", "{a: 1}", "[[1]]", "{a: {b: [c]}}", "'x'", '"y"', "&a x",
    "*a", "!!python/object/apply:os.system [ls]", "!!binary aGVsbG8=", "!!str 5", "!!int x",
    "!!set {a}", "!!omap [a: 1]", "!!timestamp 2025-01-01", "<<: {a: 1}", "|", ">", "|-\n  x",
    "{{ x }}", "{% if %}", "[", "{", "'", '"', "- a", "? x", ": x", "# comment", "2025-13-45",
    '"2025-02-30"', '"2025-1-1"', '"RT-}"', '"RT-{"', '"{abbr}}"', '"{{abbr}}"', '"{0}"',
    '"{abbr.x}"', '"{abbr[0]}"', '"{abbr!r}"', '"{abbr:>999999}"', '"\\x01"', '"\\ud800"',
    '"\\uffff"', "x" * 600, '"' + "长" * 25_000 + '"', "-9999999999999999999999", "1_000",
    "12:30:00", "0777", "+1", "null # c", "top_management", "department_head", "iso9001_2015",
    "iso20000_1_2018", "gm", "office", "workshop", "quality", "A/0", "A/1", "B/0", "1.0", '"8.3"',
    '"4.10"',
]  # fmt: skip
ODD_CHARACTERS = [
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\t", "\r", "\r\n",
    "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\ud800", "\udfff", "\u200b", "\u202e",
    ":", "#", "-", "'", '"', "{", "}", "[", "]", "&", "*", "!", "|", ">", "%", "@", "`", "\\",
]  # fmt: skip
_KEYED = re.compile(r"^(\s*(?:- )?(?:[\"\w.-]+:)?)\s*(.*)$")


def odd_values() -> st.SearchStrategy[str]:
    """Return a strategy for what may replace a YAML value: odd scalars, lists, mappings."""
    return st.one_of(
        st.sampled_from(ODD_VALUES),
        texts(3),
        texts(3).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
        st.integers().map(str),
        st.floats().map(repr),
        st.lists(st.sampled_from(ODD_VALUES[:40]), max_size=3).map(lambda v: f"[{', '.join(v)}]"),
    )


def odd_insertions() -> st.SearchStrategy[str]:
    """Return a strategy for characters to splice into a line, control characters included."""
    pieces = st.one_of(st.sampled_from(ODD_CHARACTERS), st.characters(), st.sampled_from(SPECIAL))
    return st.lists(pieces, min_size=1, max_size=3).map("".join)


@st.composite
def damaged_profiles(draw: st.DrawFn) -> tuple[bytes, str]:
    """Return a bundled profile with one to three random line edits, as bytes, and a language."""
    name = draw(st.sampled_from(["minimal", "demo", "itservice"]))
    lines = (REPO / "company_profiles" / f"{name}.yaml").read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        action = draw(
            st.sampled_from(["delete", "duplicate", "swap", "indent", "replace", "insert"])
        )
        if action == "delete" and len(lines) > 1:
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, line)
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], line
        elif action == "indent":
            lines[at] = " " * draw(st.integers(0, 9)) + line.lstrip(" ")
        elif action == "replace":
            match = _KEYED.match(line)
            head = match.group(1) if match else ""
            indent = " " * (len(line) - len(line.lstrip(" ")) + 2)
            values = draw(st.lists(odd_values(), min_size=1, max_size=3))
            shape = draw(st.sampled_from(["flow", "block list", "block mapping"]))
            if shape == "flow":
                lines[at] = f"{head} {values[0]}"
            elif shape == "block list":
                lines[at : at + 1] = [head, *(f"{indent}- {v}" for v in values)]
            else:
                keys = ["zh", "en", "name"][: len(values)]
                pairs = zip(keys, values, strict=True)
                lines[at : at + 1] = [head, *(f"{indent}{k}: {v}" for k, v in pairs)]
        else:
            position = draw(st.integers(0, len(line)))
            lines[at] = line[:position] + draw(odd_insertions()) + line[position:]
    # Lone surrogates become bytes that are not UTF-8, as a damaged file would hold.
    text = "\n".join(lines).encode("utf-8", "surrogatepass")
    return text, draw(st.sampled_from(["zh", "en"]))


def generate_cli(root: Path, company: str, out: str, lang: str) -> tuple[int, str, str]:
    """Run msmanual generate in-process; anything but a clean exit or user error raises."""
    return run("generate", "--root", str(root), "--company", company, "--out", out, "--lang", lang)


@pytest.mark.slow
@LARGE_REPR
@settings(SETTINGS, max_examples=6)
@given(damaged=damaged_profiles())
def test_damaged_profiles_give_documents_or_a_clean_error(
    workspace_root: Path, damaged: tuple[bytes, str]
) -> None:
    data, lang = damaged
    (workspace_root / "company_profiles" / "damaged.yaml").write_bytes(data)
    with tempfile.TemporaryDirectory() as out:
        try:
            code, stdout, stderr = generate_cli(workspace_root, "damaged", out, lang)
        except ValueError as exc:
            if "encountered in format string" in str(exc):
                reject()  # known: test_numbering_with_a_lone_brace_is_a_user_error
            raise
        assert code in (0, 1), stderr
        if code == 1:
            assert stderr.startswith("error: "), stderr
            assert "Traceback" not in stderr
            assert not stdout.strip()
        else:
            written = [Path(line) for line in stdout.split()]
            # The default set: the four KINDS first-class, and whatever else the profile has data for.
            assert set(KINDS) <= {p.name.split(".")[0] for p in written}
            # The edits that load are small; the manual has every kind of block there is.
            assert validate_all(written[:1]) == {}


@pytest.mark.parametrize("pattern", ["RT-}", "RT-{", "{abbr}}-{sys}"])
def test_numbering_with_a_lone_brace_is_a_user_error(workspace_root: Path, pattern: str) -> None:
    text = (REPO / "company_profiles" / "demo.yaml").read_text(encoding="utf-8")
    assert "  manual: RT-QM-01\n" in text
    damaged = text.replace("  manual: RT-QM-01\n", f'  manual: "{pattern}"\n')
    (workspace_root / "company_profiles" / "braces.yaml").write_text(damaged, encoding="utf-8")
    with tempfile.TemporaryDirectory() as out:
        code, _, stderr = generate_cli(workspace_root, "braces", out, "zh")
    # Fixed either way: a located error, or the brace printed as it is.
    assert code == 0 or "numbering.manual" in stderr
