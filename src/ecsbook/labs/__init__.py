"""Hands-on labs: the moto sandbox, lab checks, and moto -> model adapters.

Import order matters: nothing here imports boto3 at import time, so ``start_lab()`` can set
fake credentials before boto3 first reads the environment.
"""

from typing import Any

from .sandbox import Lab, SandboxError, register_container_instance, start_lab


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext ecsbook.labs``: register the ``%%solution`` cell magic."""
    from .solutions import register

    register(ipython)


__all__ = ["Lab", "SandboxError", "load_ipython_extension", "register_container_instance", "start_lab"]
