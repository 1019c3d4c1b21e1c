"""The ECS cluster query language, used by ``memberOf`` placement constraints.

Grammar, from "Create expressions to define container instances for Amazon ECS tasks"
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-query-language.html)::

    expression := subject operator [argument]
                | expression (and|&&) expression | expression (or|||) expression
                | (not|!) expression | ( expression )

Subjects: ``agentConnected``, ``agentVersion``, ``attribute:<name>``, ``ec2InstanceId``,
``registeredAt``, ``runningTasksCount``, ``task:group``.

Operators: ``==`` (``equals``), ``!=`` (``not_equals``), ``>`` (``greater_than``), ``>=``
(``greater_than_equal``), ``<`` (``less_than``), ``<=`` (``less_than_equal``), ``exists``,
``!exists`` (``not_exists``), ``in``, ``!in`` (``not_in``), ``=~`` (``matches``), ``!~``
(``not_matches``). ``in``/``not_in`` take a list ``[a, b]``; ``=~`` takes a pattern where
``*`` is a wildcard (the model also accepts regular expressions).

``task:group`` is true for an instance that runs at least one task of the named group:
``task:group == service:web`` is affinity with that service, ``not(task:group == database)``
anti-affinity.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from .errors import InvalidParameterException

if TYPE_CHECKING:
    from .state import ClusterState, ContainerInstance

SUBJECTS = ("agentConnected", "agentVersion", "ec2InstanceId", "registeredAt", "runningTasksCount", "task:group")
OPERATORS = {
    "==": "==", "equals": "==", "!=": "!=", "not_equals": "!=",
    ">": ">", "greater_than": ">", ">=": ">=", "greater_than_equal": ">=",
    "<": "<", "less_than": "<", "<=": "<=", "less_than_equal": "<=",
    "exists": "exists", "!exists": "!exists", "not_exists": "!exists",
    "in": "in", "!in": "!in", "not_in": "!in",
    "=~": "=~", "matches": "=~", "!~": "!~", "not_matches": "!~",
}
_TOKEN = re.compile(r"""\s*(?:(\()|(\))|(\[)|(\])|(,)|(&&|\|\|)|'([^']*)'|"([^"]*)"|([^\s()\[\],]+))""")


@dataclass(frozen=True)
class Comparison:
    subject: str
    op: str
    value: Union[str, tuple[str, ...], None]


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Not:
    expr: "Expr"


Expr = Union[Comparison, BoolOp, Not]


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise InvalidParameterException(f"Invalid expression near {text[pos:]!r}", "expression")
        groups = m.groups()
        tok = next(g for g in groups if g is not None)
        if groups[6] is not None or groups[7] is not None:
            tok = "\x00" + tok  # quoted literal: never a keyword
        out.append(tok)
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise InvalidParameterException(f"Invalid expression {self.text!r}: unexpected end", "expression")
        self.i += 1
        return tok

    def fail(self, msg: str) -> InvalidParameterException:
        return InvalidParameterException(f"Invalid expression {self.text!r}: {msg}", "expression")

    def parse(self) -> Expr:
        if not self.toks:
            raise self.fail("empty")
        e = self.or_expr()
        if self.peek() is not None:
            raise self.fail(f"unexpected {self.peek()!r}")
        return e

    def or_expr(self) -> Expr:
        e = self.and_expr()
        while self.peek() in ("or", "||"):
            self.take()
            e = BoolOp("or", e, self.and_expr())
        return e

    def and_expr(self) -> Expr:
        e = self.unary()
        while self.peek() in ("and", "&&"):
            self.take()
            e = BoolOp("and", e, self.unary())
        return e

    def unary(self) -> Expr:
        tok = self.peek()
        if tok in ("not", "!"):
            self.take()
            return Not(self.unary())
        if tok == "(":
            self.take()
            e = self.or_expr()
            if self.take() != ")":
                raise self.fail("missing ')'")
            return e
        return self.comparison()

    def comparison(self) -> Comparison:
        subject = self.take().lstrip("\x00")
        if subject.startswith("!") and len(subject) > 1 and subject != "!=":
            # "!task:group == x" is not valid; be explicit
            raise self.fail(f"unknown subject {subject!r}")
        if not (subject in SUBJECTS or (subject.startswith("attribute:") and len(subject) > 10)):
            raise self.fail(
                f"unknown subject {subject!r}; use attribute:<name>, {', '.join(SUBJECTS)}")
        op_tok = self.peek()
        if op_tok is None or op_tok not in OPERATORS:
            raise self.fail(f"expected an operator after {subject!r}, got {op_tok!r}")
        op = OPERATORS[self.take()]
        if op in ("exists", "!exists"):
            return Comparison(subject, op, None)
        if op in ("in", "!in"):
            if self.take() != "[":
                raise self.fail(f"'{op}' needs a list like [a, b]")
            items: list[str] = []
            while True:
                tok = self.take()
                if tok == "]":
                    break
                if tok == ",":
                    continue
                items.append(tok.lstrip("\x00"))
            if not items:
                raise self.fail("empty list")
            return Comparison(subject, op, tuple(items))
        value = self.peek()
        if value is None or value in ("(", ")", "[", "]", ",", "and", "or", "&&", "||"):
            raise self.fail(f"'{op}' needs a value")
        self.take()
        return Comparison(subject, op, value.lstrip("\x00"))


