"""Starts the whole platform on this machine, the way `./dev up` and the end-to-end tests do."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from devstack.infra import Broker, Postgres, S3Server, free_port

ROOT = Path(__file__).resolve().parents[4]
SERVICES = ["identity", "filing", "personnel", "booking", "documents"]
# Which gRPC servers each service calls (env <SERVICE>_<PEER>_GRPC_TARGET).
GRPC_PEERS = {
    "identity": ["documents"],
    "filing": ["identity", "documents"],
    "personnel": ["filing", "documents"],
    "booking": ["filing", "personnel", "documents"],
    "documents": ["filing"],
}


# Hive Gateway reads these itself, with other meanings than the services' settings.
GATEWAY_RESERVED_ENV = ("PORT", "HOST", "LOG_LEVEL")


@dataclass
class Ports:
    gateway: int
    http: dict[str, int]
    grpc: dict[str, int]
    broker: int

    @classmethod
    def defaults(cls) -> Ports:
        return cls(
            gateway=4000,
            http={name: 8001 + i for i, name in enumerate(SERVICES)},
            grpc={name: 50051 + i for i, name in enumerate(SERVICES)},
            broker=free_port(),
        )

    @classmethod
    def free(cls) -> Ports:
        return cls(
            gateway=free_port(),
            http={n: free_port() for n in SERVICES},
            grpc={n: free_port() for n in SERVICES},
            broker=free_port(),
        )


@dataclass
class Stack:
    var_dir: Path
    ports: Ports
    app_env: str = "dev"
    fresh_databases: bool = False
    with_gateway: bool = True
    progress: Callable[[str], None] = print
    extra_env: dict[str, str] = field(default_factory=dict)
    # The broker keeps records and offsets in an S3 store (a moto server) and survives a crash,
    # as Apache Kafka does; the default memory storage is faster and loses them.
    durable_broker: bool = False
    postgres: Postgres | None = None
    object_store: S3Server | None = None
    broker: Broker | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def log_dir(self) -> Path:
        return self.var_dir / "logs"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.gateway}/graphql"

    def service_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports.http[name]}"

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.progress("starting PostgreSQL (embedded)…")
        self.postgres = Postgres(self.var_dir / "pgdata")
        self.progress(f"starting Tansu broker on 127.0.0.1:{self.ports.broker}…")
        if self.durable_broker:
            self.object_store = S3Server(self.log_dir / "s3.log")
            self.object_store.start()
        self.broker = Broker(self.log_dir / "broker.log", self.ports.broker, self.object_store)
        self.broker.start()
        # Each service has its own database: they are migrated (and seeded) side by side.
        self.progress("migrating " + ", ".join(SERVICES) + "…")
        with ThreadPoolExecutor(len(SERVICES)) as pool:
            list(pool.map(self._prepare_database, SERVICES))
        for name in SERVICES:
            self.progress(
                f"starting {name} (http {self.ports.http[name]}, grpc {self.ports.grpc[name]})…"
            )
            self.processes[name] = self._spawn(
                name, [sys.executable, "-m", f"{name}.cli", "serve"], self.service_env(name)
            )
        if self.with_gateway:  # its start does not need the subgraphs: overlap the two
            self.spawn_gateway()
        for name in SERVICES:
            self._wait_http(name, f"{self.service_url(name)}/readyz")
        if self.with_gateway:
            self.wait_gateway()

    def _prepare_database(self, name: str) -> None:
        assert self.postgres is not None
        asyncio.run(self.postgres.ensure_database(name, fresh=self.fresh_databases))
        self._run(name, "migrate")
        if self.app_env == "dev":
            self._run(name, "seed-demo")

    def start_gateway(self) -> None:
        self.spawn_gateway()
        self.wait_gateway()

    def wait_gateway(self) -> None:
        self._wait_http("gateway", f"http://127.0.0.1:{self.ports.gateway}/readiness")

    def spawn_gateway(self) -> None:
        self.progress(f"starting gateway on 127.0.0.1:{self.ports.gateway}…")
        env = {k: v for k, v in os.environ.items() if k not in GATEWAY_RESERVED_ENV}
        env |= {"GATEWAY_PORT": str(self.ports.gateway), "GATEWAY_HOST": "127.0.0.1"}
        env |= {
            f"GATEWAY_SUBGRAPH_{name.upper()}_URL": f"{self.service_url(name)}/graphql"
            for name in SERVICES
        }
        env |= {k: v for k, v in self.extra_env.items() if k not in GATEWAY_RESERVED_ENV}
        node = shutil.which("node") or "node"
        self.processes["gateway"] = self._spawn(
            "gateway",
            [node, "node_modules/.bin/hive-gateway", "supergraph", "supergraph.graphql"],
            env,
            cwd=ROOT / "gateway",
        )

    def service_env(self, name: str) -> dict[str, str]:
        assert self.postgres is not None
        assert self.broker is not None
        prefix = name.upper()
        env = dict(os.environ)
        env.update(
            {
                "APP_ENV": self.app_env,
                "KAFKA_BOOTSTRAP_SERVERS": self.broker.bootstrap,
                "JWKS_URL": f"{self.service_url('identity')}/.well-known/jwks.json",
                f"{prefix}_DATABASE_URL": self.postgres.url(name),
                f"{prefix}_HTTP_PORT": str(self.ports.http[name]),
                f"{prefix}_GRPC_PORT": str(self.ports.grpc[name]),
                "IDENTITY_JWT_PRIVATE_KEY_FILE": str(self.var_dir / "keys" / "identity-jwt.pem"),
                "DOCUMENTS_SIGNING_KEY_FILE": str(self.var_dir / "keys" / "documents-signing.pem"),
                "DOCUMENTS_STORAGE_DIR": str(self.var_dir / "files"),
                "DOCUMENTS_PUBLIC_URL": self.service_url("documents"),
            }
        )
        for peer in GRPC_PEERS[name]:
            env[f"{prefix}_{peer.upper()}_GRPC_TARGET"] = f"127.0.0.1:{self.ports.grpc[peer]}"
        env.update(self.extra_env)
        return env

    def _run(self, name: str, command: str) -> None:
        with (self.log_dir / f"{name}.log").open("ab") as log:
            result = subprocess.run(
                [sys.executable, "-m", f"{name}.cli", command],
                env=self.service_env(name),
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if result.returncode != 0:
            raise RuntimeError(f"{name} {command} failed; see {self.log_dir / f'{name}.log'}")

    def _spawn(
        self, name: str, argv: list[str], env: dict[str, str], cwd: Path | None = None
    ) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("ab")
        return subprocess.Popen(
            argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )

    def _wait_http(self, name: str, url: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{name} exited; see {self.log_dir / f'{name}.log'}")
            try:
                if httpx.get(url, timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{name} not ready at {url}; see {self.log_dir / f'{name}.log'}")

    def stop_service(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def kill_service(self, name: str) -> None:
        """kill -9: the process gets no chance to finish what it is doing (a crash)."""
        process = self.processes.pop(name, None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def start_service(self, name: str) -> None:
        """Starts a service stopped or killed before (same ports, same database), and waits
        until it is ready."""
        if name in self.processes and self.processes[name].poll() is None:
            raise RuntimeError(f"{name} is already running")
        self.processes[name] = self._spawn(
            name, [sys.executable, "-m", f"{name}.cli", "serve"], self.service_env(name)
        )
        self._wait_http(name, f"{self.service_url(name)}/readyz")

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop_service(name)
        if self.broker is not None:
            self.broker.stop()
        if self.object_store is not None:
            self.object_store.stop()
        if self.postgres is not None:
            self.postgres.stop()
