"""Measure in Chromium what one edit of an answer costs, against a bare app: time until the
metrics show it, bytes sent over the websocket; and how long the downloads and the Rules page take.

Usage: .venv/bin/python scripts/bench_edit.py [--edits 12] [--rounds 2] [--checkout DIR]

The bare app (scripts/bare_app.py) has the same questionnaire, one metric and one chart: the
yardstick of issue 12 (an edit within 1.5x of its time; at most 60 KB per edit). Rounds
alternate the two apps, so load from other work on the machine falls on both; medians are
over every edit of every round. ``--checkout`` serves another checkout's app.py (e.g. a
worktree of an older commit) to measure a before/after pair the same way.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from streamlit_server import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

METRICS = "[data-testid='stMetricValue']"
# Resolves once the page's metric values differ from what they are now; the time it took
# (performance.now(), ms) lands in window.__edit. Installed just before the edit.
WATCH_METRICS = """() => {
  const text = () => [...document.querySelectorAll("%s")].map(e => e.textContent).join("|");
  const before = text();
  const start = performance.now();
  window.__edit = null;
  const observer = new MutationObserver(() => {
    if (text() !== before) { observer.disconnect(); window.__edit = performance.now() - start; }
  });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true});
}""" % METRICS


class Frames:
    """Every websocket frame the page receives: its size, and which ones end a script run."""

    def __init__(self, page: Page) -> None:
        self.sizes: list[int] = []
        self.finished: list[int] = []  # indexes of script_finished messages
        page.on("websocket", lambda ws: ws.on("framereceived", self.receive))

    def receive(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "script_finished":
                self.finished.append(len(self.sizes))
        self.sizes.append(len(payload))

    def settle(self, page: Page, since: int, *, quiet_ms: int = 400) -> None:
        """Wait until a run that started after frame ``since`` finished and ``quiet_ms`` pass
        without a frame."""
        deadline = time.monotonic() + 90
        while not [i for i in self.finished if i >= since]:
            page.wait_for_timeout(20)
            assert time.monotonic() < deadline, "the script run never finished"
        count, calm = len(self.sizes), time.monotonic()
        while time.monotonic() - calm < quiet_ms / 1000:
            page.wait_for_timeout(50)
            if len(self.sizes) != count:
                count, calm = len(self.sizes), time.monotonic()

    def edit_number(self, page: Page, key: str, value: float) -> tuple[float, int]:
        """Type ``value`` into the number input keyed ``key`` and press Enter.

        Returns:
            Milliseconds until the metrics changed, and the bytes the edit brought.
        """
        box = page.locator(f".st-key-{key} input")
        box.fill(f"{value:g}")
        page.evaluate(WATCH_METRICS)
        start = len(self.sizes)
        box.press("Enter")
        page.wait_for_function("window.__edit !== null", timeout=60_000)
        shown_ms = page.evaluate("window.__edit")
        self.settle(page, start)
        return shown_ms, sum(self.sizes[start:])

# Latency budgets whose recommendations differ one from the next with the defaults, each new
# to the session, so no cache answers an edit.
LATENCIES = [30, 5, 60, 3, 120, 8, 20, 2, 45, 6, 90, 12, 4, 300, 15, 40, 2.5, 70, 7, 35]


DOWNLOADS = ("Report (HTML, works offline)", "Decision record (Markdown)", "Full result (JSON)")


def measure(base: str, edits: int) -> dict[str, list[float]]:
    """``edits`` edits of the latency budget; then, where the app has them, each download
    (click to file) and a click on the Rules page (click to its table)."""
    found: dict[str, list[float]] = {"shown": [], "sent": [], "rules": [], "downloads": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        frames = Frames(page)
        page.goto(base)
        page.locator(METRICS).first.wait_for(timeout=90_000)
        frames.settle(page, 0, quiet_ms=1500)
        for value in LATENCIES[:edits]:
            shown_ms, sent = frames.edit_number(page, "latency_budget_s", value)
            found["shown"].append(shown_ms)
            found["sent"].append(sent)
        for label in DOWNLOADS:
            button = page.get_by_role("button", name=label)
            if not button.count():
                continue
            clock = time.perf_counter()
            with page.expect_download(timeout=60_000) as download:
                button.click()
            download.value.path()  # the whole file has arrived
            found["downloads"].append((time.perf_counter() - clock) * 1000)
        link = page.get_by_role("link", name="Rules")
        if link.count():
            start, clock = len(frames.sizes), time.perf_counter()
            link.click()
            frames.settle(page, start, quiet_ms=0)
            page.get_by_role("heading", name="Rules").first.wait_for(timeout=60_000)
            page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
            found["rules"].append((time.perf_counter() - clock) * 1000)
        browser.close()
    return found


def run(script: Path, cwd: Path, edits: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp, serve(
            {"ADVISOR_RULES_DIR": str(cwd / "rules"), "ADVISOR_DATABASE_URL": "",
             "ADVISOR_SNAPSHOT_DB": os.path.join(tmp, "s.sqlite3")},
            script=script, cwd=cwd) as base:
        return measure(base, edits)


def _quartiles(values: list[float]) -> str:
    return ", ".join(f"{q:.0f}" for q in statistics.quantiles(values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--checkout", type=Path, default=ROOT)
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    apps = {"bare app": (ROOT / "scripts" / "bare_app.py", ROOT),
            "advisor": (checkout / "app.py", checkout)}
    found: dict[str, dict[str, list[float]]] = {
        name: {"shown": [], "sent": [], "rules": [], "downloads": []} for name in apps}
    for _ in range(args.rounds):
        for name, (script, cwd) in apps.items():
            for what, values in run(script, cwd, args.edits).items():
                found[name][what] += values
    for name in apps:
        shown, sent = found[name]["shown"], found[name]["sent"]
        print(f"{name}: an edit shows after median {statistics.median(shown):.0f} ms "
              f"(quartiles {_quartiles(shown)}); median {statistics.median(sent) / 1000:.1f} KB "
              f"sent per edit (quartiles {_quartiles([b / 1000 for b in sent])}; "
              f"{len(shown)} edits)")
    ratio = (statistics.median(found["advisor"]["shown"])
             / statistics.median(found["bare app"]["shown"]))
    rules, downloads = found["advisor"]["rules"], found["advisor"]["downloads"]
    print(f"advisor / bare app: {ratio:.2f}x")
    print(f"advisor: Rules page opens in {', '.join(f'{ms:.0f}' for ms in rules)} ms (the first "
          f"visit of a fresh browser each); downloads (HTML, Markdown, JSON per round) "
          f"{', '.join(f'{ms:.0f}' for ms in downloads)} ms")


if __name__ == "__main__":
    main()
