"""Lab checks: ``check_...(client, ...)`` functions returning self-rendering results."""

from .base import CheckItem, CheckResult, combine

__all__ = ["CheckItem", "CheckResult", "combine"]
