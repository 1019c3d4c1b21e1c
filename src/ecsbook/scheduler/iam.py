"""Which IAM principal does what for a task: image pull, logs, secrets, application credentials.

``resolve_task_roles(task_definition, launch_type=..., agent=...)`` answers, for one task, who
pulls each image, who writes the ``awslogs`` logs, who fetches each secret, and whose
credentials the application's AWS SDK receives, with the trust principal of every role that
appears. ``validate_task_definition_roles`` raises the ``ClientException`` that
``RegisterTaskDefinition`` returns when a required execution role is missing.
``service_roles(...)`` lists the roles outside the task (container instance, ECS Anywhere,
Managed Instances, infrastructure, service-linked, EventBridge, EventBridge Scheduler,
CodeDeploy) and ``passrole_required(...)`` the ``iam:PassRole`` resources a scheduler role needs.

Pages read (English developer guide; the archived 2023 copy of the guide in
awsdocs/amazon-ecs-developer-guide was used for full text and checked against the current
pages in the search index):

* Task execution role, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
  - the execution role is used by the container and Fargate agents, never by the application;
  - it is required when the task is on Fargate, Managed Instances or an external instance and
    pulls from a private ECR repository or sends logs with ``awslogs``;
  - it is required on every launch type for private registry authentication
    (``repositoryCredentials``) and for secrets from Secrets Manager or SSM Parameter Store;
  - managed policy ``AmazonECSTaskExecutionRolePolicy`` (ECR pull + ``logs:CreateLogStream``,
    ``logs:PutLogEvents``); trust principal ``ecs-tasks.amazonaws.com``; agent 1.16.0 or later.
* Task IAM role, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
  - the containers' SDKs use the task role exclusively (credential endpoint
    ``169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI``) and no longer inherit the
    instance's permissions; ``taskRoleArn`` can be overridden in ``RunTask``;
  - on EC2 and external instances the agent needs ``ECS_ENABLE_TASK_IAM_ROLE=true`` for
    ``bridge`` and ``default`` network modes and ``ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=true``
    for ``host`` mode (agent 1.11.0+, host mode 1.12.0+); the ECS-optimized AMI sets both;
  - on EC2 containers can still reach the instance profile through the instance metadata
    service unless ``ECS_AWSVPC_BLOCK_IMDS=true`` (awsvpc) or an iptables rule (bridge) blocks
    it; host-mode containers are not covered by either;
  - trust principal ``ecs-tasks.amazonaws.com``.
* Container instance role, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/instance_IAM_role.html
  - ``AmazonEC2ContainerServiceforEC2Role``; used by the agent and the Docker daemon; trust
    ``ec2.amazonaws.com``. ECS Anywhere's role (``ecsAnywhereRole``, iam-role-ecsanywhere.html)
    adds ``AmazonSSMManagedInstanceCore`` and is assumed through the SSM hybrid activation,
    trust ``ssm.amazonaws.com`` (the archived 2023 page printed ``ecs-tasks.amazonaws.com``
    there; every published setup, including AWS's, uses ``ssm.amazonaws.com``).
* Infrastructure role, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/infrastructure_IAM_role.html
  - ECS assumes it (trust ``ecs.amazonaws.com``) for EBS volumes attached to tasks, Service
    Connect TLS, VPC Lattice target groups, Managed Instances and Express Mode services.
  - Managed Instances also need an instance profile whose role trusts ``ec2.amazonaws.com``
    (``AmazonECSInstanceRolePolicyForManagedInstances``; API_InstanceLaunchTemplate).
* Service-linked role, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using-service-linked-roles.html
  - ``AWSServiceRoleForECS`` trusted by ``ecs.amazonaws.com``: awsvpc ENIs, load balancer
    registration, service discovery, auto scaling, Exec, Service Connect; created for you.
* EventBridge role, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html
  - ``ecsEventsRole`` with ``AmazonEC2ContainerServiceEventsRole`` (``ecs:RunTask``,
    ``iam:PassRole`` to ``ecs-tasks.amazonaws.com``, ``ecs:TagResource``); trust
    ``events.amazonaws.com``; add ``iam:PassRole`` for each execution role, task role and
    task role override, by full ARN.
* EventBridge Scheduler, https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html
  - the schedule's execution role trusts ``scheduler.amazonaws.com`` (scoped with
    ``aws:SourceAccount``) and needs ``ecs:RunTask`` plus ``iam:PassRole`` for the task's roles.
* CodeDeploy role, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/codedeploy_IAM_role.html
  - ``ecsCodeDeployRole`` with ``AWSCodeDeployRoleForECS`` (or ``...Limited``); trust
    ``codedeploy.amazonaws.com``.
* Sensitive data, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
  (secrets-envvar-secrets-manager, secrets-envvar-ssm-paramstore, secrets-logconfig)
  - ``secrets`` (environment variables) and ``logConfiguration.secretOptions``; the execution
    role needs ``ssm:GetParameters`` (Parameter Store), ``secretsmanager:GetSecretValue``
    (Secrets Manager, directly or through an SSM ``/aws/reference/secretsmanager/`` parameter)
    and ``kms:Decrypt`` for a customer managed key;
  - a Secrets Manager ``valueFrom`` is ``arn:...:secret:name:json-key:version-stage:version-id``;
    a version stage and a version ID cannot both be given;
  - an SSM parameter in another Region must be given by full ARN (a name works in the task's
    Region only);
  - Fargate: platform version 1.3.0+ for a whole secret, 1.4.0+ (Linux) for a JSON key or
    version; EC2: agent 1.22.0+ for a whole secret or a log-configuration secret, 1.37.0+ for
    a JSON key or version; on EC2 log-configuration secrets need
    ``ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true``.
* Private registry authentication, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/private-auth.html
  - ``repositoryCredentials.credentialsParameter`` is a Secrets Manager secret read with the
    execution role (``secretsmanager:GetSecretValue``, ``kms:Decrypt``); agent 1.19.0+,
    Fargate platform version 1.2.0+; not for images in ECR.
* Agent configuration (aws/amazon-ecs-agent README): ``ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE``
  lets ``awslogs`` authenticate with the execution role; default ``false``, set to ``true`` by
  ecs-init 1.16.0-1 and later (the ECS-optimized AMI).

Registration errors, as ECS returns them (``ClientException`` from RegisterTaskDefinition,
wording collected from published error output):

* "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'."
* "Fargate requires task definition to have execution role ARN to support ECR images."
* "Fargate requires task definition to have execution role ARN to support log driver awslogs."

Left out: the model does not evaluate IAM policies (an attached role is assumed to hold the
documented permissions; ``permissions`` lists what it needs); ECR pulls across accounts
(repository policy), VPC endpoint conditions, Runtime Monitoring, FireLens and other log
drivers' own credentials, Windows ``awslogs`` specifics beyond the override flag, the order
in which ECS reports several registration errors at once (the model checks ``awslogs``, then
ECR images, then secrets, the order of ``fargate.validate_task_definition``), and whether a missing execution role on
external or Managed Instances tasks is rejected at registration (documented only as
required; the model reports "would fail at start").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import ClientException, InvalidParameterException

LAUNCH_TYPES = ("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES")
NETWORK_MODES = ("bridge", "host", "awsvpc", "none", "default")

TRUST = {
    "taskRole": "ecs-tasks.amazonaws.com",
    "executionRole": "ecs-tasks.amazonaws.com",
    "containerInstanceRole": "ec2.amazonaws.com",
    "anywhereRole": "ssm.amazonaws.com",
    "managedInstancesInstanceProfile": "ec2.amazonaws.com",
    "infrastructureRole": "ecs.amazonaws.com",
    "serviceLinkedRole": "ecs.amazonaws.com",
    "eventsRole": "events.amazonaws.com",
    "schedulerRole": "scheduler.amazonaws.com",
    "codeDeployRole": "codedeploy.amazonaws.com",
}
MANAGED_POLICY = {
    "executionRole": "AmazonECSTaskExecutionRolePolicy",
    "containerInstanceRole": "AmazonEC2ContainerServiceforEC2Role",
    "anywhereRole": "AmazonEC2ContainerServiceforEC2Role + AmazonSSMManagedInstanceCore",
    "managedInstancesInstanceProfile": "AmazonECSInstanceRolePolicyForManagedInstances",
    "infrastructureRole": "AmazonECSInfrastructureRolePolicyFor... (per feature)",
    "serviceLinkedRole": "AmazonECSServiceRolePolicy",
    "eventsRole": "AmazonEC2ContainerServiceEventsRole",
    "codeDeployRole": "AWSCodeDeployRoleForECS",
}
ECR_PULL = ("ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage")
AWSLOGS = ("logs:CreateLogStream", "logs:PutLogEvents")

SECRETS_MSG = "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'."
FARGATE_ECR_MSG = "Fargate requires task definition to have execution role ARN to support ECR images."
FARGATE_AWSLOGS_MSG = "Fargate requires task definition to have execution role ARN to support log driver awslogs."

_SRC = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/"
SOURCES = {
    "executionRole": _SRC + "task_execution_IAM_role.html",
    "taskRole": _SRC + "task-iam-roles.html",
    "containerInstanceRole": _SRC + "instance_IAM_role.html",
    "anywhereRole": _SRC + "iam-role-ecsanywhere.html",
    "infrastructureRole": _SRC + "infrastructure_IAM_role.html",
    "serviceLinkedRole": _SRC + "using-service-linked-roles.html",
    "eventsRole": _SRC + "CWE_IAM_role.html",
    "schedulerRole": "https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html",
    "codeDeployRole": _SRC + "codedeploy_IAM_role.html",
    "secrets": _SRC + "specifying-sensitive-data.html",
    "privateAuth": _SRC + "private-auth.html",
}

_ECR_IMAGE = re.compile(r"^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/")
_SM_ARN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$")
_SSM_ARN = re.compile(r"^arn:aws[a-z-]*:ssm:([a-z0-9-]+):(\d{12}):parameter(/.*)$")


def _version(v: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in v.split("-")[0].split("."))
    except ValueError:
        raise InvalidParameterException(f"Invalid version {v!r}: use a dotted version such as 1.89.0",
                                        "version") from None


@dataclass(frozen=True)
class AgentSettings:
    """Container agent settings that decide credentials (``/etc/ecs/ecs.config`` names).

    Defaults are the ECS-optimized AMI's: ecs-init turns on task IAM roles for bridge and
    host mode and the awslogs execution-role override. ``ecs_optimized_ami=False`` starts
    from the agent's own defaults (all ``false``).
    """

    ECS_ENABLE_TASK_IAM_ROLE: bool = True
    ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST: bool = True
    ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE: bool = True
    ECS_AWSVPC_BLOCK_IMDS: bool = False
    agent_version: str = "1.89.0"

    @classmethod
    def from_api(cls, data: Mapping[str, Any] | None = None, *, ecs_optimized_ami: bool = True) -> AgentSettings:
        base = cls() if ecs_optimized_ami else cls(False, False, False, False)
        if not data:
            return base
        if not isinstance(data, Mapping):
            raise InvalidParameterException("agent settings must be a mapping of ecs.config names", "agent")
        values: dict[str, Any] = {
            "ECS_ENABLE_TASK_IAM_ROLE": base.ECS_ENABLE_TASK_IAM_ROLE,
            "ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST": base.ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST,
            "ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE": base.ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE,
            "ECS_AWSVPC_BLOCK_IMDS": base.ECS_AWSVPC_BLOCK_IMDS,
            "agent_version": base.agent_version,
        }
        for key, raw in data.items():
            if key not in values:
                raise InvalidParameterException(
                    f"Unknown agent setting {key!r}; the model knows {', '.join(sorted(values))}", "agent")
            if key == "agent_version":
                if not isinstance(raw, str):
                    raise InvalidParameterException("agent_version must be a string such as '1.89.0'", "agent")
                _version(raw)
                values[key] = raw
            elif isinstance(raw, bool):
                values[key] = raw
            elif isinstance(raw, str) and raw.lower() in ("true", "false"):
                values[key] = raw.lower() == "true"
            else:
                raise InvalidParameterException(f"{key} must be true or false, got {raw!r}", key)
        return cls(**values)

    def at_least(self, version: str) -> bool:
        return _version(self.agent_version) >= _version(version)


@dataclass(frozen=True)
class Access:
    """One thing the task needs from AWS and the principal that does it."""

    action: str          # "pull image", "write logs", "fetch secret", "registry credentials", "application credentials"
    subject: str         # image, log group, secret name or container name
    container: str
    principal: str       # "executionRole", "taskRole", "containerInstanceRole", ..., "anonymous", "none"
    role_arn: str | None
    trust: str | None
    permissions: tuple[str, ...]
    status: str          # "OK" | "FAILS_AT_START" | "RISK"
    why: str
    source: str

    def to_row(self) -> dict[str, Any]:
        return {"container": self.container, "action": self.action, "subject": self.subject,
                "principal": self.principal, "roleArn": self.role_arn, "trust": self.trust,
                "permissions": ", ".join(self.permissions), "status": self.status, "why": self.why}


@dataclass(frozen=True)
class RoleReport:
    launch_type: str
    network_mode: str
    accesses: tuple[Access, ...]
    roles: Mapping[str, tuple[str | None, str]]   # kind -> (arn or None, trust principal)
    findings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return all(a.status != "FAILS_AT_START" for a in self.accesses)

    def who(self, action: str, subject: str | None = None) -> list[str]:
        return [a.principal for a in self.accesses
                if a.action == action and (subject is None or a.subject == subject)]

    def failures(self) -> list[Access]:
        return [a for a in self.accesses if a.status == "FAILS_AT_START"]

    def to_rows(self) -> list[dict[str, Any]]:
        return [a.to_row() for a in self.accesses]


# ----------------------------------------------------------------------------- parsing


def _containers(td: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if not isinstance(td, Mapping):
        raise InvalidParameterException("Task definition must be a JSON object", "taskDefinition")
    cs = td.get("containerDefinitions")
    if not isinstance(cs, (list, tuple)) or not cs:
        raise InvalidParameterException("Task definition must have at least one container definition",
                                        "containerDefinitions")
    for c in cs:
        if not isinstance(c, Mapping):
            raise InvalidParameterException("Each container definition must be a JSON object",
                                            "containerDefinitions")
    return list(cs)


def _role(td: Mapping[str, Any], key: str) -> str | None:
    v = td.get(key)
    if v in (None, ""):
        return None
    if not isinstance(v, str):
        raise InvalidParameterException(f"{key} must be a string (a role name or ARN), got {v!r}", key)
    return v


def _secrets(c: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """``(kind, name, valueFrom)`` for env-var secrets (kind "env") and log secrets (kind "log")."""
    out: list[tuple[str, str, str]] = []
    log = c.get("logConfiguration") or {}
    for kind, items in (("env", c.get("secrets") or []), ("log", (log.get("secretOptions") or []) if isinstance(log, Mapping) else [])):
        if not isinstance(items, (list, tuple)):
            raise InvalidParameterException("secrets must be a list of {name, valueFrom}", "secrets")
        for s in items:
            if not isinstance(s, Mapping) or not isinstance(s.get("name"), str) or not isinstance(s.get("valueFrom"), str):
                raise InvalidParameterException(
                    f"Container {c.get('name', '?')!r}: each secret needs a string name and valueFrom", "secrets")
            out.append((kind, str(s["name"]), str(s["valueFrom"])))
    return out


def _log_driver(c: Mapping[str, Any]) -> str | None:
    log = c.get("logConfiguration")
    if log is None:
        return None
    if not isinstance(log, Mapping) or not isinstance(log.get("logDriver"), str):
        raise InvalidParameterException("logConfiguration needs a logDriver", "logDriver")
    return str(log["logDriver"])


def is_ecr_image(image: str) -> bool:
    """A private ECR image (``<account>.dkr.ecr.<region>.amazonaws.com/...``)."""
    return bool(_ECR_IMAGE.match(image))


@dataclass(frozen=True)
class SecretRef:
    """A parsed ``valueFrom``: where the secret lives and what the execution role needs."""

    store: str                  # "secretsmanager" | "ssm"
    region: str | None          # None: a bare name (the task's Region)
    name: str
    json_key: str = ""
    version_stage: str = ""
    version_id: str = ""
    permissions: tuple[str, ...] = field(default=())

    @property
    def specific(self) -> bool:
        """A JSON key or a version was asked for (needs Fargate 1.4.0 / agent 1.37.0)."""
        return bool(self.json_key or self.version_stage or self.version_id)


def parse_value_from(value_from: str) -> SecretRef:
    """Parse a secret's ``valueFrom`` (Secrets Manager ARN with optional key/version, SSM ARN or name)."""
    if not isinstance(value_from, str) or not value_from:
        raise InvalidParameterException("valueFrom must be a Secrets Manager or SSM Parameter Store reference",
                                        "valueFrom")
    m = _SM_ARN.match(value_from)
    if m:
        parts = m.group(3).split(":")
        name = parts[0]
        extra = parts[1:]
        if len(extra) not in (0, 3):
            raise InvalidParameterException(
                f"Invalid Secrets Manager reference {value_from!r}: after the secret name give "
                "json-key:version-stage:version-id (empty fields keep their colons)", "valueFrom")
        key, stage, vid = (extra + ["", "", ""])[:3]
        if stage and vid:
            raise InvalidParameterException(
                f"Invalid Secrets Manager reference {value_from!r}: if a version staging label is "
                "specified, you cannot specify a version ID", "valueFrom")
        return SecretRef("secretsmanager", m.group(1), name, key, stage, vid, ("secretsmanager:GetSecretValue",))
    m = _SSM_ARN.match(value_from)
    if m:
        param = m.group(3)
        perms = ["ssm:GetParameters"]
        if param.startswith("/aws/reference/secretsmanager/"):
            perms.append("secretsmanager:GetSecretValue")
        return SecretRef("ssm", m.group(1), param, permissions=tuple(perms))
    if value_from.startswith("arn:"):
        raise InvalidParameterException(
            f"Invalid secret reference {value_from!r}: use a Secrets Manager secret ARN or an SSM "
            "parameter ARN or name", "valueFrom")
    perms = ["ssm:GetParameters"]
    if value_from.startswith("/aws/reference/secretsmanager/"):
        perms.append("secretsmanager:GetSecretValue")
    return SecretRef("ssm", None, value_from, permissions=tuple(perms))


