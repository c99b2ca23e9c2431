"""How people reach the commands: the click CLI and the process entry point."""
