"""Service scheduler events use ECS's sentences (service-event-messages)."""

from __future__ import annotations

from ecsbook.scheduler import services
from ecsbook.scheduler.state import ClusterState

TD = {"family": "web", "containerDefinitions": [{"name": "a", "image": "x", "memory": 600, "cpu": 256}]}


def _cluster() -> ClusterState:
    c = ClusterState()
    c.add_instance(instance_type="t3.micro", az="us-east-1a")   # room for one 600 MiB task
    return c


def test_started_and_unable_to_place_events():
    plan = services.reconcile(_cluster(), {"serviceName": "web", "taskDefinition": TD, "desiredCount": 2})
    assert plan.reasons[0] == "(service web) has started 1 tasks."
    assert plan.reasons[1] == ("(service web) was unable to place a task because no container instance met all of "
                               "its requirements. The closest matching container-instance ci-00001 has insufficient "
                               "memory available.")


def test_scale_in_event_names_the_stopped_tasks():
    c = _cluster()
    c = services.apply(c, services.reconcile(c, {"serviceName": "web", "taskDefinition": TD, "desiredCount": 1}))
    plan = services.reconcile(c, {"serviceName": "web", "taskDefinition": TD, "desiredCount": 0})
    (task_arn,) = plan.stop
    assert plan.reasons == (f"(service web) has stopped 1 running tasks: (task {task_arn.rsplit('/', 1)[-1]}).",)


def test_daemon_that_does_not_fit_reports_the_closest_instance():
    big = {"family": "agent", "containerDefinitions": [{"name": "a", "image": "x", "memory": 4000, "cpu": 256}]}
    plan = services.reconcile(_cluster(), {"serviceName": "agent", "taskDefinition": big,
                                           "schedulingStrategy": "DAEMON"})
    assert plan.start == () and plan.reasons[0].endswith(
        "The closest matching container-instance ci-00001 has insufficient memory available.")
