"""Refuse a document a user hands in before reading it when it is too big or a zip bomb."""

from __future__ import annotations

import zipfile
from pathlib import Path

from engine import limits
from engine.errors import InputError, Problem


def check_size(path: Path, display: str) -> None:
    """Raise InputError when the file is missing or larger than any manual needs to be."""
    if not path.is_file():
        raise InputError([Problem(display, message="file not found", hint="check the path")])
    size = path.stat().st_size
    if size > limits.MAX_INPUT_DOCUMENT_BYTES:
        raise InputError(
            [
                Problem(
                    display,
                    message=f"the file is {size:,} bytes, more than the "
                    f"{limits.MAX_INPUT_DOCUMENT_BYTES:,} a manual may have",
                    hint="remove embedded pictures or send the manual's text alone",
                )
            ]
        )


def check_zip(path: Path, display: str, kind: str) -> None:
    """Raise InputError when a zip package (.docx, .odt) has too many or too large entries."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(
            [Problem(display, message=f"not a readable {kind} file ({exc})", hint="re-save it")]
        ) from None
    if len(entries) > limits.MAX_ZIP_ENTRIES:
        raise InputError(
            [
                Problem(
                    display,
                    message=f"the {kind} package has {len(entries):,} parts, more than "
                    f"{limits.MAX_ZIP_ENTRIES:,}",
                    hint="re-save it from Word or WPS; a manual never needs that many",
                )
            ]
        )
    total = sum(entry.file_size for entry in entries)
    if total > limits.MAX_ZIP_UNCOMPRESSED_BYTES:
        raise InputError(
            [
                Problem(
                    display,
                    message=f"the {kind} package unpacks to {total:,} bytes, more than "
                    f"{limits.MAX_ZIP_UNCOMPRESSED_BYTES:,}",
                    hint="remove embedded pictures and objects, or send the text alone",
                )
            ]
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 1_000_000 and ratio > limits.MAX_ZIP_COMPRESSION_RATIO:
            raise InputError(
                [
                    Problem(
                        display,
                        message=f"part {entry.filename} unpacks {ratio:.0f} times its packed "
                        f"size (more than {limits.MAX_ZIP_COMPRESSION_RATIO})",
                        hint="this is not a normal document; re-save it from Word or WPS",
                    )
                ]
            )
