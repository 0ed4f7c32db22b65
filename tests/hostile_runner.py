"""Run the hostile-input corpus (tests/hostile_corpus.py): each case in a forked process under a
memory limit; report what the user was told and the case's peak memory.

    .venv/bin/python tests/hostile_runner.py              # a table: case, peak MB, outcome
    .venv/bin/python tests/hostile_runner.py --json ID…   # what tests/test_hostile.py reads

Each case runs in a child forked from this process once the advisor, plotly and the other
modules a CLI or app process holds are imported. The child's address space is limited with
``resource.setrlimit(RLIMIT_AS)`` to what this process already maps plus :data:`LIMIT_MB`, so an
input that still expanded without bound would die of MemoryError instead of taking the machine.

Peak memory is measured, not estimated from sizes: the child reads its resident set, runs the
case and reads its peak (``VmHWM``); that growth is added to this process's resident set at the
fork, which is what a fresh process running the case would reach (an alias bomb measures about
53 MB here and 48 MB under ``/usr/bin/time`` as a fresh ``python -m advisor`` process).
Processes a case starts itself (two editors saving at once, a console in cp1252) count by their
own peak (``RUSAGE_CHILDREN``).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import traceback
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

import advisor.cli  # noqa: E402,F401 - imported before forking, as a running process has them
import advisor.render.html  # noqa: E402,F401
import advisor.authoring.trial  # noqa: E402,F401
from hostile_corpus import CASES, Case  # noqa: E402

LIMIT_MB = 768
TIMEOUT_S = 300


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _child(case: Case, scratch: Path, write_end: int) -> None:
    """Run ``case`` in this forked process and send its outcome down ``write_end``."""
    outcome: dict = {}
    try:
        limit = (_status_kb("VmSize") + LIMIT_MB * 1024) * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        signal.alarm(TIMEOUT_S)
        with contextlib.suppress(OSError):
            # A forked child starts its peak at its own resident set; resetting it is a guard
            # against kernels that copy the parent's.
            Path("/proc/self/clear_refs").write_text("5")
        start_kb = _status_kb("VmRSS")
        lines, values = case.run(scratch)
        outcome = {"lines": lines, "values": {k: str(v) for k, v in values.items()},
                   "growth_kb": _status_kb("VmHWM") - start_kb,
                   "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}
    except BaseException:  # noqa: BLE001 - the parent reports whatever went wrong
        outcome = {"error": traceback.format_exc(limit=-3)}
    with os.fdopen(write_end, "w") as out:
        json.dump(outcome, out)
    os._exit(0)


def run_case(case: Case, root: Path) -> dict:
    """Run one case in a forked child; what it told the user, what it should have, its memory."""
    scratch = root / case.id
    scratch.mkdir(mode=0o755)
    read_end, write_end = os.pipe()
    parent_kb = _status_kb("VmRSS")
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(case, scratch, write_end)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        text = pipe.read()
    _, status = os.waitpid(pid, 0)
    outcome = json.loads(text) if text else {
        "error": f"the case process died (wait status {status})"}
    values = outcome.get("values", {})
    return {
        "entry": case.entry,
        "lines": outcome.get("lines"),
        "expected": case.expected_lines(scratch, values),
        "peak_mb": round(max(parent_kb + outcome.get("growth_kb", 0),
                             outcome.get("children_kb", 0)) / 1024, 1),
        "error": outcome.get("error"),
    }


def run(ids: list[str]) -> dict[str, dict]:
    """Every case named in ``ids`` (all when empty), by id."""
    chosen = [c for c in CASES if not ids or c.id in ids]
    root = Path(tempfile.mkdtemp(prefix="hostile-"))
    root.chmod(0o755)  # a case may drop to nobody, which must still reach its scratch directory
    try:
        return {case.id: run_case(case, root) for case in chosen}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    results = run([a for a in argv if a != "--json"])
    if as_json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
        return 0
    width = max(map(len, results))
    for case_id, result in results.items():
        verdict = "ok" if result["lines"] == result["expected"] else "MISMATCH"
        print(f"{case_id:<{width}}  {result['entry']:<16} {result['peak_mb']:>7.1f} MB  "
              f"{verdict}")
    peak = max(results.values(), key=lambda r: r["peak_mb"])
    print(f"{len(results)} cases; peak {peak['peak_mb']:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
