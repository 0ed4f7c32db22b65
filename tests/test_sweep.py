"""The design sweep (scripts/sweep.py), bounded: the whole profile grid through the engine and
every 500th profile through the levers, so a change that breaks the sweep fails here."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT


def test_the_bounded_sweep_finds_no_mismatch_and_counts_every_lever():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "sweep.py"), "--levers",
                             "--every", "500"], capture_output=True, text=True, timeout=600,
                            cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    out = result.stdout
    for line in ("verdict/spend mismatches: 0", "dominated choices: 0",
                 "monotonicity drops (beyond tolerance, or cost without quality): 0"):
        assert line in out
    for lever in ("cascades:", "streaming:", "retrieval:"):
        assert f"  {lever} of " in out, out[-1500:]