# ----------------------------------------------------------------------------- registration


def validate_task_definition_roles(task_definition: Mapping[str, Any]) -> None:
    """Raise the ``ClientException`` RegisterTaskDefinition returns for a missing execution role.

    >>> validate_task_definition_roles({"family": "a", "containerDefinitions": [
    ...     {"name": "a", "image": "nginx", "secrets": [{"name": "P", "valueFrom": "p"}]}]})
    Traceback (most recent call last):
    ...
    ecsbook.scheduler.errors.ClientException: ClientException: When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.
    """
    containers = _containers(task_definition)
    if _role(task_definition, "executionRoleArn"):
        return
    _role(task_definition, "taskRoleArn")
    fargate = "FARGATE" in (task_definition.get("requiresCompatibilities") or ())
    # same order as fargate.validate_task_definition: awslogs, then ECR images, then secrets
    if fargate and any(_log_driver(c) == "awslogs" for c in containers):
        raise ClientException(FARGATE_AWSLOGS_MSG, "executionRoleArn")
    if fargate and any(isinstance(c.get("image"), str) and is_ecr_image(str(c["image"])) for c in containers):
        raise ClientException(FARGATE_ECR_MSG, "executionRoleArn")
    if any(_secrets(c) for c in containers):
        raise ClientException(SECRETS_MSG, "executionRoleArn")


