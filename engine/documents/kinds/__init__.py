"""One module per document kind `generate` writes; each defines KIND (engine.documents.registry)."""
