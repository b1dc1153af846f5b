"""The Dockerfiles cannot be built here (no Docker engine), so what can be checked is checked:
the recipes' shape (multi-stage, pinned bases, non-root numeric user, healthcheck, lock-exact
dependencies without dev tools), and the build stage's own command run for real: `uv sync`
exactly as the Dockerfile runs it, on the files the build context admits, into a fresh
environment whose service command then starts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PINNED = re.compile(r"^[\w./-]+:\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$")


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def build_args(steps: list[tuple[str, str]]) -> dict[str, str]:
    return dict(arg.split("=", 1) for kind, arg in steps if kind == "ARG" and "=" in arg)


@pytest.mark.parametrize("name", ["Dockerfile", "gateway.Dockerfile"])
def test_images_are_multi_stage_pinned_non_root_and_healthchecked(name: str) -> None:
    steps = instructions(DEPLOY / name)
    stages = [arg for kind, arg in steps if kind == "FROM"]
    assert len(stages) >= 2, "build and runtime stages"
    defaults = build_args(steps)
    for stage in stages:
        image = stage.split()[0]
        image = defaults.get(image.strip("${}"), image)
        assert PINNED.match(image), f"{image} is not pinned to a patch release"
    final_stage = max(i for i, (kind, _) in enumerate(steps) if kind == "FROM")
    final = steps[final_stage:]
    users = [arg for kind, arg in final if kind == "USER"]
    assert users, "the runtime stage sets USER"
    assert re.fullmatch(r"[1-9]\d*:[1-9]\d*", users[-1]), "numeric, non-root uid:gid"
    assert any(kind == "HEALTHCHECK" for kind, _ in final)
    assert not any(
        kind == "RUN" and re.search(r"\b(pip|npm) install\b", arg) for kind, arg in steps
    )


def test_the_service_image_installs_exactly_the_lock_without_dev_tools() -> None:
    runs = [arg for kind, arg in instructions(DEPLOY / "Dockerfile") if kind == "RUN"]
    sync = next(arg for arg in runs if "uv sync" in arg)
    for flag in ("--frozen", "--no-dev", "--no-editable", '--package "$SERVICE"'):
        assert flag in sync
    gateway_runs = [
        arg for kind, arg in instructions(DEPLOY / "gateway.Dockerfile") if kind == "RUN"
    ]
    assert any("npm ci" in arg and "--omit=dev" in arg for arg in gateway_runs)


def context_files() -> list[str]:
    """What the Dockerfile copies, as git has it (the .dockerignore drops tests and caches)."""
    listed = subprocess.run(
        [
            "git",
            "ls-files",
            "-co",
            "--exclude-standard",
            "pyproject.toml",
            "uv.lock",
            "libs",
            "contracts",
            "services",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [path for path in listed if "/tests/" not in path and (ROOT / path).is_file()]


@pytest.mark.parametrize("service", ["identity", "documents"])
def test_the_build_stage_command_yields_a_runnable_service_without_dev_packages(
    service: str, tmp_path: Path
) -> None:
    context = tmp_path / "src"
    for path in context_files():
        (context / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, context / path)
    venv = tmp_path / "venv"
    env = dict(os.environ, UV_PROJECT_ENVIRONMENT=str(venv), UV_PYTHON=sys.executable)
    env.pop("VIRTUAL_ENV", None)
    subprocess.run(
        ["uv", "sync", "--frozen", "--no-dev", "--no-editable", "--package", service, "--quiet"],
        cwd=context,
        env=env,
        check=True,
    )
    packages = {
        p.name.split("-")[0].lower()
        for p in (venv / "lib").glob("python*/site-packages/*.dist-info")
    }
    assert service in packages and "servicekit" in packages
    assert not packages & {"pytest", "ruff", "mypy", "devstack", "testcontainers", "moto"}
    shutil.rmtree(context)  # the image has no source tree either
    usage = subprocess.run(
        [str(venv / "bin" / service), "serve", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--role {all,api,worker}" in usage
