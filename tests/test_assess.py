"""Self-assessment through the CLI: hand-computed scores and levels, template, reports, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.external import schema_errors, to_pdf
from tests.helpers import body_text, snapshot, write
from tests.test_cli import run

ASSESSMENTS = "company_profiles/furniture/assessments"

# Each bundled assessment has 30 indicators worth 1 point each (the map's weights are unknown).
# 2025-05: 20 conforming, 8 not, 5.3.2 partly 6 of 20 failed (0.7), 5.2.4 partly 3 of 10 (0.7)
#          → 21.4 / 30 × 100 = 71.333… − 2 deductions = 69.333… → 69.33 未达标
# 2025-09: 21 conforming, 7 not, 5.3.2 5/20 (0.75), 5.2.4 3/12 (0.75) → 22.5 → 75.00 − 1 → 74.00
# 2026-01: 25 conforming, 4 not, 5.3.2 2/20 (0.9) → 25.9 → 86.333… → 86.33 三星级
# 2026-05: 26 conforming, 2 not, 5.3.2 1/20 (0.95), 5.2.4 2/20 (0.9) → 27.85 → 92.833… − 1 → 91.83
# 2026-11: 28 conforming, 1 not, 5.3.2 2/20 (0.9) → 28.9 → 96.333… − 1 + 1 → 96.33 五星级
EXPECTED = {
    "2025-05.yaml": ("21.4", "69.33", "未达标", "none", ["5.1.2.2"]),
    "2025-09.yaml": ("22.5", "74.00", "达标", "pass", ["5.1.2.2", "5.1.3.1"]),
    "2026-01.yaml": ("25.9", "86.33", "三星级", "three_star", ["5.1.3.1", "5.1.5.2"]),
    "2026-05.yaml": ("27.85", "91.83", "四星级", "four_star", ["5.1.6.4"]),
    "2026-11.yaml": ("28.9", "96.33", "五星级", "five_star", []),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bundled_assessments_score_as_computed_by_hand(workspace_dir: Path, name: str) -> None:
    earned, score, level_zh, level, to_fix = EXPECTED[name]
    path = workspace_dir / ASSESSMENTS / name
    args = ["assess", "--root", str(workspace_dir), "--company", "furniture"]
    code, out, err = run(*args, "--assessment", str(path), "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["earned"] == float(earned)
    assert result["total"] == 30
    assert result["score"] == score
    assert (result["level"] or "none") == level
    assert result["to_fix"] == to_fix
    assert result["weights"] == "assumed"

    code, out, err = run(*args, "--assessment", str(path), "--out", str(workspace_dir / "out"))
    assert code == 0, err
    assert f"实际得分 {earned} / 涉及项总分值 30" in out
    assert f"评分 {score}，评价等级：{level_zh}" in out
    for number in to_fix:
        assert re.search(rf"^  {re.escape(number)} \S+：失[0-9.]+分$", out, re.MULTILINE)


def test_latest_assessment_is_the_default_and_its_report_is_valid(
    workspace_dir: Path, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run(
        "assess", "--root", str(workspace_dir), "--company", "furniture", "--out", str(out_dir)
    )
    assert code == 0, err
    assert "2026-11-17" in out
    assert "96.33" in out
    report = Path(out.strip().splitlines()[-1])
    assert report == out_dir / "furniture/gbt27922_2011/self-assessment-2026-11-17.docx"
    assert schema_errors(report) == []
    text = "\n".join(body_text(report))
    assert "96.33" in text
    assert "五星级" in text
    # Each indicator is a row with its status, evidence and points; the plan names owners.
    assert re.search(r"5\.3\.2 投诉处理 \| 部分符合（2/20） \| .+ \| 1 \| 0\.9", text)
    assert re.search(r"5\.1\.7\.2 服务承诺 \| 更新官网服务承诺.+ \| 营销中心 \| 2027-01-31", text)
    assert "按各指标等分值计分" in text  # the assumed weights are said in the report
    pdf = to_pdf([report], tmp_path / "pdf")[0]
    assert pdf.stat().st_size > 0


def test_english_report(workspace_dir: Path, tmp_path: Path) -> None:
    code, out, err = run(
        "assess", "--root", str(workspace_dir), "--company", "furniture", "--lang", "en",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 0, err
    assert "Points: 28.9 of 30; special items: −1, +1" in out
    assert "Score: 96.33, level: five stars" in out
    report = Path(out.strip().splitlines()[-1])
    assert report.name == "self-assessment-2026-11-17.en.docx"
    text = "\n".join(body_text(report))
    assert "five stars" in text
    assert "Sampled 20 complaint records: 2 exceeded" in text
    assert schema_errors(report) == []


def test_weights_override_and_exclusion(workspace_dir: Path) -> None:
    """Custom points and an excluded indicator, computed by hand."""
    source = (workspace_dir / ASSESSMENTS / "2026-01.yaml").read_text(encoding="utf-8")
    # 2026-01 with 5.2.6 excluded and 5.3.2 worth 5 points, 5.1.3.1 worth 3:
    # total = 29 indicators + 4 + 2 extra points = 35; lost = 1 (5.1.5.2) + 1 (5.1.6.4)
    # + 1 (5.2.1.5) + 3 (5.1.3.1) + 5 × 0.1 (5.3.2) = 6.5 → earned 28.5
    # → 28.5 / 35 × 100 = 81.428… → 81.43 三星级
    edited = re.sub(
        r'  "5\.2\.6": \{[^\n]*\}',
        '  "5.2.6": {status: excluded, reason: 旧家具由顾客自行处置}',
        source,
    )
    edited = edited.replace("indicators:", 'weights: {"5.3.2": 5, "5.1.3.1": 3}\nindicators:')
    path = write(workspace_dir / ASSESSMENTS / "2026-02.yaml", edited)
    code, out, err = run(
        "assess", "--root", str(workspace_dir), "--company", "furniture",
        "--assessment", str(path), "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert result["total"] == 35
    assert result["earned"] == 28.5
    assert result["score"] == "81.43"
    assert result["level"] == "three_star"
    assert result["weights"] == "assessment"
    # 90 needs exactly (90 − 570/7) × 35 / 100 = 3 points back: 5.1.3.1 alone gives them.
    assert result["to_fix"] == ["5.1.3.1"]


def test_template_is_written_once_and_never_overwritten(workspace_dir: Path) -> None:
    args = ["assess", "--root", str(workspace_dir), "--company", "furniture", "--template"]
    code, out, err = run(*args)
    assert code == 0, err
    path = Path(out.strip())
    assert path.parent == workspace_dir / ASSESSMENTS
    blank = path.read_text(encoding="utf-8")
    assert blank.count("status: ,") == 30
    path.write_text(blank + "# my notes\n", encoding="utf-8")
    before = snapshot(workspace_dir / "company_profiles")
    code, _, err = run(*args)
    assert code == 1
    assert "already exists" in err
    assert snapshot(workspace_dir / "company_profiles") == before

    # An unfilled template is refused with a located message per indicator.
    code, _, err = run(
        "assess", "--root", str(workspace_dir), "--company", "furniture",
        "--assessment", str(path),
    )  # fmt: skip
    assert code == 1
    assert re.search(rf"{path.name}:\d+:\d+: indicators\[\"5\.1\.1\.1\"\]\.status: is empty", err)
    assert err.count(".status: is empty") == 30

    # Filled in, it scores: all conforming but 5.3.2 (3 of 12 failed) → 29.75 / 30 → 99.17.
    filled = blank.replace('"5.3.2": {status: , evidence: }', "")
    filled = filled.replace("status: ,", "status: conforming,")
    filled = filled.replace(
        "indicators:",
        'indicators:\n  "5.3.2": {status: partly, sampled: 12, nonconforming: 3}',
    )
    path.write_text(filled, encoding="utf-8")
    code, out, err = run(
        "assess", "--root", str(workspace_dir), "--company", "furniture",
        "--assessment", str(path), "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["score"] == "99.17"


def test_every_problem_in_an_assessment_is_reported_with_its_line(workspace_dir: Path) -> None:
    source = (workspace_dir / ASSESSMENTS / "2026-11.yaml").read_text(encoding="utf-8")
    lines = source.splitlines()
    removed = next(i for i, line in enumerate(lines) if line.startswith('  "5.1.1.1"'))
    del lines[removed]
    text = "\n".join(lines)
    text = text.replace("sampled: 20\n    nonconforming: 2", "sampled: 2\n    nonconforming: 3")
    text = text.replace('  "5.2.6": {status: conforming', '  "5.2.7": {status: conforming')
    path = write(workspace_dir / ASSESSMENTS / "2026-12.yaml", text + "\n")
    code, out, err = run(
        "assess", "--root", str(workspace_dir), "--company", "furniture",
        "--assessment", str(path),
    )  # fmt: skip
    assert code == 1
    assert out == ""
    assert "nonconforming (3) exceeds sampled (2)" in err
    line = text.splitlines().index("    nonconforming: 3") + 1
    assert re.search(rf'2026-12\.yaml:{line}:\d+: indicators\["5\.3\.2"\]\.nonconforming: ', err)
    assert "5.2.7 is not a scored indicator of gbt27922_2011" in err
    assert "not assessed: 5.1.1.1, 5.2.6" in err
    assert not (workspace_dir / "output").exists()


def test_company_without_scored_standard_is_refused(workspace_dir: Path) -> None:
    code, _, err = run("assess", "--root", str(workspace_dir), "--company", "demo")
    assert code == 1
    assert "self-assessment scoring applies to GB/T 27922" in err
