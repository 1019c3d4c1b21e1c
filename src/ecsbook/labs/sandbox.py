"""The lab sandbox: moto-mocked AWS in the notebook, never real AWS.

``start_lab()``:

1. sets fake credentials and a region in the environment *before* boto3 is imported (this
   module imports boto3 and moto only inside functions), and points the AWS config and
   credentials files at nothing, so no real profile can leak in;
2. starts moto in-process (``moto.mock_aws``), with AWS managed IAM policies loaded when asked
   (``start_lab(managed_policies=True)``), or, when
   ``ECSBOOK_ENDPOINT`` is set, uses a moto server at that URL, which must be on localhost;
3. makes ECS tasks stay where a lab puts them (moto otherwise advances a task's state on every
   ``DescribeTasks``);
4. refuses to run (``SandboxError``) if the mock is not active or the endpoint is not local.

Calling ``start_lab()`` again (re-running a cell) stops the previous sandbox and starts a
fresh, empty one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
ECS_OPTIMIZED_AMI = "ami-0ecs0a1b2c3d4e5f6"  # any ID: moto does not look it up


class SandboxError(RuntimeError):
    """The sandbox refused to run because real AWS might be reachable."""


def _fake_environment(region: str, managed_policies: bool) -> None:
    os.environ.update(FAKE_ENV)
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true" if managed_policies else "false"
    os.environ["AWS_DEFAULT_REGION"] = region
    os.environ["AWS_REGION"] = region
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_ENDPOINT_URL", None)


_current: Lab | None = None


@dataclass
class Lab:
    region: str
    endpoint: str | None
    managed_policies: bool = False
    _mock: Any = None
    _clients: dict[str, Any] = field(default_factory=dict)
    _service_settings: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    _linux_image: str | None = None

    def client(self, service: str) -> Any:
        """A boto3 client bound to the sandbox (cached per service)."""
        self._assert_safe()
        if service not in self._clients:
            import boto3

            kwargs: dict[str, Any] = {"region_name": self.region, "aws_access_key_id": "testing",
                                      "aws_secret_access_key": "testing", "aws_session_token": "testing"}
            if self.endpoint:
                kwargs["endpoint_url"] = self.endpoint
            client = boto3.client(service, **kwargs)
            if service == "ecs":
                self._patch_ecs(client)
            from .validation import install

            install(client, service, self)
            self._clients[service] = client
        return self._clients[service]

    # moto 5 accepts placementStrategy, placementConstraints and deploymentConfiguration in
    # CreateService/UpdateService but does not return them from DescribeServices. The sandbox
    # remembers what a successful call sent and adds it to the responses, as real ECS returns it.
    _REMEMBERED = ("placementStrategy", "placementConstraints", "deploymentConfiguration",
                   "capacityProviderStrategy", "networkConfiguration", "loadBalancers")

    def _patch_ecs(self, client: Any) -> None:
        def key(params: Mapping[str, Any], name_field: str) -> tuple[str, str]:
            cluster = str(params.get("cluster", "default")).rsplit("/", 1)[-1]
            return cluster, str(params.get(name_field, "")).rsplit("/", 1)[-1]

        def stash(params: Mapping[str, Any], context: dict[str, Any], **_: Any) -> None:
            context["ecsbook_params"] = dict(params)

        def commit(op: str, http_response: Any, context: dict[str, Any], **_: Any) -> None:
            params = context.get("ecsbook_params") or {}
            if http_response is None or http_response.status_code >= 300:
                return
            if op == "DeleteService":
                self._service_settings.pop(key(params, "service"), None)
                return
            name_field = "serviceName" if op == "CreateService" else "service"
            if op == "CreateService":  # a new service starts from what this call sent
                self._service_settings.pop(key(params, name_field), None)
            store = self._service_settings.setdefault(key(params, name_field), {})
            for f in self._REMEMBERED:
                if f in params:
                    store[f] = params[f]

        def fill(parsed: dict[str, Any], **_: Any) -> None:
            for svc in parsed.get("services", []) + ([parsed["service"]] if "service" in parsed else []):
                c = str(svc.get("clusterArn", "default")).rsplit("/", 1)[-1]
                for f, v in self._service_settings.get((c, svc.get("serviceName", "")), {}).items():
                    if not svc.get(f):
                        svc[f] = v

        for op in ("CreateService", "UpdateService", "DeleteService"):
            client.meta.events.register(f"before-parameter-build.ecs.{op}", stash)
            client.meta.events.register(
                f"after-call.ecs.{op}",
                lambda http_response, context, _op=op, **kw: commit(_op, http_response, context))
        for op in ("DescribeServices", "CreateService", "UpdateService"):
            client.meta.events.register(f"after-call.ecs.{op}", fill)

    def _assert_safe(self) -> None:
        if self.endpoint:
            host = urlparse(self.endpoint).hostname or ""
            if host not in LOCAL_HOSTS:
                raise SandboxError(f"ECSBOOK_ENDPOINT {self.endpoint!r} is not on localhost: refusing to run")
            return
        if self._mock is None:
            raise SandboxError("the moto mock is not active: call start_lab() first")
        if os.environ.get("AWS_ACCESS_KEY_ID") not in {"testing", "FOOBARKEY"}:  # ours, or moto's own fakes
            raise SandboxError("real-looking AWS credentials appeared in the environment: refusing to run")

    def reset(self) -> Lab:
        return start_lab(self.region, managed_policies=self.managed_policies)

    def stop(self) -> None:
        global _current
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
        self._clients.clear()
        if _current is self:
            _current = None

    def _repr_html_(self) -> str:
        import moto

        where = f"moto server at {self.endpoint}" if self.endpoint else f"moto {moto.__version__} in this notebook"
        return ('<div style="border-left:4px solid #009E73;padding:4px 10px;background:#E3F5EE">'
                f"<b>Sandbox ready</b>: {where}, region {self.region}. Fake credentials; "
                "no request can reach real AWS.</div>")

    def __repr__(self) -> str:
        return f"Lab(region={self.region!r}, sandbox={'server' if self.endpoint else 'in-process moto'})"


def start_lab(region: str = "us-east-1", *, managed_policies: bool = False) -> Lab:
    """Start (or restart) the sandbox and return it.

    ``managed_policies=True`` loads AWS's managed IAM policies (``AmazonECSTaskExecutionRolePolicy``
    and the rest) so they can be attached by ARN; it costs about two seconds per start, so only
    the labs that attach them ask for it.
    """
    global _current
    if _current is not None:
        _current.stop()
    _fake_environment(region, managed_policies)
    endpoint = os.environ.get("ECSBOOK_ENDPOINT")
    lab = Lab(region=region, endpoint=endpoint, managed_policies=managed_policies)
    if endpoint:
        lab._assert_safe()
    else:
        from moto import mock_aws
        from moto.moto_api import state_manager

        mock = mock_aws(config={"iam": {"load_aws_managed_policies": managed_policies}})
        mock.start()
        lab._mock = mock
        # moto advances a task one state per DescribeTasks; labs set states explicitly
        state_manager.set_transition("ecs::task", {"progression": "manual", "times": 10**9})
    _current = lab
    from .solutions import register

    register()  # the %%solution cell magic, when running in IPython
    return lab


def register_container_instance(lab: Lab, cluster: str, instance_type: str = "m5.large",
                                az: str = "us-east-1a", attributes: dict[str, str] | None = None) -> str:
    """Launch an EC2 instance in moto and register it with ``cluster`` like the ECS agent would.

    moto reports 4096 CPU / 7482 MiB for every instance, so the instance type and AZ are also
    recorded as attributes; :func:`ecsbook.labs.adapter.cluster_from_moto` reads the real
    figures for the type. Returns the container instance ARN.
    """
    import json

    ec2 = lab.client("ec2")
    ecs = lab.client("ecs")
    # moto does not check that an AMI exists (listing its 1300 stock images costs seconds), so
    # the instance gets an ECS-optimized-style image ID
    image = lab._linux_image or ECS_OPTIMIZED_AMI
    inst = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType=instance_type,
                             Placement={"AvailabilityZone": az})["Instances"][0]
    doc = json.dumps({"instanceId": inst["InstanceId"], "availabilityZone": az,
                      "instanceType": instance_type, "region": lab.region})
    attrs = [{"name": "ecs.instance-type", "value": instance_type},
             {"name": "ecs.availability-zone", "value": az}, {"name": "ecs.os-type", "value": "linux"}]
    attrs += [{"name": k, "value": v} for k, v in (attributes or {}).items()]
    out = ecs.register_container_instance(cluster=cluster, instanceIdentityDocument=doc, attributes=attrs)
    arn = str(out["containerInstance"]["containerInstanceArn"])
    have = {a["name"]: a.get("value") for a in out["containerInstance"].get("attributes", [])}
    missing = [a for a in attrs if have.get(a["name"]) != a["value"]]
    if missing:  # moto ignores RegisterContainerInstance attributes: set them with PutAttributes
        ecs.put_attributes(cluster=cluster, attributes=[{**a, "targetType": "container-instance", "targetId": arn.rsplit("/", 1)[-1]}
                                                        for a in missing])
    return arn
