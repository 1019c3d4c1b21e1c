"""Questions generated from the model with a seed: endless practice, computed answer keys.

Each generator takes a ``random.Random`` and returns a :class:`~ecsbook.quiz.bank.Question`
whose correct option is computed by the scheduler model and whose distractors are the answers
a learner gets from the usual mistakes (rounding the wrong way, forgetting the minimum charge,
ignoring the base...). Same seed, same question.
"""

from __future__ import annotations

import math
import random
import re
from typing import Callable

from ecsbook.scheduler import capacity, deployments, fargate, pricing
from ecsbook.scheduler.autoscaling import step_scaling_desired
from ecsbook.scheduler.placement import place_tasks
from ecsbook.scheduler.state import ClusterState

from .bank import Option, Question

SRC = {
    "pricing": "https://aws.amazon.com/fargate/pricing/",
    "deploy": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html",
    "cp": "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html",
    "placement": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html",
    "step": "https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-step-scaling-policies.html",
    "size": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html",
}


def _finish(rng: random.Random, qid: str, domain: str, chapter: str, stem: str, correct: tuple[str, str],
            wrong: list[tuple[str, str]], source: str) -> Question:
    seen = {correct[0]}
    distinct = []
    for t, why in wrong:
        if t not in seen and not re.search(r"(^|\s)-\d", t):  # no negative task counts
            seen.add(t)
            distinct.append((t, why))
    if len(distinct) < 2:
        raise ValueError(f"{qid}: not enough distinct distractors")
    opts = [correct] + distinct[:3]
    rng.shuffle(opts)
    return Question(qid, domain, "medium", chapter, stem, tuple(Option(t, w) for t, w in opts),
                    (opts.index(correct),), source, ("SAA", "DVA", "SOA"), None, "parametric")


def fargate_cost(rng: random.Random, seed: int) -> Question:
    cpu, mem = rng.choice([(256, 512), (512, 1024), (1024, 2048), (2048, 4096), (4096, 8192)])
    seconds = rng.choice([25, 45, 90, 150, 600, 3600 + rng.randint(1, 900)])
    tasks = rng.choice([1, 4, 10])
    r = pricing.load_rates()["fargate"]["us-east-1"]["LINUX/X86_64"]
    cost = pricing.fargate_task_cost(cpu, mem, seconds, tasks=tasks)
    billed = cost.billed_seconds
    no_min = (cpu / 1024 * r["vcpu_hour"] + mem / 1024 * r["gb_hour"]) * seconds / 3600 * tasks
    hourly = (cpu / 1024 * r["vcpu_hour"] + mem / 1024 * r["gb_hour"]) * math.ceil(seconds / 3600) * tasks
    fmt = "${:.6f}"
    stem = (f"{tasks} Linux/x86 Fargate task(s) of {cpu / 1024:g} vCPU and {mem / 1024:g} GB each run for {seconds} "
            f"seconds in us-east-1 (rates: ${r['vcpu_hour']} per vCPU-hour, ${r['gb_hour']} per GB-hour). "
            "What is the compute charge?")
    return _finish(rng, f"param-fargate-cost-{seed}", "pricing", "pricing", stem,
                   (fmt.format(cost.total), f"Billed {billed} s per task (per second, rounded up, 60 s minimum): "
                    f"({cpu / 1024:g} x {r['vcpu_hour']} + {mem / 1024:g} x {r['gb_hour']}) x {billed}/3600 x {tasks}."),
                   [(fmt.format(no_min), "Forgets the one-minute minimum (or the rounding up to the second)."),
                    (fmt.format(hourly), "Fargate bills per second, not per started hour."),
                    (fmt.format(cost.total * 1024 / 1000), "Uses 1000 MiB per GB; memory is billed per GB."),
                    (fmt.format(cost.total / max(tasks, 1)) if tasks > 1 else fmt.format(cost.total * 2),
                     "Counts the wrong number of tasks.")], SRC["pricing"])


