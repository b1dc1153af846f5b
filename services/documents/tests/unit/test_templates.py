"""Every template rendered with realistic data and read back: its text, its pages, its footer on
every page, and the QR code a scanner reads at the top right."""

from __future__ import annotations

import copy
import logging
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from documents.rendering import fonts
from documents.rendering.examples import EXAMPLES
from documents.rendering.page import Stamp
from documents.rendering.registry import TEMPLATES
from documents.verification.tokens import Signer, TokenClaims

from .pdf_reading import font_names, page_texts, qr_codes

# What each paper must show (whitespace ignored: wrapped lines join up again).
EXPECTED = {
    "FILING_APPLICATION_FORM": [
        "涉外单位备案申请表",
        "青岛海㵘国际贸易有限公司",
        "91350100M000100Y43",
        "欧阳𠀾",
        "山东省青岛市市南区香港中路街道香港中路76号颐和国际A座2201室（中国（山东）自由贸易试验区青岛片区联络处）",
        "李珺瑄",
        "赵犇",
        "粘贴联络员近期免冠1寸照片",
        "法定代表人（签字）",
        "单位（公章）",
    ],
    "LIAISON_CHANGE_FORM": [
        "■变更外管联络员□新增外管联络员",
        "司马燊",
        "原外管联络员",
        "法定代表人（签字）",
    ],
    "ENTERPRISE_CHANGE_FORM": [
        "涉外单位变更备案申请表",
        "青岛海㵘供应链管理有限公司",
        "上官玥",
        "单位名称（手写）",
    ],
    "COMMITMENT_LETTER": ["承诺书", "青岛市公安局出入境管理局：", "特此承诺", "法定代表人：欧阳𠀾"],
    "QUESTION_BANK_STUDY": ["外管联络员考试题库（学习资料）", "共36道题", "答案：B", "答案：正确"],
    "LICENCE_APPLICATION_FORM": [
        "外国人就业许可证书申请表",
        "ApplicationforAlienEmploymentLicense",
        "MÜLLER-LÜDENSCHEIDTANNAKATHARINA（安娜）",
        "市公安出入境管理部门意见",
        "2026年12月01日至2028年11月30日",
    ],
    "RECRUITMENT_APPLICATION_FORM": ["聘用外国人就业申请表", "NGUYỄNTHỊMINHKHAI", "免办许可理由"],
    "REGISTRATION_FORM": ["外国人就业登记表", "440100202611250001", "广州白云国际机场", "Z字签证"],
    "EXTENSION_APPLICATION_FORM": [
        "外国人就业许可延期申请表",
        "44010020240001234",
        "2028年12月31日",
    ],
    "HKMOTW_EMPLOYMENT_FORM": [
        "台湾香港澳门居民在内地就业证申请表",
        "陳嘉琪",
        "香港居民",
        "H12345678",
    ],
    "HKMOTW_EXTENSION_FORM": ["就业许可延期申请表", "粤440100HK2024000888", "2029年12月31日"],
    "ONLINE_HANDLING_NOTICE": [
        "网上办理通知书",
        "TZ-2026-112500017",
        "已于2026年11月25日通过网上预审",
    ],
    "APPOINTMENT_SLIP": ["预约单", "YY-20261203-0042", "2026年12月03日（星期四）09:00–09:30"],
}


def stamp_for(carries_qr: bool, *, revision: int = 7) -> Stamp:
    signer = Signer(Ed25519PrivateKey.generate())
    document_id = uuid.uuid4()
    token = signer.encode(TokenClaims(document_id, revision, "0123456789abcdef", 1_795_000_000))
    return Stamp(
        document_id=document_id,
        revision=revision,
        generated_at=datetime(2026, 11, 25, 8, 30, 5, tzinfo=UTC),
        zone=ZoneInfo("Asia/Shanghai"),
        verification_url=f"http://documents.test/verify/{token}" if carries_qr else None,
    )


def render(kind: str, data: dict[str, Any], stamp: Stamp) -> bytes:
    template = TEMPLATES[kind]
    return template.render(template.model.model_validate(data), stamp)


def test_every_kind_has_an_example_and_its_expectations() -> None:
    assert set(TEMPLATES) == set(EXAMPLES) == set(EXPECTED)


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_a_rendered_paper_shows_its_data_and_footer_on_every_page(kind: str) -> None:
    template = TEMPLATES[kind]
    stamp = stamp_for(template.carries_qr)
    pages = page_texts(render(kind, EXAMPLES[kind], stamp))
    if kind == "QUESTION_BANK_STUDY":
        assert len(pages) > 1, "36 questions fill several pages"
    else:
        assert len(pages) == 1, "a form fits one A4 page"
    for expected in EXPECTED[kind]:
        assert expected in "".join(pages), expected
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页/共{len(pages)}页" in text
        assert f"Page{number}of{len(pages)}" in text
        assert "版本Revision:第7版" in text
        assert "生成时间Generated:2026-11-2516:30:05(UTC+08:00)" in text
        assert str(stamp.document_id) in text


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_a_paper_that_comes_back_carries_its_verification_url_as_a_qr_code(kind: str) -> None:
    template = TEMPLATES[kind]
    stamp = stamp_for(template.carries_qr)
    pdf = render(kind, EXAMPLES[kind], stamp)
    expected = [stamp.verification_url] if template.carries_qr else []
    assert qr_codes(pdf) == expected


