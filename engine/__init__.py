"""msmanual: generate management-system manuals and their companion documents as DOCX."""

__version__ = "0.1.0"
