"""Plain functions the CLI and the web app both call: generate, validate, check, revise."""
