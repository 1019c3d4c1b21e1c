"""What the sandbox adds to moto: ECS's own answers to requests moto accepts.

moto stores almost any request. Real ECS, Application Auto Scaling and IAM refuse many of
them, and the refusal *is* the lesson ("Fargate only supports network mode 'awsvpc'."). The
sandbox checks these requests before moto sees them, with the scheduler model's rules where
the model has them, and answers with the error AWS returns: a botocore ``ClientError`` whose
code is ``ClientException``, ``InvalidParameterException``, ``ValidationException`` ... and
whose message is AWS's documented message where AWS documents one.

How: :func:`install` registers two botocore event handlers on a client.
``before-parameter-build`` runs the rule for the operation on the parameters the learner
passed and, if the rule rejects them, remembers the error; ``before-call`` then returns that
error as the HTTP 400 response, so botocore raises it exactly where it raises AWS's own
errors (after its client-side parameter validation, before anything reaches moto).

:data:`RULES` is the list the labs intro page shows ("What the sandbox adds to moto"); a
test checks that every rule here has a row there and a test of its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ecsbook.scheduler import capacity, deployments, fargate, placement
from ecsbook.scheduler.errors import ECSError
from ecsbook.scheduler.state import TaskDefinition

if TYPE_CHECKING:  # pragma: no cover
    from .sandbox import Lab

ECS_API = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/"
AAS_API = "https://docs.aws.amazon.com/autoscaling/application/APIReference/"


class Rejected(Exception):
    """A request AWS would refuse: the error code and message AWS returns."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Rule:
    """One check the sandbox adds: which API, what AWS refuses, the code, and the doc page."""

    api: str  # "ecs.RegisterTaskDefinition"
    what: str  # what AWS refuses
    code: str
    message: str  # how the sandbox's message starts
    wording: str  # "AWS (documented)", "AWS (as returned)" or "sandbox" (AWS publishes none)
    doc: str  # the AWS page that states the rule


_DOCS, _SEEN, _OURS = "AWS (documented)", "AWS (as returned)", "sandbox"

