"""Command line: ``python -m advisor COMMAND``, a subcommand of the list below.

Subcommands: recommend, frontier, eval, check, test, explain, diff, prices, schema, curve, bench.

User errors print ``path:line: message`` lines on stderr and exit 1; usage errors exit 2. No
traceback reaches the user for anything they can fix. Output is UTF-8 whatever the console's
encoding, and ``--output`` files are written atomically (:mod:`advisor.source.outputs`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from advisor.analysis.full import analyse
from advisor.authoring.explain import explain, format_trace
from advisor.authoring.jsonschema import write_schemas
from advisor.authoring.lint import check_rules, rule_locations
from advisor.authoring.rulediff import diff_directories, format_diff
from advisor.authoring.scenarios import (SCENARIO_DIR, format_result, format_summary,
                                         load_scenarios, run_scenarios, scenario_files)
from advisor.engine.decide import decision_map, recommend
from advisor.errors import OutputError, Problem, RulesError, UserInputError
from advisor.model.answers import TaskType, Verifiability
from advisor.progress import Progress
from advisor.render.report import to_json, to_markdown
from advisor.render.vocabulary import Vocabulary
from advisor.source.answers_file import load_answers
from advisor.source.bundled import RULES_DIR_ENV, default_rules_dir, examples_dir
from advisor.source.links import app_link
from advisor.source.loader import inspect_rules, load_rules, rules_files
from advisor.source.messages import did_you_mean
from advisor.source.outputs import write_output

# Why ./rules first: run from a checkout, messages name rules/… as the user sees it there.
DEFAULT_RULES = os.environ.get(RULES_DIR_ENV) or (
    "rules" if Path("rules").is_dir() else str(default_rules_dir()))
EXAMPLES_DIR = examples_dir()


def _cmd_recommend(args: argparse.Namespace) -> int:
    allowed = ("csv", "json") if args.batch else ("json", "markdown", "html", "pdf")
    if args.format not in (None, *allowed):
        print(f"python -m advisor recommend: --format {args.format} works "
              f"{'without' if args.batch else 'with'} --batch; use {' or '.join(allowed)}",
              file=sys.stderr)
        return 2
    if args.format == "pdf" and not args.output:
        print("python -m advisor recommend: --format pdf needs --output FILE.pdf",
              file=sys.stderr)
        return 2
    rules = load_rules(args.rules)
    if args.batch:
        return _recommend_batch(args, rules)
    answers = load_answers(args.answers)
    with Progress() as progress:
        if args.eval:
            progress.step(f"Fitting your eval results ({args.eval})")
            answers = _with_eval(answers, args.eval, args.eval_model, rules)
        progress.step("Analysing: the recommendation, break-even, what would change")
        rec = analyse(answers, rules)
        if args.format in (None, "json"):
            out = to_json(rec)
        elif args.format == "markdown":
            out = to_markdown(rec, vocabulary=Vocabulary.of(rules))
        else:
            from advisor.render.html import to_html  # Why lazy: plotly costs ~0.5 s to import

            progress.step("Drawing the report's charts and decision map")
            out = to_html(rec, vocabulary=Vocabulary.of(rules),
                          dmap=decision_map(answers, rules), paper=args.paper,
                          link=args.app_url and app_link(args.app_url, answers))
            if args.format == "pdf":
                from advisor.render.pdf import html_to_pdf

                progress.step("Printing the PDF with Chromium")
                out = html_to_pdf(out)
    return _deliver(args, out, Path(args.answers), "the answers file")


def _cmd_frontier(args: argparse.Namespace) -> int:
    from advisor.analysis.frontier import frontier
    from advisor.render.frontier_text import frontier_lines
    from advisor.render.report import FRONTIER_HEADING

    rules = load_rules(args.rules)
    answers = load_answers(args.answers)
    result = frontier(rules, answers)
    if result is None:
        raise UserInputError([Problem(str(Path(args.rules)), 0, "the rules have no 'economics' "
                                      "section, which the frontier needs (training and inference "
                                      "FLOPs per parameter and token)")])
    if args.format == "markdown":
        out = "\n".join([FRONTIER_HEADING[1:], "", *frontier_lines(result), ""])
    else:
        out = result.model_dump_json(indent=2) + "\n"
    return _deliver(args, out, Path(args.answers), "the answers file")


def _deliver(args: argparse.Namespace, out: str | bytes, source: Path, what: str) -> int:
    """Print ``out``, or write it to ``--output`` (never over ``source`` or a rules file)."""
    if args.output:
        inputs = {source: what, **{path: "a rules file" for path in rules_files(args.rules)}}
        write_output(args.output, out, inputs=inputs, input_directories=[Path(args.rules)])
    else:
        _emit(out)
    return 0


def _with_eval(answers, path: str, model: str | None, rules):
    """``answers`` re-anchored on the fit of an eval file for ``model`` (or the answers' own)."""
    from advisor.engine.evalfit import fit_eval, load_eval

    model = model or answers.measured_model
    known = [m.id for m in rules.models]
    if model is None or model not in known:
        what = ("--eval needs the model that produced the results: --eval-model ID or "
                "measured_model in the answers" if model is None else
                f"--eval-model {model!r} is not a model tier{did_you_mean(model, known)}")
        raise UserInputError([Problem(path, 0, what)])
    fit = fit_eval(*load_eval(path))
    return answers.model_copy(update={"measured_model": model, "measured_accuracy": fit.accuracy,
                                      "measured_dispersion": fit.dispersion})


def _cmd_eval(args: argparse.Namespace) -> int:
    from advisor.engine.evalfit import fit_eval, load_eval

    with Progress() as progress:
        progress.step(f"Fitting {args.file}: accuracy, spread and pass@k")
        fit = fit_eval(*load_eval(args.file))
    ks = list(fit.pass_at_k)
    out = {"problems": fit.problems, "attempts": fit.attempts, "accuracy": fit.accuracy,
           "dispersion": fit.dispersion, "alpha": fit.alpha, "beta": fit.beta, "note": fit.note,
           "pass_at_k": {str(k): round(v, 4) for k, v in fit.pass_at_k.items()},
           "fitted_coverage": {str(k): round(float(fit.coverage(k)), 4) for k in ks},
           "answers": {"measured_accuracy": fit.accuracy,
                       "measured_dispersion": fit.dispersion},
           "meaning": {
               "accuracy": "single-pass accuracy: the share of problems one attempt solves",
               "dispersion": "α + β of the Beta distribution of per-problem success rates",
               "pass_at_k": "unbiased pass@k from your attempts (Chen et al. 2021)",
               "fitted_coverage": "1 − B(α, β + k) / B(α, β), the fitted curve at the same k"}}
    _emit(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return 0


def _recommend_batch(args: argparse.Namespace, rules) -> int:
    from advisor.engine.batch import portfolio_csv, portfolio_json, recommend_portfolio

    with Progress() as progress:
        progress.step(f"Recommending every workload in {args.batch}")
        frame = recommend_portfolio(args.batch, rules)
        progress.step(f"Writing {len(frame):,} recommendations")
        out = portfolio_json(frame) if args.format == "json" else portfolio_csv(frame)
    return _deliver(args, out, Path(args.batch), "the portfolio file")


def _cmd_check(args: argparse.Namespace) -> int:
    problems = check_rules(args.directory)
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        print(f"{len(problems)} problem(s) in {args.directory}", file=sys.stderr)
        return 1
    if problems and args.strict:
        print(f"{len(problems)} warning(s) in {args.directory} (--strict: warnings fail)",
              file=sys.stderr)
        return 1
    suffix = f" ({len(problems)} warning(s))" if problems else ""
    print(f"{args.directory}: rules are valid{suffix}")
    return 0


def _cmd_test(args: argparse.Namespace) -> int:
    rules = load_rules(args.rules)
    loaded, problems = load_scenarios(scenario_files(args.rules), rules)
    for problem in problems:
        print(problem, file=sys.stderr)
    if any(p.severity == "error" for p in problems):
        return 1
    if not loaded:
        print(f"no scenarios in {Path(args.rules) / SCENARIO_DIR}", file=sys.stderr)
        return 1
    results = run_scenarios(loaded, rules)
    for result in results:
        if not result.passed or args.verbose:
            print(format_result(result))
    print(format_summary(results))
    return 0 if all(r.passed for r in results) else 1


def _cmd_explain(args: argparse.Namespace) -> int:
    rules, problems, sources = inspect_rules(args.rules)
    if rules is None:
        raise RulesError(problems)
    trace = explain(load_answers(args.answers), rules, locations=rule_locations(sources))
    _emit(format_trace(trace))
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    _emit(format_diff(diff_directories(args.old, args.new, examples_dir=args.examples)))
    return 0


def _cmd_prices(args: argparse.Namespace) -> int:
    from advisor.authoring import prices

    table_path = Path(args.table) if args.table else prices.default_table()
    report = prices.check_prices(args.rules, prices.read_table(table_path),
                                 table_name=str(table_path))
    for line in report.lines():
        print(line, file=sys.stderr)
    if not report.changes:
        print(f"{args.rules}: the prices of {report.checked} model tier(s) match {table_path}")
        return 0
    if not args.sync:
        print(f"{len(report.changes)} price(s) differ from {table_path}; "
              "python -m advisor prices --sync writes them", file=sys.stderr)
        return 1
    backups = prices.sync_prices(args.rules, report, today=dt.date.today())
    print(f"wrote {len(report.changes)} price(s) from {table_path}, dated today; the previous "
          f"version is kept as {', '.join(str(b) for b in backups)}")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    changed = write_schemas(args.rules)
    for path in changed:
        print(f"wrote {path}")
    if not changed:
        print(f"schemas under {args.rules} are up to date")
    return 0


def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _portfolio(count: int, seed: int = 7) -> list[dict]:
    """``count`` varied workloads (every task type, verifiability and budget range)."""
    import numpy as np

    from advisor.model.answers import TaskType, Verifiability

    rng = np.random.default_rng(seed)
    tasks, checks = [t.value for t in TaskType], [v.value for v in Verifiability]
    return [{"task_type": tasks[rng.integers(len(tasks))],
             "verifiability": checks[rng.integers(len(checks))],
             "latency_budget_s": float(10 ** rng.uniform(-0.5, 3)),
             "budget_per_query_usd": float(10 ** rng.uniform(-4.5, 0.5)),
             "training_budget_usd": float(rng.choice([0, 1000, 5000, 50_000])),
             "queries_per_day": int(10 ** rng.uniform(1, 6)),
             "needs_calibration": bool(rng.random() < 0.2),
             "high_stakes": bool(rng.random() < 0.2)} for _ in range(count)]


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _cmd_bench(args: argparse.Namespace) -> int:
    from advisor.engine.decide import recommend_many

    rules = load_rules(args.rules)
    examples = sorted(EXAMPLES_DIR.glob("*.yaml"))
    answers = [load_answers(p) for p in examples]
    for a in answers:  # warm the candidate tables, as a running app would have
        analyse(a, rules)
    single = [t for a in answers for t in _timed(lambda: recommend(a, rules), args.repeat)]
    full = [t for a in answers for t in _timed(lambda: analyse(a, rules),
                                               max(5, args.repeat // 20))]
    profile = answers[0]
    decision_map(profile, rules)
    grid = _timed(lambda: decision_map(profile, rules), max(5, args.repeat // 20))
    # Why the fastest call too: on a shared machine the median moves with the neighbours'
    # load, the fastest call with the code.
    print(f"recommend (one profile, warm): median {statistics.median(single) * 1e6:.0f} µs, "
          f"fastest {min(single) * 1e6:.0f} µs, over {len(single)} calls of the {len(answers)} "
          "examples (target ≤ 60 µs)")
    print(f"analyse (recommend + break-even + what would change + frontier): median "
          f"{statistics.median(full) * 1000:.1f} ms, fastest {min(full) * 1000:.1f} ms, over "
          f"{len(full)} calls (target ≤ 6 ms)")
    print(f"decision map 50x50 ({examples[0].name}): median "
          f"{statistics.median(grid) * 1000:.1f} ms, fastest {min(grid) * 1000:.1f} ms")
    rows = _portfolio(args.batch_size)
    recommend_many(rows[:1000], rules)  # warm every candidate table the portfolio needs
    before = _peak_rss_mb()
    start = time.perf_counter()
    recommend_many(rows, rules)
    seconds = time.perf_counter() - start
    print(f"recommend_many ({args.batch_size:,} profiles): {seconds:.2f} s, "
          f"{seconds / args.batch_size * 1e6:.1f} µs a profile; peak memory of the process "
          f"{_peak_rss_mb():,.0f} MB ({_peak_rss_mb() - before:,.0f} MB more than before the "
          "batch; targets ≤ 3 s and ≤ 1 GB)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m advisor`` parser: one subcommand each, each bound to its ``_cmd_*``.

    Returns:
        The parser; ``parse_args`` gives a namespace whose ``func`` runs the subcommand.
    """
    parser = argparse.ArgumentParser(
        prog="python -m advisor",
        description="Should you buy answer quality with inference-time or training compute?")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_recommend_parser(sub)
    _add_frontier_parser(sub)
    _add_eval_parser(sub)
    _add_check_parser(sub)
    _add_test_parser(sub)
    _add_explain_parser(sub)
    _add_diff_parser(sub)
    _add_prices_parser(sub)
    _add_schema_parser(sub)
    _add_curve_parser(sub)
    _add_bench_parser(sub)
    return parser


def _add_rules_option(parser: argparse.ArgumentParser) -> None:
    """``--rules DIR``, defaulting to the bundled rules (or $ADVISOR_RULES_DIR)."""
    parser.add_argument("--rules", default=DEFAULT_RULES,
                        help="rules directory (default: %(default)s)")


def _add_recommend_parser(sub) -> None:
    rec = sub.add_parser("recommend", help="recommend a configuration for an answers file, or "
                                           "for every workload of a portfolio (--batch)")
    source = rec.add_mutually_exclusive_group(required=True)
    source.add_argument("--answers", help="YAML or JSON answers file")
    source.add_argument("--batch", metavar="CSV",
                        help="CSV file with one workload per row and one column per answer "
                             "field; prints a table (CSV, or --format json) of every row's "
                             "recommendation")
    _add_rules_option(rec)
    rec.add_argument("--format", choices=("json", "markdown", "html", "pdf", "csv"), default=None,
                     help="json (default): the full result; markdown: a decision record; html: "
                          "a self-contained report with charts (works offline, prints on A4 or "
                          "Letter): a one-page summary, then the detail; pdf: that report "
                          "printed by headless Chromium (needs Chromium and --output); with "
                          "--batch, csv (default) or json")
    rec.add_argument("--output", "-o", help="write to this file instead of standard output")
    rec.add_argument("--paper", choices=("a4", "letter"), default="a4",
                     help="the page size html and pdf reports print on (default: a4)")
    rec.add_argument("--app-url", metavar="URL",
                     help="the advisor app's address (e.g. https://advisor.example.com/): html "
                          "and pdf reports then print a link that opens this decision there")
    rec.add_argument("--eval", metavar="CSV",
                     help="per-problem results of your own eval (problem_id, attempts, correct): "
                          "re-anchors every model on the fitted accuracy and spread")
    rec.add_argument("--eval-model", metavar="ID",
                     help="the model tier that produced --eval (default: measured_model in the "
                          "answers)")
    rec.epilog = ("--batch reads a CSV such as:\n"
                  "  task_type,latency_budget_s,budget_per_query_usd,training_budget_usd,"
                  "verifiability\n  math,60,0.1,0,verifiable_steps")
    rec.formatter_class = argparse.RawDescriptionHelpFormatter
    rec.set_defaults(func=_cmd_recommend)


def _add_frontier_parser(sub) -> None:
    front = sub.add_parser(
        "frontier",
        help="iso-quality curves of training against inference compute for an answers file, "
             "with exchange rates and the cheapest point",
        description="For the recommended quality and levels around it, the least inference "
                    "spend per query that reaches it at each training level (model tiers and "
                    "their fine-tunes), in FLOPs and in dollars.")
    front.add_argument("--answers", required=True, help="YAML or JSON answers file")
    _add_rules_option(front)
    front.add_argument("--format", choices=("json", "markdown"), default="json",
                       help="json (default): the frontier as data; markdown: the report section")
    front.add_argument("--output", "-o", help="write to this file instead of standard output")
    front.set_defaults(func=_cmd_frontier)


def _add_eval_parser(sub) -> None:
    ev = sub.add_parser("eval", help="fit per-problem eval results: accuracy, spread, pass@k")
    ev.add_argument("file", help="CSV with columns problem_id, attempts, correct")
    ev.set_defaults(func=_cmd_eval)


def _add_check_parser(sub) -> None:
    check = sub.add_parser("check", help="validate a rules directory")
    check.add_argument("directory", nargs="?", default=DEFAULT_RULES)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(func=_cmd_check)


def _add_test_parser(sub) -> None:
    test = sub.add_parser("test", help="run the rule test scenarios (DIR/tests/*.yaml)")
    _add_rules_option(test)
    test.add_argument("-v", "--verbose", action="store_true", help="list passing scenarios too")
    test.set_defaults(func=_cmd_test)


def _add_explain_parser(sub) -> None:
    why = sub.add_parser("explain", help="trace every rule for an answers file")
    why.add_argument("--answers", required=True, help="YAML or JSON answers file")
    _add_rules_option(why)
    why.set_defaults(func=_cmd_explain)


def _add_diff_parser(sub) -> None:
    diff = sub.add_parser("diff", help="compare two rules directories and their recommendations")
    diff.add_argument("old", help="the current rules directory")
    diff.add_argument("new", help="the proposed rules directory")
    diff.add_argument("--examples", default=str(EXAMPLES_DIR),
                      help="answers files to compare (default: %(default)s)")
    diff.set_defaults(func=_cmd_diff)


def _add_prices_parser(sub) -> None:
    price = sub.add_parser(
        "prices", help="compare the model tiers' prices with litellm's price table (--check), "
                       "or write the table's prices into the rules (--sync)")
    mode = price.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true",
                      help="list every price that differs (path:line); exit 1 if any does")
    mode.add_argument("--sync", action="store_true",
                      help="write the table's prices and today's date into the rules file, "
                           "keeping its comments and layout (the old file is kept as a .bak)")
    _add_rules_option(price)
    price.add_argument("--table", metavar="FILE",
                       help="a price table in litellm's JSON format (default: the one the "
                            "installed litellm package ships)")
    price.set_defaults(func=_cmd_prices)


def _add_schema_parser(sub) -> None:
    schema = sub.add_parser("schema", help="write the JSON Schemas editors use")
    _add_rules_option(schema)
    schema.set_defaults(func=_cmd_schema)


def _add_bench_parser(sub) -> None:
    bench = sub.add_parser("bench", help="measure recommendation and decision-map speed")
    bench.add_argument("--rules", default=DEFAULT_RULES)
    bench.add_argument("--repeat", type=int, default=200,
                       help="calls of recommend per example (default: %(default)s)")
    bench.add_argument("--batch-size", type=int, default=100_000,
                       help="profiles in the recommend_many run (default: %(default)s)")
    bench.set_defaults(func=_cmd_bench)


def _emit(text: str) -> None:
    """Write ``text`` to standard output and flush it.

    Raises:
        OutputError: standard output cannot be written (a full disk, a closed terminal).
    """
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError([Problem("<stdout>", 0, f"cannot write: {exc.strerror}")]) from None


def _utf8_streams() -> None:
    """Write UTF-8 whatever the console says (PYTHONIOENCODING=cp1252 broke on '×' and '≥').

    Why backslashreplace on stderr only: a message must always get out; the output itself is
    UTF-8 text and never needs replacing.
    """
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors=errors)


def _add_curve_parser(sub) -> None:
    curve = sub.add_parser(
        "curve", help="predict one configuration's accuracy and cost, for any parameter value, "
                      "to check a number against a paper",
        description="Print the predicted single-answer accuracy (and, for a model tier, cost "
                    "and latency) of one configuration as JSON. Any positive number of samples, "
                    "branches, levels, rounds, thinking tokens or retrieved chunks is allowed; "
                    "a retrieval reads your documents (the family's closed_book_share).")
    curve.add_argument("--task", required=True, choices=[t.value for t in TaskType])
    curve.add_argument("--difficulty", help="a level of the task type (default: its default "
                                            "level)")
    who = curve.add_mutually_exclusive_group(required=True)
    who.add_argument("--tier", help="a model tier id from models.yaml")
    who.add_argument("--base-accuracy", type=float,
                     help="single-pass accuracy of a model trained to reason, instead of a tier")
    curve.add_argument("--base-tokens", type=float,
                       help="reasoning tokens per answer behind --base-accuracy (default: the "
                            "task's thinking_tokens)")
    curve.add_argument("--strategy", required=True, help="a strategy id from strategies.yaml")
    for name in ("samples", "breadth", "depth", "rounds", "thinking-tokens", "chunks"):
        curve.add_argument(f"--{name}", type=int)
    curve.add_argument("--verifiability", default="none", choices=[v.value for v in Verifiability])
    curve.add_argument("--effort", default="medium", choices=("low", "medium", "high"),
                       help="thinking effort of a reasoning tier (default: medium)")
    curve.add_argument("--rules", default=DEFAULT_RULES)
    curve.set_defaults(func=_cmd_curve)


def _cmd_curve(args: argparse.Namespace) -> int:
    from advisor.engine.curve import describe, predict

    rules = load_rules(args.rules)
    where = "python -m advisor curve"
    problems = []
    levels = [level.id for level in rules.tasks[args.task].difficulties]
    if args.difficulty is not None and args.difficulty not in levels:
        problems.append(f"--difficulty {args.difficulty!r} is not a level of {args.task}; "
                        f"levels: {', '.join(levels)}")
    for flag, value, known in (("--tier", args.tier, [m.id for m in rules.models]),
                               ("--strategy", args.strategy, [s.id for s in rules.strategies])):
        if value is not None and value not in known:
            problems.append(f"{flag} {value!r} is unknown{did_you_mean(value, known)}; "
                            f"known: {', '.join(known)}")
    if args.base_accuracy is not None and not 0 < args.base_accuracy < 1:
        problems.append(f"--base-accuracy must be between 0 and 1, got {args.base_accuracy:g}")
    parameters = {"samples": args.samples, "breadth": args.breadth, "depth": args.depth,
                  "rounds": args.rounds, "thinking_tokens": args.thinking_tokens,
                  "chunks": args.chunks}
    if not problems:
        try:
            point = predict(rules, task=args.task, difficulty=args.difficulty, tier=args.tier,
                            base_accuracy=args.base_accuracy, base_tokens=args.base_tokens,
                            strategy=args.strategy, verifiability=args.verifiability,
                            effort=args.effort, **parameters)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise UserInputError([Problem(where, 0, message) for message in problems])
    out = describe(rules, point, task=args.task, difficulty=args.difficulty, tier=args.tier,
                   strategy=args.strategy, verifiability=args.verifiability,
                   parameters=parameters)
    _emit(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        _emit("")  # what print() left in the buffer: a full disk is reported, not ignored
        return code
    except UserInputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Why: `recommend | head` closes the pipe early; that is the reader's choice, not an
        # error. Point stdout at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
