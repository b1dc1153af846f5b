"""Writes each subgraph's SDL to gateway/subgraphs/ and composes gateway/supergraph.graphql.

python -m devstack.schemas            # regenerate
python -m devstack.schemas --check    # exit 1 when the committed files are stale
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from devstack.stack import ROOT, SERVICES, Ports

GATEWAY = ROOT / "gateway"


def subgraph_sdl(name: str, url: str) -> str:
    commands = importlib.import_module(f"{name}.cli").commands
    return f"# url: {url}\n{commands.schema(True).as_str()}\n"


def export(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    ports = Ports.defaults()
    for name in SERVICES:
        url = f"http://127.0.0.1:{ports.http[name]}/graphql"
        (directory / f"{name}.graphql").write_text(subgraph_sdl(name, url))


def compose(subgraphs: Path, *, check: bool) -> int:
    node = shutil.which("node") or "node"
    args = [node, str(GATEWAY / "compose.mjs"), "--subgraphs", str(subgraphs)]
    if check:
        args.append("--check")
    return subprocess.run(args, check=False).returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    check = parser.parse_args().check
    target = GATEWAY / "subgraphs"
    if not check:
        export(target)
        sys.exit(compose(target, check=False))
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        export(fresh)
        stale = [
            p.name
            for p in sorted(fresh.iterdir())
            if not (target / p.name).exists() or (target / p.name).read_text() != p.read_text()
        ]
        if stale:
            sys.exit(f"subgraph SDL is stale ({', '.join(stale)}): run ./dev schema")
        sys.exit(compose(fresh, check=True))


if __name__ == "__main__":
    main()