# ----------------------------------------------------------------------------- the resolver


def resolve_task_roles(
    task_definition: Mapping[str, Any],
    *,
    launch_type: str = "EC2",
    agent: AgentSettings | Mapping[str, Any] | None = None,
    overrides: Mapping[str, Any] | None = None,
    platform_version: str = "1.4.0",
    task_region: str = "us-east-1",
    container_instance_role: str | None = "ecsInstanceRole",
) -> RoleReport:
    """Who pulls, logs, fetches secrets and serves SDK credentials for one task.

    ``overrides`` is RunTask's ``overrides`` (``taskRoleArn``, ``executionRoleArn``).
    ``container_instance_role`` is the instance profile's role on EC2 (``None``: the instance
    has none, so the agent could not even register). Registration errors are raised first.
    """
    if launch_type not in LAUNCH_TYPES:
        raise InvalidParameterException(
            f"Invalid launchType {launch_type!r}: use {', '.join(LAUNCH_TYPES)}", "launchType")
    containers = _containers(task_definition)
    td = dict(task_definition)
    if overrides:
        if not isinstance(overrides, Mapping):
            raise InvalidParameterException("overrides must be a JSON object", "overrides")
        for k in ("taskRoleArn", "executionRoleArn"):
            if overrides.get(k):
                td[k] = overrides[k]
    if launch_type == "FARGATE":
        td.setdefault("requiresCompatibilities", ["FARGATE"])
    validate_task_definition_roles(td)
    settings = agent if isinstance(agent, AgentSettings) else AgentSettings.from_api(agent)
    mode = td.get("networkMode") or ("awsvpc" if launch_type in ("FARGATE", "MANAGED_INSTANCES") else "bridge")
    if mode not in NETWORK_MODES:
        raise InvalidParameterException(f"Invalid networkMode {mode!r}: use bridge, host, awsvpc or none",
                                        "networkMode")
    exec_role = _role(td, "executionRoleArn")
    task_role = _role(td, "taskRoleArn")
    on_host = launch_type in ("EC2", "EXTERNAL")
    host_kind = {"EC2": "containerInstanceRole", "EXTERNAL": "anywhereRole",
                 "MANAGED_INSTANCES": "managedInstancesInstanceProfile"}.get(launch_type)
    host_role = container_instance_role if launch_type == "EC2" else (
        "ecsAnywhereRole" if launch_type == "EXTERNAL" else None)
    roles: dict[str, tuple[str | None, str]] = {}
    if exec_role:
        roles["executionRole"] = (exec_role, TRUST["executionRole"])
    if task_role:
        roles["taskRole"] = (task_role, TRUST["taskRole"])
    if host_kind:
        roles[host_kind] = (host_role, TRUST[host_kind])
    findings: list[str] = []
    out: list[Access] = []

    def add(action: str, subject: str, cname: str, principal: str, arn: str | None, perms: Sequence[str],
            status: str, why: str, source: str) -> None:
        trust = TRUST.get(principal)
        out.append(Access(action, subject, cname, principal, arn, trust, tuple(perms), status, why, source))

    for c in containers:
        cname = str(c.get("name") or "?")
        image = c.get("image")
        if not isinstance(image, str) or not image:
            raise InvalidParameterException(f"Container {cname!r} must have an image", "image")
        creds = c.get("repositoryCredentials")
        # ---- image pull
        if creds is not None:
            param = creds.get("credentialsParameter") if isinstance(creds, Mapping) else None
            if not isinstance(param, str) or not param:
                raise InvalidParameterException("repositoryCredentials needs a credentialsParameter (a secret ARN or name)",
                                                "credentialsParameter")
            if is_ecr_image(image):
                findings.append(f"{cname}: repositoryCredentials does not apply to images in Amazon ECR")
            if exec_role:
                status, why = "OK", "the agent reads the registry credentials secret with the execution role"
                if launch_type == "EC2" and not settings.at_least("1.19.0"):
                    status, why = "FAILS_AT_START", "private registry authentication needs agent 1.19.0 or later"
                if launch_type == "FARGATE" and _version(platform_version) < (1, 2, 0):
                    status, why = "FAILS_AT_START", "private registry authentication needs Fargate platform version 1.2.0 or later"
            else:
                status = "FAILS_AT_START"
                why = ("private registry authentication requires the task execution role to read the "
                       "credentials secret; there is none, so the image pull fails")
            add("registry credentials", param, cname, "executionRole" if exec_role else "none", exec_role,
                ("secretsmanager:GetSecretValue", "kms:Decrypt (customer managed key only)"), status, why,
                SOURCES["privateAuth"])
            add("pull image", image, cname, "registry credentials", None, (), status,
                "the registry's own credentials from the secret", SOURCES["privateAuth"])
        elif is_ecr_image(image):
            if exec_role:
                add("pull image", image, cname, "executionRole", exec_role, ECR_PULL, "OK",
                    "the agent pulls private ECR images with the execution role's credentials",
                    SOURCES["executionRole"])
            elif on_host and launch_type == "EC2" and host_role:
                add("pull image", image, cname, "containerInstanceRole", host_role, ECR_PULL, "OK",
                    "no execution role: on EC2 the agent pulls with the container instance role "
                    "(AmazonEC2ContainerServiceforEC2Role includes the ECR pull actions)",
                    SOURCES["containerInstanceRole"])
            else:
                add("pull image", image, cname, "none", None, ECR_PULL, "FAILS_AT_START",
                    f"tasks on {launch_type} need a task execution role to pull from a private ECR repository",
                    SOURCES["executionRole"])
        else:
            add("pull image", image, cname, "anonymous", None, (), "OK",
                "a public image needs no AWS credentials", SOURCES["executionRole"])
        # ---- logs
        driver = _log_driver(c)
        if driver == "awslogs":
            if launch_type == "EC2":
                if exec_role and settings.ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE:
                    add("write logs", "awslogs", cname, "executionRole", exec_role, AWSLOGS, "OK",
                        "ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true: awslogs authenticates with the execution role",
                        SOURCES["executionRole"])
                elif host_role:
                    add("write logs", "awslogs", cname, "containerInstanceRole", host_role, AWSLOGS, "OK",
                        "the Docker daemon's awslogs driver uses the container instance role"
                        + ("" if not exec_role else " (ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE is off)"),
                        SOURCES["containerInstanceRole"])
                else:
                    add("write logs", "awslogs", cname, "none", None, AWSLOGS, "FAILS_AT_START",
                        "no instance role and no execution role for awslogs", SOURCES["containerInstanceRole"])
            elif exec_role:
                add("write logs", "awslogs", cname, "executionRole", exec_role, AWSLOGS, "OK",
                    f"on {launch_type} awslogs uses the task execution role", SOURCES["executionRole"])
            else:
                add("write logs", "awslogs", cname, "none", None, AWSLOGS, "FAILS_AT_START",
                    f"tasks on {launch_type} need a task execution role for the awslogs log driver",
                    SOURCES["executionRole"])
        # ---- secrets
        for kind, sname, value_from in _secrets(c):
            ref = parse_value_from(value_from)
            perms = list(ref.permissions) + ["kms:Decrypt (customer managed key only)"]
            status, why = "OK", ("the agent fetches the secret with the execution role and injects it as "
                                 + ("an environment variable" if kind == "env" else "a log option")
                                 + " when the container starts (a rotated value needs a new task)")
            if ref.store == "ssm" and ref.region is None:
                why += "; a parameter name works only in the task's Region"
            if ref.region and ref.store == "ssm" and ref.region != task_region:
                why += f"; the parameter is in {ref.region}, so the full ARN is required (given)"
            if launch_type == "FARGATE":
                need = (1, 4, 0) if ref.specific else (1, 3, 0)
                if _version(platform_version) < need:
                    status = "FAILS_AT_START"
                    why = (f"Fargate platform version {'.'.join(map(str, need))} or later is needed for "
                           + ("a JSON key or version of a secret" if ref.specific else "secrets"))
            elif launch_type == "EC2":
                need_agent = "1.37.0" if ref.specific else "1.22.0"
                if not settings.at_least(need_agent):
                    status = "FAILS_AT_START"
                    why = (f"agent {need_agent} or later is needed for "
                           + ("a JSON key or version of a secret" if ref.specific else "secrets"))
                elif kind == "log" and not settings.ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE:
                    status = "FAILS_AT_START"
                    why = "log-configuration secrets on EC2 need ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true"
            add("fetch secret", sname, cname, "executionRole", exec_role, perms, status, why, SOURCES["secrets"])
    # ---- application credentials (one per task: every container gets the same)
    out.extend(_application_credentials(launch_type, mode, task_role, settings, host_role, findings))
    return RoleReport(launch_type, mode, tuple(out), roles, tuple(findings))


