"""Run every benchmark in bench/ one after the other (`make bench`)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["pages.py", "registration_load.py", "link_request.py", "pdf_render.py", "mailing.py"]

failed = []
for name in BENCHMARKS:
    if (HERE / name).exists():
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], check=False).returncode:
            failed.append(name)
sys.exit(1 if failed else 0)
