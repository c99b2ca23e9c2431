"""Reading and checking input files: YAML, schema models, labels, the workspace, profile edits."""
