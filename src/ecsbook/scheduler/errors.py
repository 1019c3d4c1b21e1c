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


__all__ = ["ECSError", "InvalidParameterException", "ClientException", "ServerException"]
