"""Throughput of the store on each backend: snapshots saved and read per second.

    .venv/bin/python scripts/bench_store.py [--count N]

SQLite is a file in a temporary folder; PostgreSQL is ``$ADVISOR_TEST_POSTGRES_URL`` or a
throwaway cluster started here (tests/pgcluster.py). One process, one connection pool: a save is
one transaction (a full analysed result with every candidate and its range, about 800 kB of JSON);
a read is ``get`` by id, which validates the answers back into a model.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import pgcluster  # noqa: E402
from advisor import load_answers, load_rules  # noqa: E402
from advisor.analysis.full import analyse  # noqa: E402
from advisor.store.snapshots import Snapshot  # noqa: E402
from advisor.store import open_store  # noqa: E402


def measure(url: str, count: int, snapshot: Snapshot) -> tuple[float, float]:
    store = open_store(url)
    store.save(snapshot)  # warm the pool
    started = time.perf_counter()
    ids = [store.save(snapshot) for _ in range(count)]
    saved_per_s = count / (time.perf_counter() - started)
    started = time.perf_counter()
    for snapshot_id in ids:
        store.get(snapshot_id)
    read_per_s = count / (time.perf_counter() - started)
    store.close()
    return saved_per_s, read_per_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    count = parser.parse_args().count
    result = analyse(load_answers(ROOT / "examples" / "competition-math.yaml"),
                     load_rules(ROOT / "rules"))
    snapshot = Snapshot.of(result, title="benchmark", author="bench@example.com")
    print(f"{count} snapshots of {len(snapshot.result_json) / 1000:.0f} kB each")
    with tempfile.TemporaryDirectory() as folder:
        saved, read = measure(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", count, snapshot)
    print(f"sqlite:     {saved:7.0f} saved/s  {read:7.0f} read/s")
    url = os.environ.get("ADVISOR_TEST_POSTGRES_URL")
    cluster = None
    if not url:
        cluster = tempfile.mkdtemp(prefix="advisor-pg-")
        url = pgcluster.start(cluster)
    try:
        saved, read = measure(url, count, snapshot)
    finally:
        if cluster:
            pgcluster.stop(cluster)
            shutil.rmtree(cluster, ignore_errors=True)
    print(f"postgresql: {saved:7.0f} saved/s  {read:7.0f} read/s")


if __name__ == "__main__":
    main()
