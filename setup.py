"""Packaging step pyproject.toml cannot express: ship the top-level data folders inside engine.

The repository keeps clause_maps/ and templates/ at the top level (the project layout); the wheel
carries them as engine/data/clause_maps and engine/data/templates, found with importlib.resources.
"""

from setuptools import find_packages, setup

DATA = {"engine.data.clause_maps": "clause_maps", "engine.data.templates": "templates"}

setup(
    packages=[*find_packages(include=["engine", "engine.*"]), *DATA],
    package_dir=DATA,
    package_data={
        "engine": [
            "py.typed",
            "render/fonts.conf",
            "interfaces/web/templates/*.html",
            "interfaces/web/static/*",
        ],
        **{package: ["**/*.yaml", "**/*.md", "**/*.docx"] for package in DATA},
    },
)
