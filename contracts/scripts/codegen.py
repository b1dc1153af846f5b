"""Regenerates the Python code of every .proto under contracts/proto.

uv run python contracts/scripts/codegen.py           # write
uv run python contracts/scripts/codegen.py --check   # exit 1 when the committed code is stale
"""

from __future__ import annotations

import argparse
import filecmp
import re
import shutil
import sys
import tempfile
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parents[1]
PROTO = ROOT / "proto"
TARGET = ROOT / "src" / "contracts" / "gen"
# protoc writes `from identity.v1 import x_pb2`, which would import the identity *service*.
IMPORT = re.compile(r"^from (\w+)\.v(\d+) import", re.M)


def generate(out: Path) -> None:
    protos = sorted(str(p.relative_to(PROTO)) for p in PROTO.rglob("*.proto"))
    include = Path(protoc.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTO}",
        f"-I{include}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *protos,
    ]
    if protoc.main(args) != 0:
        sys.exit("protoc failed")
    for path in out.rglob("*.py*"):
        path.write_text(IMPORT.sub(r"from contracts.gen.\1.v\2 import", path.read_text()))
    for directory in [out, *(d for d in out.rglob("*") if d.is_dir())]:
        (directory / "__init__.py").touch()


def same_tree(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b, ignore=["__pycache__"])
    if cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files:
        return False
    return all(same_tree(a / d, b / d) for d in cmp.common_dirs if d != "__pycache__")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    check = parser.parse_args().check
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        generate(out)
        if check:
            if not TARGET.exists() or not same_tree(out, TARGET):
                sys.exit("generated gRPC code is stale: run contracts/scripts/codegen.py")
            print("generated gRPC code is up to date")
            return
        shutil.rmtree(TARGET, ignore_errors=True)
        shutil.copytree(out, TARGET)
        print(f"wrote {TARGET.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    main()
