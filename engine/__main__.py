"""Allow ``python -m engine``."""

from engine.interfaces.launch import main

main()
