"""Turning document models into files: DOCX (raw OOXML in ooxml), Markdown and PDF."""
