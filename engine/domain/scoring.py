"""Self-assessment scoring for GB/T 27922 (pure): points, score, star level, what to fix first.

Rules (as certification bodies publish them): a non-conforming indicator loses its points; a
sampled indicator loses them in proportion to the non-conforming samples; excluded indicators
are left out of the total; score = points earned ÷ points of applicable indicators × 100; each
special deduction takes 1 off and at most one special bonus adds 1; levels at 70 / 80 / 90 / 95.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from engine.domain.clausetree import ClauseTree
from engine.inputs.models import Assessment

# (threshold, level key); the level labels live in templates/labels.yaml (level_<key>).
LEVELS: tuple[tuple[int, str], ...] = (
    (95, "five_star"),
    (90, "four_star"),
    (80, "three_star"),
    (70, "pass"),
)
DEFAULT_POINTS = Fraction(1)


@dataclass
class IndicatorScore:
    """The points an indicator can give and the points it gave."""

    number: str
    status: str
    possible: Fraction
    earned: Fraction

    @property
    def lost(self) -> Fraction:
        """Return the points this indicator lost."""
        return self.possible - self.earned


@dataclass
class Result:
    """The outcome of a self-assessment."""

    indicators: list[IndicatorScore]
    total: Fraction
    earned: Fraction
    deductions: int
    bonus: int
    score: Decimal
    level: str | None
    next_level: str | None
    next_threshold: int | None
    to_fix: list[IndicatorScore] = field(default_factory=list)
    weights_from: str = "assumed"


def scored_indicators(tree: ClauseTree) -> list[str]:
    """Return the indicators that carry points: the clauses with scoring data."""
    return [n for n in tree.numbers() if tree[n].scoring is not None]


def points_of(tree: ClauseTree, assessment: Assessment, number: str) -> Fraction:
    """Return an indicator's points: the assessment's override, the map's, or the default."""
    if number in assessment.weights:
        return Fraction(str(assessment.weights[number]))
    scoring = tree[number].scoring
    if scoring is not None and scoring.points is not None:
        return Fraction(str(scoring.points))
    return DEFAULT_POINTS


def round_score(value: Fraction) -> Decimal:
    """Return a score rounded half-up to two decimals, as it is printed."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def level_for(score: Decimal) -> str | None:
    """Return the level key for a printed score (70.00 passes, 69.99 does not)."""
    for threshold, key in LEVELS:
        if score >= threshold:
            return key
    return None


def next_level(score: Decimal) -> tuple[str | None, int | None]:
    """Return the level above the current one and its threshold, or (None, None) at the top."""
    above = [(t, k) for t, k in LEVELS if score < t]
    if not above:
        return None, None
    threshold, key = min(above)
    return key, threshold


def score(tree: ClauseTree, assessment: Assessment) -> Result:
    """Return the score of an assessment whose indicators are complete and valid."""
    indicators = []
    for number in scored_indicators(tree):
        finding = assessment.indicators[number]
        if finding.status == "excluded":
            indicators.append(IndicatorScore(number, "excluded", Fraction(0), Fraction(0)))
            continue
        possible = points_of(tree, assessment, number)
        if finding.status == "conforming":
            earned = possible
        elif finding.status == "not_conforming":
            earned = Fraction(0)
        else:
            assert finding.sampled is not None
            assert finding.nonconforming is not None
            earned = possible * (1 - Fraction(finding.nonconforming, finding.sampled))
        indicators.append(IndicatorScore(number, finding.status, possible, earned))
    total = sum((i.possible for i in indicators), Fraction(0))
    earned = sum((i.earned for i in indicators), Fraction(0))
    deductions = len(assessment.deductions)
    bonus = 1 if assessment.bonus is not None else 0
    raw = (earned / total * 100 if total else Fraction(0)) - deductions + bonus
    printed = round_score(min(max(raw, Fraction(0)), Fraction(100)))
    level = level_for(printed)
    upcoming, threshold = next_level(printed)
    result = Result(
        indicators=indicators,
        total=total,
        earned=earned,
        deductions=deductions,
        bonus=bonus,
        score=printed,
        level=level,
        next_level=upcoming,
        next_threshold=threshold,
        weights_from="assessment" if assessment.weights else _weights_source(tree),
    )
    if threshold is not None and total:
        result.to_fix = indicators_to_fix(indicators, total, raw, threshold)
    return result


def _weights_source(tree: ClauseTree) -> str:
    sources = {s.points_source for n in scored_indicators(tree) if (s := tree[n].scoring)}
    return "standard" if sources == {"standard"} else "assumed"


def indicators_to_fix(
    indicators: list[IndicatorScore], total: Fraction, raw: Fraction, threshold: int
) -> list[IndicatorScore]:
    """Return the indicators to fix first, most points lost first, until the threshold is reached.

    Each point recovered adds 100 ÷ total to the score.
    """
    needed = (Fraction(threshold) - raw) * total / 100
    chosen = []
    recovered = Fraction(0)
    for indicator in sorted(indicators, key=lambda i: (-i.lost, i.number)):
        if indicator.lost <= 0 or recovered >= needed:
            break
        chosen.append(indicator)
        recovered += indicator.lost
    return chosen
