"""Every bound on the work an input can cause, in one place.

validate, generate, revise, audit and the web workspace all read these, and README.md
("Reliability") states them.
"""

from __future__ import annotations

# YAML inputs (profiles, clause maps, labels, assessments).
MAX_YAML_BYTES = 20_000_000
MAX_YAML_SCALAR_CHARS = 100_000
MAX_YAML_NODES = 2_000_000

# Text a template may produce for one section or part of a document.
MAX_TEMPLATE_OUTPUT_CHARS = 2_000_000

# Documents a user hands in (audit of an existing manual; uploads in the web workspace).
MAX_INPUT_DOCUMENT_BYTES = 50_000_000
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_UNCOMPRESSED_BYTES = 200_000_000
MAX_ZIP_COMPRESSION_RATIO = 100

# How long a run waits for another run on the same company before it gives up (--lock-timeout).
LOCK_TIMEOUT_SECONDS = 60.0

# Rendering one template (a section, a procedure, an XML part of a reference document).
MAX_TEMPLATE_SECONDS = 10.0
MAX_TEMPLATE_OPERATIONS = 5_000_000  # attribute reads, calls and loop steps
MAX_TEMPLATE_NUMBER = 100_000  # widths and counts given to filters, exponents, repetitions

# Profile texts (in each language): names (company, department, role, person) and paragraphs.
MAX_NAME_CHARS = 200
MAX_PARAGRAPH_CHARS = 5_000

# A company logo (PNG or JPEG beside the profile).
MAX_LOGO_BYTES = 5_000_000

# Headings audit weighs in one manual (each is compared with every clause of the standard).
MAX_INPUT_HEADINGS = 5_000
