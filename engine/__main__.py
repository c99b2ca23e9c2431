"""Allow ``python -m engine``."""

from engine.launch import main

main()