def rolling_bounds(rng: random.Random, seed: int) -> Question:
    desired = rng.randint(3, 15)
    lo = rng.choice([25, 33, 50, 66, 75, 100])
    hi = rng.choice([100, 125, 150, 175, 200])
    hi = max(hi, lo, 100)
    if lo == 100 and hi == 100:
        hi = 150
    b = deployments.deployment_bounds(desired, {"minimumHealthyPercent": lo, "maximumPercent": hi})
    stem = (f"A REPLICA service has desiredCount {desired}, minimumHealthyPercent {lo} and maximumPercent {hi}. "
            "During a rolling update, what are the fewest tasks that must stay RUNNING and healthy, and the most "
            "tasks that may be RUNNING or PENDING?")
    f_lo, c_hi = math.floor(desired * lo / 100), math.ceil(desired * hi / 100)
    return _finish(rng, f"param-rolling-{seed}", "scaling", "deployments", stem,
                   (f"{b.min_healthy_tasks} and {b.max_tasks}",
                    f"min = ceil({desired} x {lo}%) = {b.min_healthy_tasks}; max = floor({desired} x {hi}%) = {b.max_tasks}."),
                   [(f"{f_lo} and {c_hi}", "Rounds the wrong way: the minimum rounds up and the maximum rounds down."),
                    (f"{b.min_healthy_tasks} and {c_hi}", "The maximum is rounded down, not up."),
                    (f"{b.max_tasks - b.min_healthy_tasks} and {b.max_tasks}",
                     "'max minus min' is not the number of tasks that must stay healthy."),
                    (f"{desired} and {desired * 2}", "Assumes the defaults (100% / 200%) instead of the settings."),
                    (f"{max(0, b.min_healthy_tasks - 1)} and {b.max_tasks}", "The minimum is rounded up, not down."),
                    (f"{b.min_healthy_tasks} and {b.max_tasks + 1}", "The maximum is rounded down."),
                    (f"{desired} and {b.max_tasks}", "Only a 100% minimum keeps every task running.")],
                   SRC["deploy"])


