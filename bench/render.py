"""PDFs per second per core for the filing application form (the README's rendering figure).

    uv run python -m bench.render                    # 10 s on one core, then on every core
    uv run python -m bench.render --seconds 20 --processes 2

Each PDF is what `Render` draws: the example data validated by the form's model, a fresh
document id and signed verification token (so every QR code differs), two liaisons, rare
characters from the lazily loaded font. Database and storage are not part of the figure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from documents.rendering.examples import EXAMPLES
from documents.rendering.page import Stamp
from documents.rendering.service import canonical_content, parse
from documents.verification.tokens import Signer, TokenClaims, content_hash

KIND = "FILING_APPLICATION_FORM"
PUBLIC_URL = "https://documents.example.gov.cn"
ZONE = ZoneInfo("Asia/Shanghai")


def render_once(signer: Signer, data_json: str) -> tuple[int, float]:
    """One PDF as Render makes it; returns its size and the seconds it took."""
    started = time.perf_counter()
    template, data = parse(KIND, data_json)
    document_id = uuid.uuid4()
    content = canonical_content(KIND, "s", 1, data)
    digest = content_hash(hashlib.sha256(content).hexdigest())
    now = datetime.now(UTC).replace(microsecond=0)
    token = signer.encode(TokenClaims(document_id, 1, digest, int(now.timestamp())))
    stamp = Stamp(document_id, 1, now, ZONE, f"{PUBLIC_URL}/verify/{token}")
    pdf = template.render(data, stamp)
    return len(pdf), time.perf_counter() - started


def run(seconds: float) -> tuple[int, list[float], float, int]:
    """Renders for `seconds` in this process: (count, latencies, CPU seconds, last PDF's size).
    CPU time is what "per core" means; it does not count time other processes took the core."""
    signer = Signer(Ed25519PrivateKey.generate())
    data_json = json.dumps(EXAMPLES[KIND], ensure_ascii=False)
    for _ in range(3):  # warm-up: fonts (the rare one too), caches
        render_once(signer, data_json)
    latencies: list[float] = []
    size = 0
    cpu_started = time.process_time()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        size, took = render_once(signer, data_json)
        latencies.append(took)
    return len(latencies), latencies, time.process_time() - cpu_started, size


def report(label: str, count: int, latencies: list[float], seconds: float, cpu: float) -> None:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000
    print(
        f"{label}: {count / cpu:.1f} PDFs/s per core (CPU time: {cpu / count * 1000:.1f} ms a PDF); "
        f"{count / seconds:.1f} PDFs/s wall clock; latency p50 {p50:.1f} ms, p99 {p99:.1f} ms; "
        f"{count} PDFs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.render", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    print(f"{KIND}, {os.cpu_count()} CPU(s), {args.seconds:.0f} s per phase")
    count, latencies, cpu, size = run(args.seconds)
    print(f"one PDF: {size / 1024:.0f} KiB, 1 page")
    report("1 process", count, latencies, args.seconds, cpu)
    if args.processes > 1:
        with ProcessPoolExecutor(args.processes) as pool:
            results = list(pool.map(run, [args.seconds] * args.processes))
        report(
            f"{args.processes} processes",
            sum(result[0] for result in results),
            [latency for result in results for latency in result[1]],
            args.seconds,
            sum(result[2] for result in results),
        )


if __name__ == "__main__":
    main()