def _application_credentials(launch_type: str, mode: str, task_role: str | None, settings: AgentSettings,
                             host_role: str | None, findings: list[str]) -> list[Access]:
    src = SOURCES["taskRole"]

    def acc(principal: str, arn: str | None, status: str, why: str) -> Access:
        return Access("application credentials", "AWS SDK", "*", principal, arn, TRUST.get(principal), (), status,
                      why, src)

    if mode == "none":
        return [acc("none", None, "OK", "networkMode none: the containers have no network, so no AWS calls")]
    imds_open = launch_type == "EC2" and not (mode == "awsvpc" and settings.ECS_AWSVPC_BLOCK_IMDS)
    if task_role:
        served, flag = True, ""
        if launch_type in ("EC2", "EXTERNAL"):
            if mode in ("bridge", "default") and not settings.ECS_ENABLE_TASK_IAM_ROLE:
                served = False
                flag = "ECS_ENABLE_TASK_IAM_ROLE"
            elif mode == "host" and not settings.ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST:
                served = False
                flag = "ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST"
            elif mode == "host" and not settings.at_least("1.12.0"):
                served, flag = False, "agent 1.12.0"
            elif not settings.at_least("1.11.0"):
                served, flag = False, "agent 1.11.0"
        if served:
            if imds_open:
                findings.append(
                    "containers can still reach the instance profile through instance metadata "
                    + ("(set ECS_AWSVPC_BLOCK_IMDS=true)" if mode == "awsvpc" else
                       "(block 169.254.169.254 with the documented iptables rule)" if mode in ("bridge", "default")
                       else "(host mode: neither ECS_AWSVPC_BLOCK_IMDS nor the bridge iptables rule covers it)"))
            return [acc("taskRole", task_role, "OK",
                        "the SDK reads the task role from 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI "
                        "and no longer inherits the instance's permissions")]
        if launch_type == "EC2" and host_role:
            return [acc("containerInstanceRole", host_role, "RISK",
                        f"the agent does not serve task roles here ({flag} is off), so the SDK falls back to "
                        "instance metadata: the application runs with the container instance role")]
        return [acc("none", None, "RISK",
                    f"the agent does not serve task roles here ({flag} is off); the application gets no credentials")]
    if launch_type == "EC2" and host_role and imds_open:
        return [acc("containerInstanceRole", host_role, "RISK",
                    "no task role: the SDK's default chain reaches instance metadata and uses the container "
                    "instance role (give the task its own role)")]
    return [acc("none", None, "OK", f"no task role: the application has no AWS credentials on {launch_type}")]


