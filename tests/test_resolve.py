"""Resolution: inherited duties, exclusions and which procedures belong to which clause."""

from __future__ import annotations

from engine.domain.resolve import Duty, resolve
from tests.fixtures import load_profile, mini_map, profile_data


def resolved_mini(data: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
    profile, _ = load_profile(data or profile_data())
    return resolve("mini_co", profile, [mini_map()]).primary


def test_fields_are_inherited_one_by_one() -> None:
    standard = resolved_mini()
    assert standard.duties["1"] == Duty(owner="office", lead=("gm",))
    # 1.1 sets owner and assist; lead still comes from clause 1.
    assert standard.duties["1.1"] == Duty(owner="qa", assist=("ops", "mr"), lead=("gm",))
    assert standard.duties["1.2.1"] == Duty(owner="office", lead=("gm",))
    assert standard.duties["2.1.1"] == Duty(owner="ops")


def test_exclusion_removes_the_subtree() -> None:
    data = profile_data()
    data["exclusions"] = [
        {"standard": "mini", "clause": "1.2", "justification": "本公司不进行任何设计活动。"}
    ]
    standard = resolved_mini(data)
    assert standard.excluded == {"1.2", "1.2.1"}
    assert "1.2.1" not in standard.duties
    assert standard.applicable() == ["1", "1.1", "2", "2.1", "2.1.1"]
    assert standard.exclusion_for("1.2.1") is not None
    assert standard.exclusion_for("1.1") is None


def test_procedures_attach_to_clause_above_and_below_but_not_whole_chapters() -> None:
    standard = resolved_mini()
    numbers = {n: [p.number for p in ps] for n, ps in standard.procedures.items()}
    assert numbers["1.1"] == ["SL-P-01"]
    # SL-P-02 cites chapter 2 only: it attaches to the chapter, not to every clause below it.
    assert numbers["2"] == ["SL-P-02"]
    # SL-P-03 cites 2.1.1: it is relevant to 2.1 (above) and to 2.1.1 itself.
    assert numbers["2.1"] == ["SL-P-03"]
    assert numbers["2.1.1"] == ["SL-P-03"]
    assert numbers["1.2"] == []


def test_depth_is_relative_to_the_map() -> None:
    from engine.domain.clausetree import ClauseTree
    from tests.fixtures import MINI_MAP

    shifted = {
        **MINI_MAP,
        "clauses": [{**c, "number": "5." + c["number"]} for c in MINI_MAP["clauses"]],
    }
    from engine.inputs.models import ClauseMap

    tree = ClauseTree(ClauseMap.model_validate(shifted))
    assert tree.chapters() == ["5.1", "5.2"]
    assert tree.depth("5.1") == 1
    assert tree.depth("5.1.2.1") == 3
