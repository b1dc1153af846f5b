"""The public page a scanned QR code opens: genuine or not, which revision, still current or not.

Chinese first with English beneath, readable on a phone, no scripts; every value is escaped.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from documents.verification.schemas import Verification

# Sent with the page: nothing but the inline style may load, and the token in the URL is not
# passed on to other sites.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}

_STYLE = """
body{margin:0;background:#f4f5f7;color:#1f2329;line-height:1.5;
font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif}
main{max-width:32rem;margin:0 auto;padding:1.25rem}
h1{font-size:1.25rem;margin:0}.en{color:#646a73;font-size:.85rem;font-weight:normal}
.status{border-radius:.75rem;padding:1.25rem;margin:1rem 0;color:#fff}
.status p{margin:0;font-size:1.6rem;font-weight:bold}.status .en{color:#fff;opacity:.9}
.genuine{background:#1f8a4c}.forged{background:#c9352b}.unknown{background:#646a73}
dl{background:#fff;border-radius:.75rem;padding:.5rem 1.25rem;margin:0}
dt{color:#646a73;font-size:.85rem;margin-top:.75rem}dd{margin:0 0 .75rem;font-size:1.05rem}
.superseded{color:#c9352b;font-weight:bold}.current{color:#1f8a4c;font-weight:bold}
footer{color:#646a73;font-size:.8rem;margin-top:1rem}
"""


def _both(zh: str, en: str) -> str:
    return f'{escape(zh)}<br><span class="en">{escape(en)}</span>'


def _row(label_zh: str, label_en: str, value_html: str) -> str:
    return f"<dt>{_both(label_zh, label_en)}</dt><dd>{value_html}</dd>"


def _time(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    offset = local.isoformat()[-6:]  # +08:00
    return escape(f"{local:%Y-%m-%d %H:%M:%S} (UTC{offset})")


def _details(result: Verification, zone: ZoneInfo) -> str:
    if result.current:
        status = f'<span class="current">{_both("当前有效版本", "Current revision")}</span>'
    else:
        status = (
            f'<span class="superseded">'
            f"{_both('已被新版本替代', 'Superseded by a newer revision')}</span>"
        )
    rows = [
        _row("文件类型", "Document kind", escape(result.kind or "")),
        _row("版本", "Revision", _both(f"第 {result.revision} 版", f"Revision {result.revision}")),
        _row("版本状态", "Status", status),
    ]
    if result.issued_at is not None:
        rows.append(_row("签发时间", "Issued at", _time(result.issued_at, zone)))
    return f"<dl>{''.join(rows)}</dl>"


def render_page(result: Verification | None, zone: ZoneInfo) -> str:
    """`result` None: the link carried no token at all."""
    if result is None:
        verdict = (
            "unknown",
            "链接不完整",
            "Incomplete link",
            "请重新扫描文件上的二维码。",
            "Scan the QR code on the document again.",
        )
    elif result.genuine:
        verdict = (
            "genuine",
            "真实有效",
            "Genuine: issued by this system",
            "请核对纸质文件的版本与下列信息一致。",
            "Check that the paper shows the revision below.",
        )
    else:
        verdict = (
            "forged",
            "非本系统签发",
            "Not issued by this system",
            "该二维码不是本系统签发的有效凭证，或文件内容已被改动。",
            "This QR code was not issued by this system, or the document was altered.",
        )
    css_class, zh, en, note_zh, note_en = verdict
    details = _details(result, zone) if result is not None and result.genuine else ""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>文件核验 Document verification</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{_both('文件真伪核验', 'Document verification')}</h1>"
        f'<section class="status {css_class}"><p>{_both(zh, en)}</p></section>'
        f"{details}<footer>{_both(note_zh, note_en)}</footer></main></body></html>"
    )
