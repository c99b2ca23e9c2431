"""Where inputs live: a workspace root holding clause_maps/, company_profiles/ and templates/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.errors import EngineError, UnknownNameError


@dataclass(frozen=True)
class Workspace:
    """A consultant's workspace; every input path is derived from its root."""

    root: Path

    @classmethod
    def open(cls, root: Path) -> Workspace:
        """Return the workspace at root, checking that its input folders exist."""
        root = root.resolve()
        missing = [
            name
            for name in ("clause_maps", "company_profiles", "templates")
            if not (root / name).is_dir()
        ]
        if missing:
            raise EngineError(
                f"{root} is not a workspace: missing folder(s) {', '.join(missing)} — "
                "run from the project folder or pass --root DIR"
            )
        return cls(root)

    @property
    def clause_maps_dir(self) -> Path:
        """Folder of clause maps, one YAML file per standard."""
        return self.root / "clause_maps"

    @property
    def correspondences_dir(self) -> Path:
        """Folder of correspondence tables between standards."""
        return self.clause_maps_dir / "correspondences"

    @property
    def profiles_dir(self) -> Path:
        """Folder of company profiles, one YAML file per company."""
        return self.root / "company_profiles"

    @property
    def templates_dir(self) -> Path:
        """Folder of section templates, reference documents and labels."""
        return self.root / "templates"

    @property
    def default_output_dir(self) -> Path:
        """Where documents go when no --out is given."""
        return self.root / "output"

    def standards(self) -> list[str]:
        """Return the ids of all clause maps."""
        return _stems(self.clause_maps_dir)

    def companies(self) -> list[str]:
        """Return the ids of all company profiles."""
        return _stems(self.profiles_dir)

    def correspondences(self) -> list[Path]:
        """Return the correspondence table files."""
        if not self.correspondences_dir.is_dir():
            return []
        return sorted(self.correspondences_dir.glob("*.yaml"))

    def clause_map_path(self, standard: str) -> Path:
        """Return the clause map file of a standard, or raise with the known ids."""
        if standard not in self.standards():
            raise UnknownNameError("standard", standard, self.standards())
        return self.clause_maps_dir / f"{standard}.yaml"

    def profile_path(self, company: str) -> Path:
        """Return the profile file of a company, or raise with the known ids."""
        path = self.profiles_dir / f"{company}.yaml"
        # Looked up directly: listing every profile for each company made a batch quadratic.
        if "/" in company or company in ("", ".", "..") or not path.is_file():
            raise UnknownNameError("company", company, self.companies())
        return path

    def display(self, path: Path) -> str:
        """Return path relative to the root when inside it, for messages."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def _stems(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml") if p.is_file())
