"""Widget benchmark: one update (model recompute + SVG re-render) with 100 instances / 500 tasks.

Target (issue 5): under 50 ms. The placement explorer recomputes 500 placements (with every
rejection reason), the next task's reasons, and redraws the SVG.
"""

from __future__ import annotations

import statistics
import sys
import time

from ecsbook.scheduler.state import ClusterState
from ecsbook.widgets.placement import PlacementExplorer
from ecsbook.widgets.rolling import RollingUpdatePlayer
from ecsbook.widgets.scaling import ScalingSimulator


def timed(fn, runs: int = 10) -> float:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main() -> int:
    azs = ["us-east-1a", "us-east-1b", "us-east-1c"]
    c = ClusterState("bench")
    for i in range(100):
        c.add_instance(["m5.xlarge", "m5.large", "c5.large"][i % 3], azs[i % 3])
    e = PlacementExplorer(cluster=c, count=40, memory=256, cpu=64)
    e.count.max = 500
    values = iter([500, 499] * 20)
    placement = timed(lambda: setattr(e.count, "value", next(values)))
    r = RollingUpdatePlayer(desired=30)
    flips = iter([True, False] * 20)
    rolling = timed(lambda: setattr(r.failing, "value", next(flips)))
    s = ScalingSimulator()
    targets = iter([40, 60] * 20)
    scaling = timed(lambda: setattr(s.target, "value", next(targets)))
    # static mode: precomputing every state at build time (once per page build)
    from ecsbook.widgets.placement import PlacementComparison

    static = {}
    for name, make in {"placement explorer": lambda: PlacementExplorer(count=6),
                       "comparison": lambda: PlacementComparison(count=8),
                       "rolling update player": lambda: RollingUpdatePlayer(desired=6, failing=True),
                       "scaling simulator": lambda: ScalingSimulator(preset="spike")}.items():
        view = make()
        t0 = time.perf_counter()
        html = view.static_html()
        static[name] = (time.perf_counter() - t0, len(html), len(view.static_widget().states))
    ok = placement < 0.050
    print(f"placement explorer update, 100 instances / 500 tasks: {placement * 1000:.1f} ms "
          f"-> {'PASS' if ok else 'FAIL'} (< 50 ms)")
    print(f"rolling update player update (30 tasks): {rolling * 1000:.1f} ms")
    print(f"scaling simulator update (180 minutes): {scaling * 1000:.1f} ms")
    for name, (secs, size, states) in static.items():
        print(f"static mode, {name}: {states} states precomputed in {secs * 1000:.0f} ms, "
              f"{size / 1024:.0f} KiB of HTML")
    print("static mode switch in the browser: measured by tests/site/test_widgets_browser.py (< 50 ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
