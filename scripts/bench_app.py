"""Measure the app's rerun after changing one answer (analysis and cost chart), with AppTest.

Usage: .venv/bin/python scripts/bench_app.py [--reruns 20]
Prints the median and worst wall time of `AppTest.run()` — the whole script run, an upper bound
on Streamlit's own script time (AppTest adds its element-tree bookkeeping).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reruns", type=int, default=20)
    args = parser.parse_args()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    times = []
    for i in range(args.reruns):
        # A different value each time, so no cache can answer: every rerun recomputes
        # the recommendation and the cost chart (the decision map waits for its tab).
        at.number_input(key="latency_budget_s").set_value(5.0 + i * 1.7)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    print(f"rerun after one changed answer: median {statistics.median(times) * 1000:.0f} ms, "
          f"worst {max(times) * 1000:.0f} ms over {len(times)} reruns (AppTest wall time)")


if __name__ == "__main__":
    main()