# ----------------------------------------------------------------------------- roles outside the task


FEATURE_ROLES = {
    # feature -> role kinds it needs
    "EC2": ("containerInstanceRole",),
    "EXTERNAL": ("anywhereRole",),
    "MANAGED_INSTANCES": ("infrastructureRole", "managedInstancesInstanceProfile"),
    "awsvpc": ("serviceLinkedRole",),
    "loadBalancer": ("serviceLinkedRole",),
    "serviceDiscovery": ("serviceLinkedRole",),
    "serviceAutoScaling": ("serviceLinkedRole",),
    "ecsExec": ("serviceLinkedRole",),
    "serviceConnect": ("serviceLinkedRole",),
    "serviceConnectTLS": ("infrastructureRole",),
    "ebsVolumes": ("infrastructureRole",),
    "vpcLattice": ("infrastructureRole",),
    "expressMode": ("infrastructureRole",),
    "eventBridgeRule": ("eventsRole",),
    "eventBridgeScheduler": ("schedulerRole",),
    "codeDeployBlueGreen": ("codeDeployRole",),
}


@dataclass(frozen=True)
class ServiceRole:
    kind: str
    trust: str
    managed_policy: str | None
    needed_for: tuple[str, ...]
    source: str


def service_roles(features: Sequence[str]) -> list[ServiceRole]:
    """The roles outside the task definition that ``features`` need, with their trust principals.

    Features: launch types (EC2, EXTERNAL, MANAGED_INSTANCES), awsvpc, loadBalancer,
    serviceDiscovery, serviceAutoScaling, ecsExec, serviceConnect, serviceConnectTLS, ebsVolumes,
    vpcLattice, expressMode, eventBridgeRule, eventBridgeScheduler, codeDeployBlueGreen.
    """
    if isinstance(features, str) or not isinstance(features, (list, tuple, set, frozenset)):
        raise InvalidParameterException("features must be a list of feature names", "features")
    need: dict[str, list[str]] = {}
    for f in features:
        if f not in FEATURE_ROLES:
            raise InvalidParameterException(
                f"Unknown feature {f!r}; the model knows {', '.join(sorted(FEATURE_ROLES))}", "features")
        for kind in FEATURE_ROLES[f]:
            need.setdefault(kind, []).append(str(f))
    return [ServiceRole(k, TRUST[k], MANAGED_POLICY.get(k), tuple(v), SOURCES.get(k, SOURCES["infrastructureRole"]))
            for k, v in need.items()]


def passrole_required(task_definition: Mapping[str, Any], overrides: Mapping[str, Any] | None = None) -> list[str]:
    """Role ARNs an EventBridge rule's or schedule's role must be allowed to ``iam:PassRole``.

    "If your scheduled tasks require the use of the task execution role, a task role, or a
    task role override, then you must add iam:PassRole permissions for each ... Specify the
    full ARN" (CWE_IAM_role.html). A role given by name is reported as needing its full ARN.
    """
    _containers(task_definition)
    out: list[str] = []
    for source in (task_definition, overrides or {}):
        for key in ("executionRoleArn", "taskRoleArn"):
            v = _role(source, key)
            if v and v not in out:
                out.append(v)
    return out


__all__ = [
    "FARGATE_AWSLOGS_MSG",
    "FARGATE_ECR_MSG",
    "LAUNCH_TYPES",
    "SECRETS_MSG",
    "TRUST",
    "Access",
    "AgentSettings",
    "RoleReport",
    "SecretRef",
    "ServiceRole",
    "is_ecr_image",
    "parse_value_from",
    "passrole_required",
    "resolve_task_roles",
    "service_roles",
    "validate_task_definition_roles",
]