@pytest.mark.parametrize(
    "public_url",
    ["http://127.0.0.1:8005", "https://zwfw.qingdao-gongan.example.gov.cn/documents-service"],
)
def test_the_qr_code_reads_back_for_short_and_long_public_urls(public_url: str) -> None:
    stamp = stamp_for(True)
    token = stamp.verification_url.rsplit("/", 1)[1] if stamp.verification_url else ""
    stamp = replace(stamp, verification_url=f"{public_url}/verify/{token}")
    pdf = render("APPOINTMENT_SLIP", EXAMPLES["APPOINTMENT_SLIP"], stamp)
    assert qr_codes(pdf) == [stamp.verification_url]


def test_the_qr_code_is_on_every_page_of_a_long_document() -> None:
    data = copy.deepcopy(EXAMPLES["FILING_APPLICATION_FORM"])
    data["enterprise"]["registered_address"] = "山东省青岛市市南区香港中路76号" * 16
    data["enterprise"]["operating_address"] = "山东省青岛市崂山区海尔路180号" * 16
    stamp = stamp_for(True)
    pdf = render("FILING_APPLICATION_FORM", data, stamp)
    assert len(page_texts(pdf)) == 2
    assert qr_codes(pdf, page=1) == [stamp.verification_url]


def test_rare_characters_are_drawn_from_the_rare_font() -> None:
    pdf = render("FILING_APPLICATION_FORM", EXAMPLES["FILING_APPLICATION_FORM"], stamp_for(True))
    text = page_texts(pdf)[0]
    assert "海㵘" in text
    assert "欧阳𠀾" in text
    assert {"PermitsSansSC-Regular", "PermitsSansSC-Bold", "PermitsSansSC-Rare"} <= font_names(pdf)


def test_a_common_paper_does_not_embed_the_rare_font() -> None:
    data = copy.deepcopy(EXAMPLES["COMMITMENT_LETTER"])
    data.update(enterprise_name="青岛海天国际贸易有限公司", legal_representative="欧阳明")
    pdf = render("COMMITMENT_LETTER", data, stamp_for(True))
    assert "PermitsSansSC-Rare" not in font_names(pdf)


def test_a_character_no_font_has_prints_as_a_placeholder_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = copy.deepcopy(EXAMPLES["FILING_APPLICATION_FORM"])
    data["liaisons"][0]["name"] = "李ก瑄"
    with caplog.at_level(logging.WARNING, logger=fonts.__name__):
        pdf = render("FILING_APPLICATION_FORM", data, stamp_for(True))
    assert f"李{fonts.PLACEHOLDER}瑄" in page_texts(pdf)[0]
    assert any("U+0E01" in record.getMessage() for record in caplog.records)


def test_a_value_the_caller_sent_as_null_prints_as_a_dash_not_a_blank() -> None:
    data = copy.deepcopy(EXAMPLES["LICENCE_APPLICATION_FORM"])
    data["worker"]["email"] = None
    pdf = render("LICENCE_APPLICATION_FORM", data, stamp_for(True))
    assert "电子邮箱E-mail—" in page_texts(pdf)[0]


def test_the_stamped_opinion_of_the_exit_entry_bureau_is_printed_once_entered() -> None:
    data = copy.deepcopy(EXAMPLES["LICENCE_APPLICATION_FORM"])
    data["exit_entry_opinion"] = "同意聘用。市公安局出入境管理局（2026年11月21日）"
    pdf = render("LICENCE_APPLICATION_FORM", data, stamp_for(True))
    assert "同意聘用。市公安局出入境管理局（2026年11月21日）" in page_texts(pdf)[0]


def test_a_liaison_added_rather_than_changed_needs_only_the_seal() -> None:
    data = copy.deepcopy(EXAMPLES["LIAISON_CHANGE_FORM"])
    data.update(action="ADD", replaced=None)
    text = page_texts(render("LIAISON_CHANGE_FORM", data, stamp_for(True)))[0]
    assert "□变更外管联络员■新增外管联络员" in text
    assert "原外管联络员" not in text
    assert "法定代表人（签字）" not in text
    assert "单位（公章）" in text
