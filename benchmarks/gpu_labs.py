"""Run the deep-learning labs' reference solutions on a GPU, through the real checker.

    python benchmarks/gpu_labs.py [--only ID ...]

Meant for one short run on a machine with CUDA (about 2-5 minutes for every
deep-learning lab). It prints what torch sees, then for each deep-learning lab the
status and wall time of ``mlpath check`` on its solution (which uses ``"cuda"`` when
available), and exits 1 if torch sees no GPU or a lab does not pass. Paste the output
into docs/labs.md ("Deep-learning labs on a GPU").
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mlpath.labs import catalog, runner, workspace

PROBE = (
    "import torch; ok = torch.cuda.is_available(); "
    "print(torch.__version__, ok, torch.cuda.get_device_name(0) if ok else '-')"
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args()
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    print("torch, cuda available, device:", probe.stdout.strip() or probe.stderr.strip()[-500:])
    gpu = " True " in f" {probe.stdout} "
    ok = gpu
    for lab_id in args.only or catalog.lab_ids():
        meta = catalog.get_lab(lab_id)
        if not meta.is_deep_learning:
            continue
        if catalog.missing_packages(meta):
            print(f"{lab_id:<24}skipped: needs {', '.join(catalog.missing_packages(meta))}")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            lab_file = Path(tmp) / workspace.LAB_FILE
            lab_file.write_text(catalog.read_lab_file(lab_id, "solution.py"), encoding="utf-8")
            start = time.perf_counter()
            result = runner.run_lab(meta, lab_file, topic=meta.topic)
            seconds = time.perf_counter() - start
        ok &= result.passed
        failing = [f"{c.name}: {c.message[:120]}" for c in result.checks if c.status != "passed"]
        print(f"{lab_id:<24}{result.status:<8}{seconds:>6.1f}s  {'; '.join(failing)}", flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
