"""Errors shaped like Application Auto Scaling's own.

Service auto scaling is an Application Auto Scaling feature, and that service answers bad
input with ``ValidationException`` (not ECS's ``InvalidParameterException``), e.g.::

    An error occurred (ValidationException) when calling the PutScalingPolicy operation:
    Minimum capacity cannot be greater than maximum capacity

(https://docs.aws.amazon.com/autoscaling/application/APIReference/CommonErrors.html,
https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html).

``ValidationException`` subclasses :class:`~ecsbook.scheduler.errors.InvalidParameterException`
so that code written against the scheduler's contract ("every bad input raises
``InvalidParameterException`` or ``ClientException``") keeps working, while ``str(err)``
and ``err.code`` carry Application Auto Scaling's error code. It lives in its own module
because ``errors.py`` is shared; moving it there later changes no caller.
"""

from __future__ import annotations

from .errors import InvalidParameterException


class ValidationException(InvalidParameterException):
    """Application Auto Scaling rejected the request (``ValidationException``)."""

    code = "ValidationException"


__all__ = ["ValidationException"]
