"""Time the what-would-change search and the full analysis per example profile.

Run from the repository root: ``.venv/bin/python scripts/bench_analysis.py [--repeat N]``.
"Cold" is the first search on a freshly loaded rule set (it builds the candidate tables of every
task type); "warm" is what an app rerun pays, with the rule set cached. ``--app`` also times
advisor-page reruns headless (AppTest): unchanged answers (cached) and one changed answer.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor import load_answers, load_rules  # noqa: E402
from advisor.analysis.full import analyse  # noqa: E402
from advisor.analysis.counterfactual import what_would_change  # noqa: E402


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--app", action="store_true", help="also time advisor-page reruns")
    args = parser.parse_args()
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        answers = load_answers(path)
        rules = load_rules(ROOT / "rules")
        cold = _ms(lambda: what_would_change(answers, rules))
        warm = [_ms(lambda: what_would_change(answers, rules)) for _ in range(args.repeat)]
        full = [_ms(lambda: analyse(answers, rules)) for _ in range(args.repeat)]
        print(f"{path.name}: what_would_change cold {cold:.1f} ms, warm median "
              f"{statistics.median(warm):.1f} ms (max {max(warm):.1f}); analyse warm median "
              f"{statistics.median(full):.1f} ms")
    if args.app:
        _bench_app(args.repeat)
    return 0


def _bench_app(repeat: int) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    first = _ms(at.run)
    same = [_ms(at.run) for _ in range(repeat)]
    changed = []
    for i in range(repeat):
        at.number_input(key="latency_budget_s").set_value(10.0 + i + 1)
        changed.append(_ms(at.run))
    assert not at.exception, at.exception
    print(f"advisor page (AppTest): first run {first:.0f} ms; rerun, same answers, median "
          f"{statistics.median(same):.0f} ms; rerun after changing the latency budget, median "
          f"{statistics.median(changed):.0f} ms")


if __name__ == "__main__":
    raise SystemExit(main())
