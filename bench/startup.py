"""`./dev up` time to ready: from the command to the "Platform is up." banner, then Ctrl-C.

    uv run python -m bench.startup            # a first start on empty data, then a restart

The first start includes initdb, every migration and the demo data; the restart finds them in
place. Both include `./dev`'s own checks (uv sync, the gateway's packages), already installed.
Uses `./dev up`'s fixed ports (4000, 8001–8005, 50051–50055): they must be free.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from devstack.stack import ROOT, Ports

READY = "Platform is up."


def ports_in_use() -> list[int]:
    ports = Ports.defaults()
    taken = []
    for port in [ports.gateway, *ports.http.values(), *ports.grpc.values()]:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                taken.append(port)
    return taken


def time_to_ready(var_dir: Path, timeout: float) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(ROOT / "dev"), "up", "--var", str(var_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if READY in line:
                return time.perf_counter() - started
            if time.perf_counter() - started > timeout:
                break
        raise RuntimeError(f"./dev up did not get ready; see {var_dir / 'logs'}")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.startup")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    if taken := ports_in_use():
        raise SystemExit(f"ports {taken} are in use: stop what runs `./dev up` first")
    var_dir = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        first = time_to_ready(var_dir, args.timeout)
        again = time_to_ready(var_dir, args.timeout)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print("`./dev up` time to ready (banner printed, every service and the gateway answering):")
    print(f"  first start (empty data: initdb, migrations, demo data)  {first:6.1f} s")
    print(f"  restart (data in place)                                  {again:6.1f} s")


if __name__ == "__main__":
    main()
