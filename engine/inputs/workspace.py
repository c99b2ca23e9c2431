"""Where inputs live: a workspace's company_profiles/, over the bundled clause maps and templates.

The clause maps and templates ship inside the package (engine/data/, copied from the repository's
top-level folders when the wheel is built). A workspace needs only company_profiles/; a file in
its own templates/ or clause_maps/ overrides the bundled file of the same relative path, as a
theme's custom_dir does, and everything else comes from the package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from engine.errors import EngineError, UnknownNameError

SHARED = ("clause_maps", "templates")
"""The folders a workspace may override, relative to a data root."""

BUNDLED_DISPLAY = "bundled"
"""How messages name the package's data root: bundled:templates/labels.yaml."""


DATA_VARIABLE = "MSMANUAL_DATA"
"""Environment variable naming a folder to use instead of the package's data (template work)."""


def bundled_root() -> Path:
    """Return the folder holding the bundled clause_maps/ and templates/.

    An installed wheel carries them in engine/data/; a source checkout (PYTHONPATH or an
    editable install) has them at the repository's top level. MSMANUAL_DATA names another
    folder holding both, e.g. a complete copy being developed: nothing is then layered under it.
    """
    chosen = os.environ.get(DATA_VARIABLE)
    if chosen:
        root = Path(chosen)
        if not all((root / name).is_dir() for name in SHARED):
            raise EngineError(
                f"{DATA_VARIABLE}={chosen} has no clause_maps/ and templates/ folders — "
                f"correct it or unset {DATA_VARIABLE} to use the installed ones"
            )
        return root
    packaged = Path(str(resources.files("engine").joinpath("data")))
    if all((packaged / name).is_dir() for name in SHARED):
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if all((checkout / name).is_dir() for name in SHARED):
        return checkout
    raise EngineError(
        f"the installed msmanual has no bundled clause maps or templates ({packaged}) — "
        "reinstall it from a wheel or the source checkout"
    )


@dataclass(frozen=True)
class Override:
    """A workspace file standing in for (or added beside) a bundled one."""

    relative: str
    path: Path
    bundled: Path | None

    @property
    def status(self) -> str:
        """Return 'changed', 'same' (identical to the bundled file) or 'added' (no bundled file)."""
        if self.bundled is None:
            return "added"
        return "same" if self.path.read_bytes() == self.bundled.read_bytes() else "changed"


@dataclass(frozen=True)
class Workspace:
    """A consultant's workspace; every input path is derived from its root and the bundled data."""

    root: Path
    bundled: Path

    @classmethod
    def open(cls, root: Path) -> Workspace:
        """Return the workspace at root, checking that it holds company_profiles/."""
        root = root.resolve()
        if not (root / "company_profiles").is_dir():
            raise EngineError(
                f"{root} is not a workspace: missing folder company_profiles — "
                "run from the workspace folder, pass --root DIR, or create one with "
                "msmanual init DIR"
            )
        return cls(root, bundled_root().resolve())

    @property
    def layers(self) -> tuple[Path, ...]:
        """Return the data roots in the order a file is looked up: the workspace, then bundled."""
        return (self.root,) if self.root == self.bundled else (self.root, self.bundled)

    def find(self, relative: str) -> Path:
        """Return a file by relative path (templates/labels.yaml) from the first layer having it.

        When no layer has it, the bundled path is returned so that the message names it.
        """
        for layer in self.layers:
            path = layer / relative
            if path.is_file():
                return path
        return self.bundled / relative

    def files(self, folder: str, pattern: str = "*.yaml") -> list[Path]:
        """Return a folder's files across layers, sorted by name; an override hides its namesake."""
        found: dict[str, Path] = {}
        for layer in reversed(self.layers):
            directory = layer / folder
            if directory.is_dir():
                found.update({p.name: p for p in directory.glob(pattern) if p.is_file()})
        return [found[name] for name in sorted(found)]

    def folders(self, folder: str) -> list[Path]:
        """Return the existing copies of a folder (templates/md/zh), workspace first."""
        return [layer / folder for layer in self.layers if (layer / folder).is_dir()]

    def overrides(self) -> list[Override]:
        """Return every file of the workspace's own clause_maps/ and templates/, by path."""
        if self.root == self.bundled:
            return []
        found = []
        for name in SHARED:
            for path in sorted((self.root / name).rglob("*")):
                if not path.is_file():
                    continue
                relative = path.relative_to(self.root).as_posix()
                bundled = self.bundled / relative
                found.append(Override(relative, path, bundled if bundled.is_file() else None))
        return found

    @property
    def clause_maps_dir(self) -> Path:
        """The workspace's own clause maps folder (read through clause_map_path)."""
        return self.root / "clause_maps"

    @property
    def correspondences_dir(self) -> Path:
        """The workspace's own correspondence tables folder (read through correspondences)."""
        return self.clause_maps_dir / "correspondences"

    @property
    def profiles_dir(self) -> Path:
        """Folder of company profiles, one YAML file per company."""
        return self.root / "company_profiles"

    @property
    def templates_dir(self) -> Path:
        """The templates folder: the workspace's own when it has one, else the bundled one.

        Reading through find(), files() or folders() sees both layers; this is for callers
        that need one folder.
        """
        own = self.root / "templates"
        return own if own.is_dir() else self.bundled / "templates"

    @property
    def shared_dirs(self) -> list[Path]:
        """Every clause_maps/ and templates/ folder the library is read from."""
        return [layer / name for layer in self.layers for name in SHARED if (layer / name).is_dir()]

    @property
    def default_output_dir(self) -> Path:
        """Where documents go when no --out is given."""
        return self.root / "output"

    @property
    def locks_dir(self) -> Path:
        """Return where companies' workspace locks live (taken before an output's lock)."""
        return self.root / ".msmanual" / "locks"

    def standards(self) -> list[str]:
        """Return the ids of all clause maps."""
        return [p.stem for p in self.files("clause_maps")]

    def companies(self) -> list[str]:
        """Return the ids of all company profiles."""
        # A file named ...yaml or .x.yaml names no company: its id would be a path, or hidden.
        return sorted(
            p.stem
            for p in self.profiles_dir.glob("*.yaml")
            if p.is_file() and not p.stem.startswith(".") and p.stem
        )

    def correspondences(self) -> list[Path]:
        """Return the correspondence table files."""
        return self.files("clause_maps/correspondences")

    def clause_map_path(self, standard: str) -> Path:
        """Return the clause map file of a standard, or raise with the known ids."""
        if standard not in self.standards():
            raise UnknownNameError("standard", standard, self.standards())
        return self.find(f"clause_maps/{standard}.yaml")

    def profile_path(self, company: str) -> Path:
        """Return the profile file of a company, or raise with the known ids."""
        path = self.profiles_dir / f"{company}.yaml"
        # Looked up directly: listing every profile for each company made a batch quadratic.
        if "/" in company or company in ("", ".", "..") or not path.is_file():
            raise UnknownNameError("company", company, self.companies())
        return path

    def display(self, path: Path) -> str:
        """Return path relative to the root (or bundled:… for package data), for messages."""
        resolved = path.resolve()
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            pass
        try:
            return f"{BUNDLED_DISPLAY}:{resolved.relative_to(self.bundled).as_posix()}"
        except ValueError:
            return str(path)
