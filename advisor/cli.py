"""Command line: ``python -m advisor recommend|check|bench``.

User errors print ``path:line: message`` lines on stderr and exit 1; usage errors exit 2. No
traceback reaches the user for anything they can fix.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from advisor.analysis import analyse
from advisor.answers import load_answers
from advisor.engine import decision_map, recommend
from advisor.errors import UserInputError
from advisor.loader import check_rules, load_rules
from advisor.report import to_json, to_markdown

DEFAULT_RULES = os.environ.get("ADVISOR_RULES_DIR", "rules")
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"


def _cmd_recommend(args: argparse.Namespace) -> int:
    rules = load_rules(args.rules)
    answers = load_answers(args.answers)
    rec = analyse(answers, rules)
    if args.format == "json":
        out = to_json(rec)
    elif args.format == "markdown":
        out = to_markdown(rec)
    else:
        from advisor.html_report import to_html  # Why lazy: plotly costs ~0.5 s to import

        out = to_html(rec, decision_map(answers, rules),
                      strategy_names={s.id: s.name for s in rules.strategies})
    if args.output:
        Path(args.output).write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out)
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    problems = check_rules(args.directory)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {args.directory}", file=sys.stderr)
        return 1
    print(f"{args.directory}: rules are valid")
    return 0


def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _cmd_bench(args: argparse.Namespace) -> int:
    rules = load_rules(args.rules)
    examples = sorted(EXAMPLES_DIR.glob("*.yaml"))
    answers = [load_answers(p) for p in examples]
    for a in answers:  # warm the per-profile candidate tables, as a running app would have
        recommend(a, rules)

    def batch() -> None:
        for a in answers:
            recommend(a, rules)

    per_batch = _timed(batch, args.repeat)
    per_rec = statistics.median(per_batch) / len(answers)
    profile = answers[0]
    decision_map(profile, rules)
    grid = _timed(lambda: decision_map(profile, rules), max(5, args.repeat // 20))
    print(f"recommend: {1 / per_rec:,.0f} recommendations/s "
          f"({per_rec * 1000:.3f} ms each, median over {args.repeat} runs of "
          f"{len(answers)} examples)")
    print(f"decision map 50x50 ({examples[0].name}): {statistics.median(grid) * 1000:.1f} ms "
          f"(median of {len(grid)}; best {min(grid) * 1000:.1f} ms)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m advisor",
        description="Should you buy answer quality with inference-time or training compute?")
    sub = parser.add_subparsers(dest="command", required=True)

    rec = sub.add_parser("recommend", help="recommend a configuration for an answers file")
    rec.add_argument("--answers", required=True, help="YAML or JSON answers file")
    rec.add_argument("--rules", default=DEFAULT_RULES, help="rules directory (default: %(default)s)")
    rec.add_argument("--format", choices=("json", "markdown", "html"), default="json",
                     help="json: the full result; markdown: a decision record; html: a "
                          "self-contained report with interactive charts (works offline)")
    rec.add_argument("--output", "-o", help="write to this file instead of standard output")
    rec.set_defaults(func=_cmd_recommend)

    check = sub.add_parser("check", help="validate a rules directory")
    check.add_argument("directory", nargs="?", default=DEFAULT_RULES)
    check.set_defaults(func=_cmd_check)

    bench = sub.add_parser("bench", help="measure recommendation and decision-map speed")
    bench.add_argument("--rules", default=DEFAULT_RULES)
    bench.add_argument("--repeat", type=int, default=200)
    bench.set_defaults(func=_cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UserInputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
