"""Document builders: one per kind, each a pure function from a set's inputs to a Document."""
