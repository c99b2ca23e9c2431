"""Write a workspace of synthetic client profiles for the benchmarks.

    python3 bench/make_clients.py ROOT --count 500
    python3 bench/make_clients.py ROOT --count 1 --base appliance --departments 60

Each profile is a bundled one (demo, furniture, itservice, appliance, minimal: one to three
standards) under a new id, name and abbreviation, with extra departments when asked (or, for a
batch, a varying number of them) so that sizes vary. The clause maps and templates are copied.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
BASES = ("demo", "furniture", "itservice", "appliance", "minimal")
EXTRA_DEPARTMENTS = (0, 3, 8, 15)  # cycled over a batch, out of step with the bases


def _letters(number: int) -> str:
    text = ""
    number += 1
    while number > 0:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def _renamed(name: object, number: int) -> object:
    if isinstance(name, dict):
        return {lang: _renamed(text, number) for lang, text in name.items()}
    text = str(name)
    if "有限公司" in text:
        return text.replace("有限公司", f"{number}号有限公司", 1)
    if " Co., Ltd." in text:
        return text.replace(" Co., Ltd.", f" No. {number} Co., Ltd.", 1)
    return f"{text} {number}"


def base_profile(base: str) -> dict[str, Any]:
    """Return a bundled profile as data."""
    text = (REPO / "company_profiles" / f"{base}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def client(base: dict[str, Any], number: int, departments: int | None = None) -> dict[str, Any]:
    """Return base renamed as client number, with departments in all (None: as the base has)."""
    profile = copy.deepcopy(base)
    company = profile["company"]
    company["name"] = _renamed(company["name"], number)
    company["abbreviation"] = f"{company.get('abbreviation', 'BC')}{_letters(number)}"
    units = profile["departments"]
    parent = units[0]["id"]
    for index in range(len(units), departments or 0):
        units.append(
            {
                "id": f"unit{index}",
                "name": {"zh": f"第{index}业务部", "en": f"Business Unit {index}"},
                "parent": parent,
                "staff": 6 + index % 7,
                "duties": [
                    {
                        "zh": "负责本部门业务的计划、实施和记录，配合体系内部审核",
                        "en": "Plan, carry out and record the unit's work; support internal audits",
                    }
                ],
            }
        )
    return profile


def make_workspace(root: Path) -> Path:
    """Copy the clause maps, templates and the files beside the profiles; return profiles/."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("clause_maps", "templates"):
        shutil.copytree(REPO / name, root / name, dirs_exist_ok=True)
    profiles = root / "company_profiles"
    profiles.mkdir(exist_ok=True)
    for path in (REPO / "company_profiles").iterdir():
        if path.is_file() and path.suffix != ".yaml":
            shutil.copy2(path, profiles / path.name)
    return profiles


def write_clients(
    root: Path, count: int, base: str | None = None, departments: int | None = None
) -> list[str]:
    """Write count client profiles into a workspace at root; return their ids."""
    profiles = make_workspace(root)
    loaded = {name: base_profile(name) for name in ((base,) if base else BASES)}
    ids = []
    for index in range(count):
        name = base or BASES[index % len(BASES)]
        size = departments
        if size is None:
            extra = EXTRA_DEPARTMENTS[(index // len(BASES)) % len(EXTRA_DEPARTMENTS)]
            size = len(loaded[name]["departments"]) + extra
        profile = client(loaded[name], index + 1, size)
        company_id = f"c{index + 1:04d}-{name}"
        text = yaml.safe_dump(profile, allow_unicode=True, sort_keys=False, width=100)
        (profiles / f"{company_id}.yaml").write_text(text, encoding="utf-8")
        ids.append(company_id)
    return ids


def main(argv: list[str]) -> int:
    """Parse the arguments and write the workspace."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--base", choices=BASES, default=None)
    parser.add_argument("--departments", type=int, default=None)
    options = parser.parse_args(argv)
    ids = write_clients(options.root, options.count, options.base, options.departments)
    print(f"{len(ids)} client profiles in {options.root / 'company_profiles'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
