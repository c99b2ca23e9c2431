"""Self-assessment scoring on hand-computed cases, boundaries and rounding included."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from engine.domain.clausetree import ClauseTree
from engine.domain.scoring import level_for, next_level, round_score, score
from engine.domain.validation import _finding_problems
from engine.inputs.models import Assessment, ClauseMap, IndicatorResult
from engine.inputs.yamlio import read_yaml
from tests.fixtures import MINI_MAP

TEN = [f"1.{i}" for i in range(1, 11)]


def ten_indicator_tree() -> ClauseTree:
    """A standard with ten scored indicators 1.1 … 1.10, one point each unless overridden."""
    clauses: list[dict[str, Any]] = [
        {"number": "1", "title": "Service", "summary": "s", "sections": ["s"]}
    ]
    clauses += [
        {
            "number": n,
            "title": f"Indicator {n}",
            "summary": "s",
            "sections": ["s"],
            "excludable": True,
            "scoring": {"points": None, "sampled": True},
        }
        for n in TEN
    ]
    return ClauseTree(ClauseMap.model_validate({**MINI_MAP, "clauses": clauses}))


def assess(findings: dict[str, dict[str, Any]], **extra: Any) -> Assessment:
    indicators = {n: findings.get(n, {"status": "conforming"}) for n in TEN}
    return Assessment.model_validate(
        {
            "standard": "mini",
            "date": "2026-11-01",
            "assessors": ["甲"],
            "indicators": indicators,
            **extra,
        }
    )


NOT = {"status": "not_conforming"}


def test_all_conforming_is_five_star() -> None:
    result = score(ten_indicator_tree(), assess({}))
    assert (result.total, result.earned) == (Fraction(10), Fraction(10))
    assert (result.score, result.level) == (Decimal("100.00"), "five_star")
    assert result.next_level is None
    assert result.to_fix == []


def test_one_indicator_lost_is_four_star() -> None:
    result = score(ten_indicator_tree(), assess({"1.3": NOT}))
    assert result.score == Decimal("90.00")
    assert result.level == "four_star"
    assert (result.next_level, result.next_threshold) == ("five_star", 95)
    # 90 → 95 needs 0.5 of 10 points: fixing 1.3 (1 point) is enough.
    assert [i.number for i in result.to_fix] == ["1.3"]


def test_sampled_indicator_loses_points_in_proportion() -> None:
    # 18 of 20 records complete: 1.2 keeps 0.9 of its point; 1.5 fails: 8.9 / 10.
    result = score(
        ten_indicator_tree(),
        assess({"1.2": {"status": "partly", "sampled": 20, "nonconforming": 2}, "1.5": NOT}),
    )
    assert result.earned == Fraction(89, 10)
    assert result.score == Decimal("89.00")
    assert result.level == "three_star"
    assert [i.number for i in result.to_fix] == ["1.5"]


def test_excluded_indicators_leave_the_total() -> None:
    findings = {
        "1.9": {"status": "excluded", "reason": "不适用"},
        "1.10": {"status": "excluded", "reason": "不适用"},
        "1.1": NOT,
    }
    result = score(ten_indicator_tree(), assess(findings))
    assert (result.total, result.earned) == (Fraction(8), Fraction(7))
    assert result.score == Decimal("87.50")
    assert result.level == "three_star"


@pytest.mark.parametrize(
    ("findings", "expected", "level"),
    [
        # 7 of 10: exactly 70.00 passes.
        ({"1.1": NOT, "1.2": NOT, "1.3": NOT}, "70.00", "pass"),
        # 6.999 of 10 = 69.99: does not pass.
        (
            {
                "1.1": NOT,
                "1.2": NOT,
                "1.3": NOT,
                "1.4": {"status": "partly", "sampled": 1000, "nonconforming": 1},
            },
            "69.99",
            None,
        ),
        # 6.9995 of 10 = 69.995, printed 70.00 (half up): the printed score decides, so it passes.
        (
            {
                "1.1": NOT,
                "1.2": NOT,
                "1.3": NOT,
                "1.4": {"status": "partly", "sampled": 2000, "nonconforming": 1},
            },
            "70.00",
            "pass",
        ),
        # 9.5 of 10 = 95.00: five stars.
        ({"1.1": {"status": "partly", "sampled": 2, "nonconforming": 1}}, "95.00", "five_star"),
        # 9.499 of 10 = 94.99: four stars.
        (
            {"1.1": {"status": "partly", "sampled": 1000, "nonconforming": 501}},
            "94.99",
            "four_star",
        ),
        # 8 of 10 = 80.00: three stars; 79.99 is only a pass.
        ({"1.1": NOT, "1.2": NOT}, "80.00", "three_star"),
        (
            {
                "1.1": NOT,
                "1.2": NOT,
                "1.3": {"status": "partly", "sampled": 1000, "nonconforming": 1},
            },
            "79.99",
            "pass",
        ),
    ],
)
def test_boundaries(findings: dict[str, dict[str, Any]], expected: str, level: str | None) -> None:
    result = score(ten_indicator_tree(), assess(findings))
    assert result.score == Decimal(expected)
    assert result.level == level


def test_special_deductions_and_bonus() -> None:
    tree = ten_indicator_tree()
    deductions = [{"reason": "违反服务承诺"}, {"reason": "违反行业规定"}]
    result = score(tree, assess({"1.1": NOT}, deductions=deductions))
    assert result.score == Decimal("88.00")  # 90 − 2
    assert result.level == "three_star"
    result = score(tree, assess({"1.1": NOT}, bonus={"reason": "行业领先的服务创新"}))
    assert result.score == Decimal("91.00")
    result = score(tree, assess({}, bonus={"reason": "x"}))
    assert result.score == Decimal("100.00")  # the bonus cannot take a score past 100


def test_weights_from_the_assessment_override_equal_points() -> None:
    # 1.1 counts 5 points out of 14: losing it leaves 9 / 14 = 64.2857… → 64.29, below 达标.
    result = score(ten_indicator_tree(), assess({"1.1": NOT}, weights={"1.1": 5}))
    assert result.total == 14
    assert result.score == Decimal("64.29")
    assert result.level is None
    assert result.weights_from == "assessment"
    assert [i.number for i in result.to_fix] == ["1.1"]


def test_what_to_fix_first_takes_the_biggest_losses_until_the_threshold() -> None:
    findings: dict[str, dict[str, Any]] = {
        "1.1": NOT,
        "1.2": NOT,
        "1.3": {"status": "partly", "sampled": 10, "nonconforming": 5},
        "1.4": {"status": "partly", "sampled": 10, "nonconforming": 1},
    }
    result = score(ten_indicator_tree(), assess(findings))
    assert result.score == Decimal("74.00")  # 10 − 1 − 1 − 0.5 − 0.1 = 7.4
    assert result.next_threshold == 80
    # 80 needs 0.6 more points: one lost point (1.1, then 1.2 by number) is enough.
    assert [i.number for i in result.to_fix] == ["1.1"]


def test_rounding_and_levels() -> None:
    assert round_score(Fraction(6999, 100)) == Decimal("69.99")
    assert round_score(Fraction(139989, 2000)) == Decimal("69.99")  # 69.9945
    assert round_score(Fraction(69995, 1000)) == Decimal("70.00")
    assert level_for(Decimal("69.99")) is None
    assert level_for(Decimal("95.00")) == "five_star"
    assert next_level(Decimal("69.99")) == ("pass", 70)
    assert next_level(Decimal("100.00")) == (None, None)


def test_findings_need_consistent_counts_and_reasons() -> None:
    source = """\
indicators:
  "1.1": {status: partly, sampled: 2, nonconforming: 3}
  "1.2": {status: partly}
  "1.3": {status: excluded}
  "1.4": {status: conforming, sampled: 5}
"""
    document, problems = read_yaml(source.encode(), "a.yaml")
    assert document is not None
    assert problems == []
    found = [
        (p.line, p.message)
        for number, raw in document.data["indicators"].items()
        for p in _finding_problems(document, number, IndicatorResult.model_validate(raw))
    ]
    assert found == [
        (2, "nonconforming (3) exceeds sampled (2)"),
        (3, "1.2 is partly met but the sample counts are missing"),
        (4, "1.3 is excluded without a reason"),
        (5, "sample counts belong to status: partly only"),
    ]