def capacity_split(rng: random.Random, seed: int) -> Question:
    base = rng.randint(0, 4)
    w1, w2 = rng.randint(1, 3), rng.randint(1, 5)
    count = rng.randint(base + 2, base + 20)
    strat = [{"capacityProvider": "FARGATE", "base": base, "weight": w1},
             {"capacityProvider": "FARGATE_SPOT", "weight": w2}]
    s = capacity.split_tasks(strat, count)
    naive = capacity.split_tasks([{"capacityProvider": "FARGATE", "weight": w1},
                                  {"capacityProvider": "FARGATE_SPOT", "weight": w2}], count)
    stem = (f"A service runs {count} tasks with the capacity provider strategy FARGATE (base {base}, weight {w1}) "
            f"and FARGATE_SPOT (weight {w2}). How many tasks run on each provider?")
    def txt(d: dict[str, int]) -> str:
        return f"FARGATE {d['FARGATE']}, FARGATE_SPOT {d['FARGATE_SPOT']}"
    other = {"FARGATE": min(count, base + s["FARGATE_SPOT"]), "FARGATE_SPOT": count - min(count, base + s["FARGATE_SPOT"])}
    return _finish(rng, f"param-capacity-{seed}", "scaling", "capacity-providers", stem,
                   (txt(s), f"The base first: {base} on FARGATE; the other {count - min(base, count)} split {w1}:{w2}."),
                   [(txt(naive), "Ignores the base: it is satisfied before the weights apply."),
                    (txt({"FARGATE": base, "FARGATE_SPOT": count - base}), "The base provider also gets its weighted share."),
                    (txt(other), "Swaps the weights."),
                    (txt({"FARGATE": count // 2, "FARGATE_SPOT": count - count // 2}), "Weights are not an even split."),
                    (txt({"FARGATE": s["FARGATE"] + 1, "FARGATE_SPOT": s["FARGATE_SPOT"] - 1}),
                     "Off by one: after the base, the split follows the weights exactly."),
                    (txt({"FARGATE": s["FARGATE"] - 1, "FARGATE_SPOT": s["FARGATE_SPOT"] + 1}),
                     "Off by one: the base provider keeps its base plus its weighted share.")],
                   SRC["cp"])


def fargate_size(rng: random.Random, seed: int) -> Question:
    cpu = rng.choice([256, 512, 1024, 2048, 4096])
    valid = fargate.FARGATE_TASK_SIZES[cpu]
    good = rng.choice(valid)
    bad = sorted({m for m in (valid[0] // 2, valid[-1] + 1024, valid[-1] * 2, valid[0] - 512) if m > 0 and m not in valid})
    stem = f"A Fargate task definition sets cpu {cpu} ({cpu / 1024:g} vCPU). Which memory value will ECS accept?"
    return _finish(rng, f"param-size-{seed}", "task-definitions", "task-definitions", stem,
                   (f"{good} MiB", f"For {cpu / 1024:g} vCPU Fargate allows {valid[0]}-{valid[-1]} MiB in the documented steps."),
                   [(f"{m} MiB", "Outside the Fargate table for that CPU: RegisterTaskDefinition fails with "
                                 "\"Invalid 'memory' setting\".") for m in bad], SRC["size"])


def binpack_target(rng: random.Random, seed: int) -> Question:
    c = ClusterState("quiz")
    layout = [("m5.large", "us-east-1a"), ("t3.medium", "us-east-1a"), ("r5.large", "us-east-1b"),
              ("t3.small", "us-east-1b")]
    rng.shuffle(layout)
    for itype, az in layout:
        c.add_instance(itype, az)
    mem = rng.choice([512, 1024, 2048])
    r = place_tasks(c, {"family": "q", "containerDefinitions": [{"name": "a", "memory": mem}]}, 1,
                    placement_strategy=[{"type": "binpack", "field": "memory"}])
    chosen = c.instances[r.decisions[0].container_instance_arn].instance_type
    names = [f"{i.instance_type} ({i.memory} MiB free)" for i in c.instances.values()]
    label = next(n for n in names if n.startswith(chosen + " "))
    stem = (f"A cluster has four empty container instances: {', '.join(names)}. A task needing {mem} MiB is run "
            "with the placement strategy binpack on memory. Which instance gets it?")
    def why(n: str) -> str:
        free = int(n.split("(")[1].split()[0])
        return ("It has too little memory for the task." if free < mem
                else "It has more memory remaining; binpack chooses the least that still fits.")
    return _finish(rng, f"param-binpack-{seed}", "placement", "placement", stem,
                   (label, "binpack(memory) picks the instance with the least remaining memory that still fits."),
                   [(n, why(n)) for n in names if n != label], SRC["placement"])


def step_scaling(rng: random.Random, seed: int) -> Question:
    current = rng.randint(3, 20)
    pct = rng.choice([10, 25, 30, 50])
    cfg = {"AdjustmentType": "PercentChangeInCapacity", "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": pct}]}
    new, _ = step_scaling_desired(current, 90, 70, cfg)
    raw = current * pct / 100
    stem = (f"A service runs {current} tasks. A step scaling policy with AdjustmentType PercentChangeInCapacity "
            f"adds {pct}% when its alarm fires (no MinAdjustmentMagnitude). What is the new desired count?")
    return _finish(rng, f"param-step-{seed}", "scaling", "auto-scaling", stem,
                   (str(new), f"{current} x {pct}% = {raw:g}; values above 1 round down and values between 0 and 1 "
                              f"round to 1, so +{new - current}."),
                   [(str(current + math.ceil(raw)), "Rounds up; Application Auto Scaling rounds values above 1 down."),
                    (str(current + round(raw) + 1), "Off by one."),
                    (str(current + pct), "Treats the percentage as a task count."),
                    (str(current), "A positive adjustment always changes capacity by at least 1.")], SRC["step"])


GENERATORS: dict[str, Callable[[random.Random, int], Question]] = {
    "fargate-cost": fargate_cost, "rolling-bounds": rolling_bounds, "capacity-split": capacity_split,
    "fargate-size": fargate_size, "binpack": binpack_target, "step-scaling": step_scaling,
}


def generate(kind: str, seed: int) -> Question:
    if kind not in GENERATORS:
        raise ValueError(f"unknown generator {kind!r}; choose one of {', '.join(GENERATORS)}")
    return GENERATORS[kind](random.Random(f"{kind}:{seed}"), seed)


def practice_set(n: int = 30, seed: int = 0) -> list[Question]:
    kinds = list(GENERATORS)
    return [generate(kinds[i % len(kinds)], seed * 1000 + i) for i in range(n)]
