"""`./dev up`: the whole platform in the foreground; Ctrl-C stops everything."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from devstack.stack import ROOT, SERVICES, Ports, Stack

DEMO_ACCOUNTS = ["admin", "branch-officer", "city-officer", "labour-officer"]


def up(var_dir: Path) -> None:
    stack = Stack(
        var_dir=var_dir,
        ports=Ports.defaults(),
        progress=lambda line: print(f"  {line}", flush=True),
    )
    # Explicit: a process started in the background inherits SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        stack.start()
        print(f"""
Platform is up.
  Gateway (GraphiQL): {stack.gateway_url}
  Broker:             {stack.ports.broker and f"127.0.0.1:{stack.ports.broker}"}
  PostgreSQL socket:  {stack.postgres.socket_dir if stack.postgres else "?"}
  Logs:               {stack.log_dir}""")
        for name in SERVICES:
            grpc = f"127.0.0.1:{stack.ports.grpc[name]}"
            print(f"  {name:<10} http {stack.service_url(name)}/graphql  grpc {grpc}")
        print("\nDemo accounts (password Dev-Password-1): " + ", ".join(DEMO_ACCOUNTS))
        print("Press Ctrl-C to stop.", flush=True)
        while True:
            for name, process in stack.processes.items():
                if process.poll() is not None:
                    log = stack.log_dir / f"{name}.log"
                    print(f"{name} exited with {process.returncode}; see {log}")
                    return
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nstopping…", flush=True)
    finally:
        stack.stop()
        print("stopped.", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="devstack")
    parser.add_argument("command", choices=["up"])
    parser.add_argument("--var", type=Path, default=ROOT / "var")
    args = parser.parse_args()
    up(args.var.resolve())


if __name__ == "__main__":
    main()
