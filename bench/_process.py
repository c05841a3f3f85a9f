"""What every benchmark script shares: each task runs in its own process, so that the peak
memory it reports is its own, and prints its figures as one JSON line."""

from __future__ import annotations

import json
import resource
import subprocess
import sys


def peak_mb() -> float:
    """This process's peak resident memory in MiB.

    Linux's ``VmHWM`` belongs to the process image, so it starts afresh at ``exec``;
    ``ru_maxrss`` does not (it keeps the peak of the parent at the time of the fork, here the
    benchmark driver holding the whole test network), so it is only the fallback."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_task(script: str, *args: str) -> dict[str, float]:
    """Runs ``script --task …`` in a fresh Python process and returns the figures it printed
    on its last line."""
    out = subprocess.run(
        [sys.executable, script, *args], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result
