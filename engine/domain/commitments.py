"""What a company commits to: each frequency, deadline or period, with where its value came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from engine.inputs.models import CommitmentRegister, CompanyProfile, Text

Source = Literal["profile", "confirmed", "default"]


@dataclass(frozen=True)
class Commitment:
    """One commitment as the documents state it."""

    id: str
    what: Text
    value: Text
    source: Source  # profile: the company's own value; confirmed/default: the register's

    @property
    def unconfirmed(self) -> bool:
        """Return whether the value is the register's default nobody has confirmed."""
        return self.source == "default"


def resolve_commitments(
    register: CommitmentRegister | None, profile: CompanyProfile
) -> dict[str, Commitment]:
    """Return every commitment of the register, valued from the profile where it says so."""
    found: dict[str, Commitment] = {}
    for key, default in (register.commitments if register else {}).items():
        given = profile.commitments.get(key)
        if isinstance(given, Text):
            found[key] = Commitment(key, default.what, given, "profile")
        elif given == "default":
            found[key] = Commitment(key, default.what, default.value, "confirmed")
        else:
            found[key] = Commitment(key, default.what, default.value, "default")
    return found


@dataclass(frozen=True)
class RegisterEntry:
    """A commitment the documents make, with every place they state it."""

    commitment: Commitment
    places: list[tuple[str, str]]  # (document, heading)


def commitment_register(
    commitments: dict[str, Commitment], uses: list[tuple[str, str, str]]
) -> list[RegisterEntry]:
    """Return the commitments used, in register order, each with its (document, heading) places.

    uses: (document, commitment id, heading) as the documents recorded them.
    """
    places: dict[str, list[tuple[str, str]]] = {}
    for document, key, where in uses:
        found = places.setdefault(key, [])
        if (document, where) not in found:
            found.append((document, where))
    return [RegisterEntry(c, places[key]) for key, c in commitments.items() if key in places]
