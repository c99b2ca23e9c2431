"""Where each document states a commitment: what templates call commit('id') for, and where."""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from engine.domain.commitments import Commitment
from engine.inputs.models import Language


@dataclass(frozen=True)
class CommitmentUse:
    """A commitment stated at one place of a document (a heading or part title)."""

    id: str
    where: str


@dataclass
class CommitmentLog:
    """Hands templates the value of a commitment and records where they stated it."""

    commitments: dict[str, Commitment]
    lang: Language
    where: str = ""  # the heading being written; the builder sets it
    uses: list[CommitmentUse] = field(default_factory=list)

    def commit(self, key: str) -> str:
        """Return the commitment's value in the document language, noting where it was used."""
        found = self.commitments.get(key)
        if found is None:
            known = ", ".join(sorted(self.commitments))
            msg = f"unknown commitment '{key}' — use one of: {known} (templates/commitments.yaml)"
            raise jinja2.TemplateRuntimeError(msg)
        use = CommitmentUse(key, self.where)
        if use not in self.uses:
            self.uses.append(use)
        return found.value.get(self.lang)
