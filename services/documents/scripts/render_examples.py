"""Renders every kind with its example data to docs/forms/<kind>.png (page 1) for review.

    uv run python services/documents/scripts/render_examples.py [--pdf]

The QR codes point at a placeholder URL; the document ids and times are fixed, so the pictures
change only when a template does.
"""

from __future__ import annotations

import argparse
import uuid
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2

from documents.rendering.examples import EXAMPLES
from documents.rendering.page import Stamp
from documents.rendering.registry import TEMPLATES

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "docs" / "forms"
SCALE = 1.5
EXAMPLE_TOKEN = "AQ" + "x" * 136  # as long as a real token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf", action="store_true", help="also keep the PDFs (not committed)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for kind, template in TEMPLATES.items():
        stamp = Stamp(
            document_id=uuid.uuid5(uuid.NAMESPACE_URL, kind),
            revision=2,
            generated_at=datetime(2026, 11, 25, 8, 30, tzinfo=UTC),
            zone=ZoneInfo("Asia/Shanghai"),
            verification_url=(
                f"https://documents.example.gov.cn/verify/{EXAMPLE_TOKEN}"
                if template.carries_qr
                else None
            ),
        )
        pdf = template.render(template.model.model_validate(EXAMPLES[kind]), stamp)
        document = pypdfium2.PdfDocument(pdf)
        # 16 grey levels keep the anti-aliasing and halve the file.
        image = document[0].render(scale=SCALE).to_pil().convert("L").quantize(16)
        image.save(OUT / f"{kind.lower()}.png", optimize=True)
        if args.pdf:
            (OUT / f"{kind.lower()}.pdf").write_bytes(pdf)
        print(f"{kind}: {len(document)} page(s), {len(pdf) / 1024:.0f} KiB PDF")


if __name__ == "__main__":
    main()
