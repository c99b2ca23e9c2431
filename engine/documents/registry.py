"""The document kinds `generate` can write: one record per kind, found in engine.documents.kinds.

A kind is one module in ``engine/documents/kinds/`` that defines ``KIND = DocumentKind(...)``;
the CLI's --doc choices, the default set, batches, the Markdown export, document numbers,
required labels and the golden tests all read this registry.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from engine.documents.model import Document
from engine.documents.templating import TemplateSet
from engine.domain.views import Views
from engine.errors import UnknownNameError
from engine.inputs.models import CompanyProfile, Language, ManualOutline
from engine.inputs.yamlio import YamlDocument

KINDS_PACKAGE = "engine.documents.kinds"


@dataclass(frozen=True)
class DocumentKind:
    """What the engine knows about one kind of document."""

    id: str  # --doc name, file stem and numbering key: "manual" → manual.docx, manual.en.docx
    title_label: str  # labels.yaml key of the printed title, in every language
    help: str  # one line for `msmanual list` and --help
    build: Callable[[SetInputs], Document | list[Document]]  # several: one file each
    default_number: str  # numbering pattern when the profile gives none ({abbr}, {sys}, {manual})
    order: int  # position in the set and in listings
    in_default_set: bool = True  # False: written only when asked for with --doc
    labels: frozenset[str] = field(default_factory=frozenset)  # label keys the builder reads
    # Whether a profile has what the kind needs (the audit checklist needs internal_audit:).
    available: Callable[[CompanyProfile], bool] = lambda profile: True

    def file_name(self, lang: Language, suffix: str = ".docx") -> str:
        """Return the output file name: manual.docx in Chinese, manual.en.docx in English."""
        return file_name(self.id, lang, suffix)

    def documents(self, inputs: SetInputs) -> list[Document]:
        """Return the kind's documents for a set: one, or one per file of a multi-file kind."""
        built = self.build(inputs)
        return built if isinstance(built, list) else [built]


def file_name(stem: str, lang: Language, suffix: str = ".docx") -> str:
    """Return a document's file name: manual.docx in Chinese, manual.en.docx in English."""
    return f"{stem}{suffix}" if lang == "zh" else f"{stem}.{lang}{suffix}"


@dataclass
class SetInputs:
    """Everything needed to build the documents of one set in one language."""

    views: Views
    templates: TemplateSet
    logo: Path | None = None
    outline: ManualOutline | None = None
    profile_document: YamlDocument | None = None  # to locate problems in the profile
    registry: Registry = field(default_factory=lambda: _default())

    @property
    def lang(self) -> str:
        """Return the document language."""
        return self.views.lang


class Registry:
    """An ordered set of document kinds."""

    def __init__(self, kinds: Iterable[DocumentKind] = ()) -> None:
        self._kinds: dict[str, DocumentKind] = {}
        for kind in kinds:
            self.register(kind)

    def register(self, kind: DocumentKind) -> None:
        """Add a kind; its id must be new."""
        if kind.id in self._kinds:
            msg = f"document kind {kind.id!r} is registered twice"
            raise ValueError(msg)
        self._kinds[kind.id] = kind
        self._kinds = dict(sorted(self._kinds.items(), key=lambda item: item[1].order))

    def __iter__(self) -> Iterator[DocumentKind]:
        return iter(self._kinds.values())

    def __contains__(self, kind_id: object) -> bool:
        return kind_id in self._kinds

    def ids(self) -> list[str]:
        """Return every kind id, in set order."""
        return list(self._kinds)

    def default_ids(self) -> list[str]:
        """Return the kinds a plain `generate` writes."""
        return [k.id for k in self if k.in_default_set]

    def default_ids_for(self, profile: CompanyProfile) -> list[str]:
        """Return the kinds a plain `generate` writes for this company (those it has data for)."""
        return [k.id for k in self if k.in_default_set and k.available(profile)]

    def get(self, kind_id: str) -> DocumentKind:
        """Return a kind, or raise with the known ids."""
        try:
            return self._kinds[kind_id]
        except KeyError:
            raise UnknownNameError("document kind", kind_id, self.ids()) from None

    def required_labels(self) -> frozenset[str]:
        """Return the label keys every registered kind needs."""
        return frozenset().union(*(k.labels | {k.title_label} for k in self))


@cache
def default_registry() -> Registry:
    """Return the bundled kinds: every module of engine.documents.kinds that defines KIND."""
    package = importlib.import_module(KINDS_PACKAGE)
    registry = Registry()
    for module in pkgutil.iter_modules(package.__path__):
        kind = getattr(importlib.import_module(f"{KINDS_PACKAGE}.{module.name}"), "KIND", None)
        if isinstance(kind, DocumentKind):
            registry.register(kind)
    return registry


def _default() -> Registry:
    return default_registry()
