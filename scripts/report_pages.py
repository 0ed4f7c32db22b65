"""Print every example's report to PDF and say how many pages it takes, its size and how long
printing took, on A4 and on Letter; each summary must end on its first page.

Run from the repository root: ``.venv/bin/python scripts/report_pages.py [--paper a4 letter]``.
Needs Chromium (as the PDF export does) and pypdf (``requirements-dev.txt``).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from advisor import analyse, decision_map, load_answers, load_rules  # noqa: E402
from advisor.render.html import to_html  # noqa: E402
from advisor.render.pdf import html_to_pdf  # noqa: E402
from advisor.render.vocabulary import Vocabulary  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paper", nargs="+", choices=("a4", "letter"), default=["a4", "letter"])
    args = parser.parse_args()
    rules = load_rules(ROOT / "rules")
    vocabulary = Vocabulary.of(rules)
    print(f"{'example':32s} {'paper':6s} {'pages':>5s} {'size':>8s} {'print':>7s}  summary")
    fits_everywhere = True
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        answers = load_answers(path)
        rec = analyse(answers, rules)
        for paper in args.paper:
            html = to_html(rec, vocabulary=vocabulary, dmap=decision_map(answers, rules),
                           paper=paper)
            started = time.perf_counter()
            pdf = html_to_pdf(html)
            took = time.perf_counter() - started
            pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
            fits = len(pages) > 1 and "The decision in detail" in pages[1]
            fits_everywhere &= fits
            print(f"{path.stem:32s} {paper:6s} {len(pages):5d} {len(pdf) / 1024:6.0f} KiB "
                  f"{took:5.1f} s  {'one page' if fits else 'RUNS OVER'}")
    return 0 if fits_everywhere else 1


if __name__ == "__main__":
    raise SystemExit(main())
