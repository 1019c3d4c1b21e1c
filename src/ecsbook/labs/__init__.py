"""Hands-on labs: the moto sandbox, lab checks, and moto -> model adapters.

Import order matters: nothing here imports boto3 at import time, so ``start_lab()`` can set
fake credentials before boto3 first reads the environment.
"""

from .sandbox import Lab, SandboxError, register_container_instance, start_lab

__all__ = ["Lab", "SandboxError", "register_container_instance", "start_lab"]
