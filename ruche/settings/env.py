"""Reading settings from the environment: booleans, integers, lists, addresses."""

import os
from email.utils import getaddresses


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_addresses(name: str) -> list[tuple[str, str]]:
    """``"Ana <ana@x.fr>, ops@x.fr"`` as Django's ADMINS wants it: (name, address) pairs."""
    return [
        (name or address, address)
        for name, address in getaddresses([os.environ.get(name, "")])
        if address
    ]
