"""Every pointer across a set leads somewhere: manual → procedure → form, and 见x.y → heading."""

from __future__ import annotations

import pytest

from engine.commands.check import check
from engine.documents.model import Block, CoreProperties, Document, Heading, Paragraph, Run
from engine.documents.references import Dangling, dangling
from engine.inputs.models import Language
from engine.inputs.workspace import Workspace
from tests.conftest import REPO
from tests.golden import golden_cases


def _document(*texts: str, headings: tuple[str, ...] = ()) -> Document:
    blocks: list[Block] = [Heading(1, n, "标题") for n in headings]
    blocks += [Paragraph([Run(t)]) for t in texts]
    return Document("manual", "manual", {}, CoreProperties("t", "a"), blocks)


def test_pointers_to_unknown_numbers_titles_and_headings_are_dangling() -> None:
    targets = {"RT-QP-01": "成文信息控制程序", "RT-QP-01-02": "文件发放回收记录"}
    manual = _document(
        "见《成文信息控制程序》（RT-QP-01）和《文件发放回收记录》（RT-QP-01-02）。",
        "另见《内部审核控制程序》（RT-QP-22）及《文件控制程序》（RT-QP-01）（见6.1）（见8.2、9.9）。",
        headings=("6.1", "8.2"),
    )
    assert dangling({"manual": manual}, targets, "zh") == [
        Dangling("manual", "内部审核控制程序 (RT-QP-22)", "no document or form has this number"),
        Dangling("manual", "文件控制程序 (RT-QP-01)", "RT-QP-01 is 成文信息控制程序"),
        Dangling("manual", "见9.9", "the manual has no such heading"),
    ]


def test_english_pointers_are_followed_too() -> None:
    targets = {"RT-QP-01": "Procedure for Control of Documented Information"}
    text = "See Procedure for Internal Audit (RT-QP-22) and the Procedure (RT-QP-01)."
    found = dangling({"manual": _document(text)}, targets, "en")
    assert [d.pointer for d in found] == ["(RT-QP-22)"]


@pytest.mark.parametrize(("company", "lang"), golden_cases())
def test_every_pointer_of_every_bundled_set_resolves(company: str, lang: Language) -> None:
    result = check(Workspace.open(REPO), company, lang=lang)
    assert result.dangling == []
    # Every form the set lists is named by the procedure that makes it.
    for form in result.views.forms:
        procedure = result.views.procedure_by_number[form.procedure]
        assert form in procedure.forms