def parse(expression: str) -> Expr:
    """Parse a cluster query expression or raise ``InvalidParameterException``."""
    if not isinstance(expression, str):
        raise InvalidParameterException(f"expression must be a string, got {expression!r}", "expression")
    if len(expression) > 2000:
        raise InvalidParameterException("expression is longer than 2000 characters", "expression")
    return _Parser(expression).parse()


def _subject_values(subject: str, inst: "ContainerInstance", cluster: "ClusterState | None") -> list[str] | None:
    if subject.startswith("attribute:"):
        attrs = inst.all_attributes()
        name = subject[len("attribute:"):]
        if name not in attrs:
            return None
        v = attrs[name]
        return [""] if v is None else [str(v)]
    if subject == "ec2InstanceId":
        return [inst.ec2_instance_id]
    if subject == "agentConnected":
        return [str(inst.agent_connected).lower()]
    if subject == "agentVersion":
        return [inst.agent_version]
    if subject == "registeredAt":
        return [inst.registered_at]
    if subject == "runningTasksCount":
        return [str(inst.running_tasks_count)]
    if subject == "task:group":
        if cluster is None:
            return []
        return sorted({t.group for t in cluster.tasks_on(inst.arn)})
    raise InvalidParameterException(f"unknown subject {subject!r}", "expression")


def _cmp(a: str, b: str, op: str) -> bool:
    try:
        x: float | str
        y: float | str
        x, y = float(a), float(b)
    except ValueError:
        x, y = a, b
    if op == ">":
        return x > y  # type: ignore[operator]
    if op == ">=":
        return x >= y  # type: ignore[operator]
    if op == "<":
        return x < y  # type: ignore[operator]
    return x <= y  # type: ignore[operator]


def _match(value: str, pattern: str) -> bool:
    if fnmatch.fnmatchcase(value, pattern):
        return True
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        return False


def evaluate(expr: Expr, inst: "ContainerInstance", cluster: "ClusterState | None" = None) -> bool:
    if isinstance(expr, BoolOp):
        if expr.op == "and":
            return evaluate(expr.left, inst, cluster) and evaluate(expr.right, inst, cluster)
        return evaluate(expr.left, inst, cluster) or evaluate(expr.right, inst, cluster)
    if isinstance(expr, Not):
        return not evaluate(expr.expr, inst, cluster)
    values = _subject_values(expr.subject, inst, cluster)
    op, arg = expr.op, expr.value
    if op == "exists":
        return bool(values)
    if op == "!exists":
        return not values
    if not values:
        return op in ("!=", "!in", "!~")
    if op == "==":
        return any(v == arg or (isinstance(arg, str) and "*" in arg and fnmatch.fnmatchcase(v, arg))
                   for v in values)
    if op == "!=":
        return not any(v == arg for v in values)
    if op == "in":
        return any(v in (arg or ()) for v in values)
    if op == "!in":
        return not any(v in (arg or ()) for v in values)
    if op == "=~":
        return any(_match(v, str(arg)) for v in values)
    if op == "!~":
        return not any(_match(v, str(arg)) for v in values)
    return any(_cmp(v, str(arg), op) for v in values)


def matches(expression: str | Expr, inst: "ContainerInstance", cluster: "ClusterState | None" = None) -> bool:
    """Does this container instance satisfy the expression?"""
    expr = parse(expression) if isinstance(expression, str) else expression
    return evaluate(expr, inst, cluster)
