"""Start the web workspace on an address: loopback by default, a token for any other."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from engine.errors import EngineError


def is_loopback(host: str) -> bool:
    """Return whether host is a loopback address (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None) -> None:
    """Refuse to listen beyond this machine without a token."""
    if not is_loopback(host) and not token:
        raise EngineError(
            f"--host {host} lets other machines reach the workspace: give --token T as well "
            "(then open the address with ?token=T once)"
        )


def address(host: str, port: int, token: str | None) -> str:
    """Return the URL to open."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def serve(root: Path, host: str, port: int, token: str | None) -> None:
    """Run the app until interrupted."""
    import uvicorn

    from engine.interfaces.web.app import create_app

    check_binding(host, token)
    app = create_app(root, token)
    uvicorn.run(app, host=host, port=port, log_level="warning")
