"""Errors shaped like the ECS API's own.

Real ECS answers bad input with a ``ClientException`` or an
``InvalidParameterException`` whose message names the offending field, e.g.::

    An error occurred (InvalidParameterException) when calling the CreateService
    operation: Invalid strategy type: packbin

The model raises the same names so that a learner sees the message ECS would show.
``str(err)`` is ``"InvalidParameterException: <message>"``.

See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html
"""

from __future__ import annotations


class ECSError(Exception):
    """Base class: an error ECS itself would return. ``code`` is the ECS error code."""

    code = "ECSError"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class InvalidParameterException(ECSError):
    """The specified parameter isn't valid (ECS ``InvalidParameterException``)."""

    code = "InvalidParameterException"


class ClientException(ECSError):
    """The request is invalid for the current state (ECS ``ClientException``)."""

    code = "ClientException"


class ServerException(ECSError):
    """Raised only where real ECS would fail on its side (rare in the model)."""

    code = "ServerException"


def require_int(value: object, field: str, *, minimum: int = 0, label: str | None = None) -> int:
    """``value`` if it is an integer >= ``minimum`` (booleans are not integers here), else
    ``InvalidParameterException`` naming ``field``: "<label> must be a non-negative integer, got ...".
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        kind = {0: "non-negative", 1: "positive"}.get(minimum, f">= {minimum}")
        raise InvalidParameterException(f"{label or field} must be a {kind} integer, got {value!r}", field)
    return value


__all__ = ["ECSError", "InvalidParameterException", "ClientException", "ServerException", "require_int"]
