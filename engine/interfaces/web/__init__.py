"""The local web workspace (msmanual serve): the same commands as the CLI, in a browser."""