#: Every added validation, in the order of the table on labs/intro.md.
RULES: tuple[Rule, ...] = (
    Rule("ecs.RegisterTaskDefinition", "a `FARGATE` task definition whose `networkMode` is not `awsvpc`",
         "ClientException", "Fargate only supports network mode 'awsvpc'.", _SEEN,
         ECS_API + "API_RegisterTaskDefinition.html"),
    Rule("ecs.RegisterTaskDefinition", "a `FARGATE` task definition without task-level `cpu` or `memory`",
         "ClientException", "Fargate requires that 'cpu' be defined at the task level.", _SEEN,
         ECS_API + "API_RegisterTaskDefinition.html"),
    Rule("ecs.RegisterTaskDefinition", "a `cpu`/`memory` pair that is not in the Fargate table",
         "ClientException", "Invalid 'cpu' setting for task.", _DOCS,
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html"),
    Rule("ecs.RegisterTaskDefinition", "`awslogs` or a private ECR image on Fargate without `executionRoleArn`",
         "ClientException", "Fargate requires task definition to have execution role ARN to support log "
         "driver awslogs.", _SEEN,
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"),
    Rule("ecs.RegisterTaskDefinition", "in `awsvpc` or `host` mode, a `hostPort` that differs from the "
         "`containerPort`", "ClientException", "When networkMode=awsvpc, the host ports and container ports "
         "in port mappings must match", _SEEN, ECS_API + "API_PortMapping.html"),
    Rule("ecs.RegisterTaskDefinition", "`ephemeralStorage.sizeInGiB` outside 21..200", "ClientException",
         "Invalid ephemeralStorage.sizeInGiB 20: the minimum supported value is 21 GiB and the maximum "
         "supported value is 200 GiB", _OURS, ECS_API + "API_EphemeralStorage.html"),
    Rule("ecs.CreateService", "`DAEMON` with the `FARGATE` launch type (or a Fargate capacity provider) or "
         "with the `CODE_DEPLOY` or `EXTERNAL` deployment controller", "InvalidParameterException",
         "Tasks using the Fargate launch type or the CODE_DEPLOY or EXTERNAL deployment controller types "
         "don't support the DAEMON scheduling strategy.", _DOCS, ECS_API + "API_CreateService.html"),
    Rule("ecs.CreateService, UpdateService", "a `DAEMON` service with `maximumPercent` other than 100",
         "InvalidParameterException", "maximumPercent must be 100 for a service that uses the DAEMON "
         "scheduling strategy", _OURS, ECS_API + "API_DeploymentConfiguration.html"),
    Rule("ecs.CreateService, UpdateService", "a `DAEMON` service with a placement strategy",
         "InvalidParameterException", "Placement strategies are not supported with the DAEMON scheduling "
         "strategy", _OURS, "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service-options.html"),
    Rule("ecs.CreateService, UpdateService, RunTask", "both `launchType` and `capacityProviderStrategy`",
         "InvalidParameterException", "Specifying both a launch type and capacity provider strategy is not "
         "supported. Remove one and try again.", _SEEN, ECS_API + "API_CreateService.html"),
    Rule("ecs.CreateService, UpdateService", "`minimumHealthyPercent` outside 0..100, `maximumPercent` not "
         "above 0 or below `minimumHealthyPercent`", "InvalidParameterException",
         "minimumHealthyPercent must be between 0 and 100", _OURS, ECS_API + "API_DeploymentConfiguration.html"),
    Rule("ecs.CreateService, UpdateService, RunTask", "a placement strategy or constraint ECS cannot parse "
         "(type, field, cluster query language), more than 5 strategies or 10 constraints",
         "InvalidParameterException", "Invalid strategy type: packbin. Valid types are binpack, spread, random",
         _OURS, ECS_API + "API_PlacementStrategy.html"),
    Rule("ecs.CreateService, UpdateService, RunTask", "placement strategies or constraints on Fargate",
         "InvalidParameterException", "Task placement strategies and constraints are not supported with the "
         "FARGATE launch type", _OURS, ECS_API + "API_PlacementConstraint.html"),
    Rule("ecs.PutClusterCapacityProviders, CreateService, UpdateService, RunTask", "a capacity provider "
         "strategy with a base on more than one provider", "InvalidParameterException",
         "Only one capacity provider in a capacity provider strategy can have a base defined", _DOCS,
         ECS_API + "API_CapacityProviderStrategyItem.html"),
    Rule("ecs.PutClusterCapacityProviders, CreateService, UpdateService, RunTask", "a capacity provider "
         "strategy with no weight above 0, a provider named twice, or a provider not associated with the "
         "cluster", "InvalidParameterException", "At least one capacity provider in a capacity provider "
         "strategy must have a weight greater than zero.", _OURS, ECS_API + "API_CapacityProviderStrategyItem.html"),
    Rule("ecs.RunTask", "`count` outside 1..10", "InvalidParameterException",
         "count must be between 1 and 10, got 11: you can specify up to 10 tasks for each RunTask call.",
         _OURS, ECS_API + "API_RunTask.html"),
    Rule("application-autoscaling.RegisterScalableTarget, PutScalingPolicy, PutScheduledAction", "an ECS "
         "`ResourceId` that is not `service/<cluster>/<service>`, or a dimension other than "
         "`ecs:service:DesiredCount`", "ValidationException",
         "Unsupported service namespace, resource type or scalable dimension", _SEEN,
         AAS_API + "API_RegisterScalableTarget.html"),
    Rule("application-autoscaling.RegisterScalableTarget", "`MinCapacity` greater than `MaxCapacity`",
         "ValidationException", "Minimum capacity cannot be greater than maximum capacity", _OURS,
         AAS_API + "API_RegisterScalableTarget.html"),
    Rule("application-autoscaling.PutScalingPolicy", "a policy for a scalable target that is not registered",
         "ObjectNotFoundException", "No scalable target registered for service namespace: ecs, resource ID: "
         "service/prod/api, scalable dimension: ecs:service:DesiredCount", _OURS,
         AAS_API + "API_PutScalingPolicy.html"),
    Rule("application-autoscaling.PutScalingPolicy", "step adjustments whose ranges overlap or leave a gap, "
         "or that break the null-bound rules", "ValidationException",
         "The ranges of your step adjustments can't overlap or have a gap", _DOCS,
         AAS_API + "API_StepAdjustment.html"),
    Rule("application-autoscaling.PutScalingPolicy", "target tracking without a predefined or customized "
         "metric", "ValidationException", "A target tracking scaling policy needs a "
         "PredefinedMetricSpecification", _OURS, AAS_API + "API_TargetTrackingScalingPolicyConfiguration.html"),
    Rule("iam.CreateRole, UpdateAssumeRolePolicy, PutRolePolicy", "a policy document that is not JSON, or a "
         "statement without `Action` (or, in a trust policy, without `Principal`)", "MalformedPolicyDocument",
         "This policy contains invalid Json", _SEEN,
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"),
    Rule("any call", "a request that makes moto itself fail (an exception inside moto)",
         "InvalidParameterException (ECS), ValidationException (Application Auto Scaling)",
         "The sandbox could not process this RunTask request (...): moto, the stand-in for AWS, does not "
         "handle it.", _OURS, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html"),
)


def rules_table() -> str:
    """The "What the sandbox adds to moto" table (MyST Markdown), generated from :data:`RULES`."""
    rows = ["| API | AWS refuses | Error code | Message (start) | Wording | Rule |",
            "|---|---|---|---|---|---|"]
    for r in RULES:
        page = r.doc.rsplit("/", 1)[-1].replace(".html", "")
        msg = r.message.replace("|", "\\|")
        rows.append(f"| `{r.api}` | {r.what} | `{r.code}` | {msg} | {r.wording} | [{page}]({r.doc}) |")
    return "\n".join(rows)


Check = Callable[[Mapping[str, Any], "Lab"], None]
_CHECKS: dict[tuple[str, str], list[Check]] = {}


def _rule(service: str, *operations: str) -> Callable[[Check], Check]:
    def deco(fn: Check) -> Check:
        for op in operations:
            _CHECKS.setdefault((service, op), []).append(fn)
        return fn
    return deco


def _model(err: ECSError) -> Rejected:
    return Rejected(err.code, err.message)


# ----------------------------------------------------------------------------- ECS


@_rule("ecs", "RegisterTaskDefinition")
def _task_definition(p: Mapping[str, Any], lab: Lab) -> None:
    data = {**p, "family": p.get("family") or "unnamed"}
    try:
        TaskDefinition.from_api(data)
    except ECSError as err:
        if err.field != "memory":  # moto answers the container memory rule itself, as ECS does
            raise _model(err) from None
    except (TypeError, ValueError, AttributeError):  # malformed beyond the model: moto answers
        return
    if "FARGATE" in (p.get("requiresCompatibilities") or ()):
        try:
            fargate.validate_task_definition(p)
        except ECSError as err:
            raise _model(err) from None


def _fargate_strategy(p: Mapping[str, Any]) -> bool:
    return any(str(i.get("capacityProvider")) in capacity.FARGATE_PROVIDERS
               for i in p.get("capacityProviderStrategy") or [] if isinstance(i, Mapping))


def _placement(p: Mapping[str, Any], *, fargate_launch: bool) -> None:
    try:
        strategies = placement.validate_strategy(p.get("placementStrategy"))
        constraints = placement.validate_constraints(p.get("placementConstraints"))
    except ECSError as err:
        raise _model(err) from None
    if fargate_launch and (strategies or constraints):
        raise Rejected("InvalidParameterException",
                       "Task placement strategies and constraints are not supported with the FARGATE launch "
                       "type: Fargate spreads tasks across the Availability Zones of your subnets itself.")


def _launch_type_or_strategy(p: Mapping[str, Any]) -> None:
    if p.get("launchType") and p.get("capacityProviderStrategy"):
        raise Rejected("InvalidParameterException",
                       "Specifying both a launch type and capacity provider strategy is not supported. "
                       "Remove one and try again.")


def _cluster(lab: Lab, name: Any) -> dict[str, Any] | None:
    found = lab.client("ecs").describe_clusters(clusters=[str(name or "default")]).get("clusters", [])
    return dict(found[0]) if found else None


def _strategy(items: Any, cluster: Mapping[str, Any] | None, *, need_weight: bool = True) -> None:
    try:
        parsed = capacity.validate_strategy(items)
    except ECSError as err:
        raise _model(err) from None
    if need_weight and not any(w > 0 for _, _, w in parsed):
        raise Rejected("InvalidParameterException",
                       "At least one capacity provider in a capacity provider strategy must have a weight "
                       "greater than zero.")
    if cluster is not None:
        have = set(cluster.get("capacityProviders") or [])
        missing = [n for n, _, _ in parsed if n not in have]
        if missing:
            raise Rejected("InvalidParameterException",
                           f"The specified capacity provider strategy cannot contain a capacity provider that "
                           f"is not associated with the cluster ({missing[0]}). Associate it with "
                           "PutClusterCapacityProviders first.")


def _deployment(p: Mapping[str, Any], scheduling: str) -> None:
    cfg = {k: v for k, v in (p.get("deploymentConfiguration") or {}).items()
           if k in ("minimumHealthyPercent", "maximumPercent")}
    try:
        deployments.deployment_bounds(0, cfg, scheduling_strategy=scheduling)
    except ECSError as err:
        raise _model(err) from None


@_rule("ecs", "CreateService")
def _create_service(p: Mapping[str, Any], lab: Lab) -> None:
    _launch_type_or_strategy(p)
    scheduling = str(p.get("schedulingStrategy") or "REPLICA")
    on_fargate = p.get("launchType") == "FARGATE" or _fargate_strategy(p)
    controller = (p.get("deploymentController") or {}).get("type", "ECS")
    if scheduling == "DAEMON":
        if on_fargate or controller in ("CODE_DEPLOY", "EXTERNAL"):
            raise Rejected("InvalidParameterException",
                           "Tasks using the Fargate launch type or the CODE_DEPLOY or EXTERNAL deployment "
                           "controller types don't support the DAEMON scheduling strategy.")
        if p.get("placementStrategy"):
            raise Rejected("InvalidParameterException", DAEMON_NO_STRATEGY)
    _deployment(p, scheduling if scheduling in ("REPLICA", "DAEMON") else "REPLICA")
    _placement_and_strategy(p, lab, on_fargate)


DAEMON_NO_STRATEGY = ("Placement strategies are not supported with the DAEMON scheduling strategy: a "
                      "daemon runs one task on every instance that meets the placement constraints.")


def _placement_and_strategy(p: Mapping[str, Any], lab: Lab, on_fargate: bool) -> None:
    """What CreateService and UpdateService both check: placement syntax, and the strategy."""
    _placement(p, fargate_launch=on_fargate)
    if p.get("capacityProviderStrategy"):
        _strategy(p["capacityProviderStrategy"], _cluster(lab, p.get("cluster")))


@_rule("ecs", "UpdateService")
def _update_service(p: Mapping[str, Any], lab: Lab) -> None:
    _launch_type_or_strategy(p)
    found = lab.client("ecs").describe_services(cluster=str(p.get("cluster") or "default"),
                                                services=[str(p.get("service", ""))]).get("services", [])
    current = found[0] if found else {}
    scheduling = str(current.get("schedulingStrategy") or "REPLICA")
    if scheduling == "DAEMON" and p.get("placementStrategy"):
        raise Rejected("InvalidParameterException", DAEMON_NO_STRATEGY)
    if p.get("deploymentConfiguration"):
        _deployment(p, scheduling)
    _placement_and_strategy(p, lab, current.get("launchType") == "FARGATE" or _fargate_strategy(p))


@_rule("ecs", "RunTask")
def _run_task(p: Mapping[str, Any], lab: Lab) -> None:
    _launch_type_or_strategy(p)
    count = p.get("count", 1)
    if isinstance(count, int) and not 1 <= count <= 10:
        raise Rejected("InvalidParameterException",
                       f"count must be between 1 and 10, got {count}: you can specify up to 10 tasks for each "
                       "RunTask call.")
    _placement(p, fargate_launch=p.get("launchType") == "FARGATE" or _fargate_strategy(p))
    if p.get("capacityProviderStrategy"):
        _strategy(p["capacityProviderStrategy"], _cluster(lab, p.get("cluster")))


@_rule("ecs", "PutClusterCapacityProviders")
def _cluster_providers(p: Mapping[str, Any], lab: Lab) -> None:
    items = p.get("defaultCapacityProviderStrategy") or []
    if items:
        _strategy(items, {"capacityProviders": p.get("capacityProviders") or []})


# ----------------------------------------------------------------------------- Application Auto Scaling

_ECS_RESOURCE = re.compile(r"^service/[A-Za-z0-9_-]{1,255}/[A-Za-z0-9_-]{1,255}$")


def _ecs_target(p: Mapping[str, Any]) -> None:
    if p.get("ServiceNamespace") != "ecs":
        return
    rid = str(p.get("ResourceId", ""))
    dim = p.get("ScalableDimension")
    if not _ECS_RESOURCE.match(rid) or (dim is not None and dim != "ecs:service:DesiredCount"):
        raise Rejected("ValidationException",
                       f"Unsupported service namespace, resource type or scalable dimension (ResourceId "
                       f"{rid!r}, ScalableDimension {dim!r}). For an ECS service use ResourceId "
                       "'service/<cluster>/<service>' and ScalableDimension 'ecs:service:DesiredCount'.")


@_rule("application-autoscaling", "RegisterScalableTarget")
def _register_target(p: Mapping[str, Any], lab: Lab) -> None:
    _ecs_target(p)
    lo, hi = p.get("MinCapacity"), p.get("MaxCapacity")
    if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
        raise Rejected("ValidationException",
                       f"Minimum capacity cannot be greater than maximum capacity (MinCapacity {lo}, "
                       f"MaxCapacity {hi}).")


@_rule("application-autoscaling", "PutScheduledAction", "DeregisterScalableTarget")
def _resource_only(p: Mapping[str, Any], lab: Lab) -> None:
    if p.get("ResourceId") is not None:
        _ecs_target(p)


def _steps(steps: Any) -> None:
    """StepAdjustment rules: ranges neither overlap nor leave a gap; null bounds at the ends."""
    if not isinstance(steps, list) or not steps:
        raise Rejected("ValidationException", "At least one step adjustment is required for a step scaling "
                                              "policy.")
    bounds = []
    for s in steps:
        lo, hi = s.get("MetricIntervalLowerBound"), s.get("MetricIntervalUpperBound")
        if lo is None and hi is None:
            raise Rejected("ValidationException", "The upper and lower bound can't be null in the same step "
                                                  "adjustment.")
        if lo is not None and hi is not None and lo >= hi:
            raise Rejected("ValidationException", f"Step adjustment lower bound {lo} must be less than its "
                                                  f"upper bound {hi}.")
        bounds.append((float("-inf") if lo is None else float(lo), float("inf") if hi is None else float(hi)))
    bounds.sort()
    if sum(1 for lo, _ in bounds if lo == float("-inf")) > 1 or sum(1 for _, hi in bounds if hi == float("inf")) > 1:
        raise Rejected("ValidationException", "At most one step adjustment can have a null lower bound and at "
                                              "most one a null upper bound.")
    for (_, hi), (lo, _) in pairwise(bounds):
        if lo != hi:
            raise Rejected("ValidationException",
                           "The ranges of your step adjustments can't overlap or have a gap "
                           f"(one range ends at {hi:g}, the next starts at {lo:g}).")
    if bounds[0][0] < 0 and bounds[0][0] != float("-inf"):
        raise Rejected("ValidationException", "If one step adjustment has a negative lower bound, then there "
                                              "must be a step adjustment with a null lower bound.")
    if bounds[-1][1] > 0 and bounds[-1][1] != float("inf"):
        raise Rejected("ValidationException", "If one step adjustment has a positive upper bound, then there "
                                              "must be a step adjustment with a null upper bound.")


@_rule("application-autoscaling", "PutScalingPolicy")
def _scaling_policy(p: Mapping[str, Any], lab: Lab) -> None:
    _ecs_target(p)
    ptype = p.get("PolicyType", "StepScaling")
    if ptype == "StepScaling" and p.get("StepScalingPolicyConfiguration") is not None:
        _steps(p["StepScalingPolicyConfiguration"].get("StepAdjustments"))
    if ptype == "TargetTrackingScaling":
        cfg = p.get("TargetTrackingScalingPolicyConfiguration") or {}
        if not (cfg.get("PredefinedMetricSpecification") or cfg.get("CustomizedMetricSpecification")):
            raise Rejected("ValidationException",
                           "A target tracking scaling policy needs a PredefinedMetricSpecification (for ECS: "
                           "ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or "
                           "ALBRequestCountPerTarget) or a CustomizedMetricSpecification.")
    targets = lab.client("application-autoscaling").describe_scalable_targets(
        ServiceNamespace=p.get("ServiceNamespace"), ResourceIds=[p.get("ResourceId")],
        ScalableDimension=p.get("ScalableDimension"))["ScalableTargets"]
    if not targets:
        raise Rejected("ObjectNotFoundException",
                       f"No scalable target registered for service namespace: {p.get('ServiceNamespace')}, "
                       f"resource ID: {p.get('ResourceId')}, scalable dimension: {p.get('ScalableDimension')}. "
                       "Call RegisterScalableTarget first.")


# ----------------------------------------------------------------------------- IAM


def _policy_document(doc: Any, *, trust: bool) -> None:
    try:
        data = json.loads(doc) if isinstance(doc, str) else doc
    except ValueError:
        raise Rejected("MalformedPolicyDocument", "This policy contains invalid Json") from None
    statements = data.get("Statement") if isinstance(data, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        raise Rejected("MalformedPolicyDocument", "Syntax errors in policy: the document needs a Statement.")
    for st in statements:
        if not isinstance(st, dict):
            raise Rejected("MalformedPolicyDocument", "Syntax errors in policy.")
        if "Action" not in st and "NotAction" not in st:
            raise Rejected("MalformedPolicyDocument", "Policy statement must contain actions.")
        if trust and "Principal" not in st and "NotPrincipal" not in st:
            raise Rejected("MalformedPolicyDocument",
                           "Missing required field Principal: a trust policy says who may assume the role.")


@_rule("iam", "CreateRole")
def _create_role(p: Mapping[str, Any], lab: Lab) -> None:
    _policy_document(p.get("AssumeRolePolicyDocument"), trust=True)


@_rule("iam", "UpdateAssumeRolePolicy")
def _update_trust(p: Mapping[str, Any], lab: Lab) -> None:
    _policy_document(p.get("PolicyDocument"), trust=True)


@_rule("iam", "PutRolePolicy")
def _put_role_policy(p: Mapping[str, Any], lab: Lab) -> None:
    _policy_document(p.get("PolicyDocument"), trust=False)


# ----------------------------------------------------------------------------- wiring

#: Error code for "moto failed on this request" per service (the code AWS uses for bad input).
FALLBACK_CODE = {"ecs": "InvalidParameterException", "application-autoscaling": "ValidationException",
                 "iam": "ValidationError", "elbv2": "ValidationError", "ec2": "InvalidParameterValue"}


def check(service: str, operation: str, params: Mapping[str, Any], lab: Lab) -> None:
    """Run the sandbox's rules for one request; raise :class:`Rejected` as AWS would."""
    for fn in _CHECKS.get((service, operation), []):
        fn(params, lab)


def _response(code: str, message: str) -> tuple[Any, dict[str, Any]]:
    from botocore.awsrequest import AWSResponse

    http = AWSResponse("https://sandbox.invalid/", 400, {}, None)
    return http, {"Error": {"Code": code, "Message": message},
                  "ResponseMetadata": {"HTTPStatusCode": 400, "RequestId": "sandbox"}}


def install(client: Any, service: str, lab: Lab) -> None:
    """Register the rules on a boto3 client, and turn moto crashes into one-line AWS errors."""
    events = client.meta.events

    def before_build(params: Mapping[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        context.pop("ecsbook_rejected", None)
        try:
            check(service, model.name, params, lab)
        except Rejected as err:
            context["ecsbook_rejected"] = (err.code, err.message)

    def before_call(context: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]] | None:
        rejected = context.get("ecsbook_rejected")
        return _response(*rejected) if rejected else None

    events.register("before-parameter-build", before_build, unique_id=f"ecsbook-rules-{service}")
    events.register("before-call", before_call, unique_id=f"ecsbook-reject-{service}")

    original = client._make_api_call

    def make_api_call(operation_name: str, api_params: dict[str, Any]) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return original(operation_name, api_params)
        except (ClientError, BotoCoreError):
            raise
        except Exception as err:  # noqa: BLE001 - a crash inside moto: answer like AWS, in one line
            code = FALLBACK_CODE.get(service, "ValidationException")
            detail = f"{type(err).__name__}: {err}".strip()
            message = (f"The sandbox could not process this {operation_name} request ({detail}): moto, "
                       f"the stand-in for AWS, does not handle it. Check the request against the "
                       f"{operation_name} API reference.")
            raise client.exceptions.from_code(code)(
                {"Error": {"Code": code, "Message": message},
                 "ResponseMetadata": {"HTTPStatusCode": 400}}, operation_name) from None

    client._make_api_call = make_api_call
