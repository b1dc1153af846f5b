"""The data a Render call sends is checked against the kind's model: a missing field is an error
with its path, never a blank on paper."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from documents.rendering.examples import EXAMPLES
from documents.rendering.service import canonical_content, parse
from servicekit.errors import ValidationFailed


def errors_of(kind: str, data: Any) -> dict[str, tuple[str, str]]:
    with pytest.raises(ValidationFailed) as raised:
        parse(kind, data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))
    return {field.path: (field.message.zh, field.message.en) for field in raised.value.fields}


def example(kind: str) -> dict[str, Any]:
    return copy.deepcopy(EXAMPLES[kind])


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_example_is_valid_data_for_its_kind(kind: str) -> None:
    template, data = parse(kind, json.dumps(EXAMPLES[kind], ensure_ascii=False))
    assert template.kind == kind
    assert isinstance(data, template.model)


def test_a_missing_field_is_an_error_with_its_path() -> None:
    data = example("FILING_APPLICATION_FORM")
    del data["enterprise"]["uscc"]
    del data["liaisons"][1]["mobile"]
    errors = errors_of("FILING_APPLICATION_FORM", data)
    assert errors["data.enterprise.uscc"][0] == "缺少必填项"
    assert errors["data.liaisons.1.mobile"] == ("缺少必填项", "Field required")
    assert len(errors) == 2


def test_an_optional_value_must_still_be_sent_as_null() -> None:
    data = example("LICENCE_APPLICATION_FORM")
    del data["exit_entry_opinion"]
    assert "data.exit_entry_opinion" in errors_of("LICENCE_APPLICATION_FORM", data)


def test_empty_strings_and_unknown_fields_are_refused() -> None:
    data = example("COMMITMENT_LETTER")
    data["legal_representative"] = "   "
    data["legal_rep"] = "欧阳明"
    errors = errors_of("COMMITMENT_LETTER", data)
    assert errors["data.legal_representative"][0] == "不能为空"
    assert errors["data.legal_rep"][0] == "不允许的字段"


def test_values_outside_their_formats_are_refused() -> None:
    data = example("APPOINTMENT_SLIP")
    data.update(booking_number="yy 1", day="2026-13-40", start_time="10:00", end_time="09:30")
    errors = errors_of("APPOINTMENT_SLIP", data)
    assert errors["data.booking_number"][0] == "格式不正确"
    assert "data.day" in errors
    data = example("APPOINTMENT_SLIP")
    data.update(start_time="10:00", end_time="09:30")
    assert errors_of("APPOINTMENT_SLIP", data)["data"][0] == "数据前后不一致"


@pytest.mark.parametrize(
    ("kind", "change", "path"),
    [
        ("LIAISON_CHANGE_FORM", {"replaced": None}, "data"),
        ("REGISTRATION_FORM", {"licence_number": None}, "data"),
        ("EXTENSION_APPLICATION_FORM", {"extend_until": "2026-01-01"}, "data"),
        ("FILING_APPLICATION_FORM", {"liaisons": []}, "data.liaisons"),
        ("ENTERPRISE_CHANGE_FORM", {"changes": []}, "data.changes"),
        ("ONLINE_HANDLING_NOTICE", {"business": "VISA"}, "data.business"),
    ],
)
def test_data_that_contradicts_itself_is_refused(
    kind: str, change: dict[str, Any], path: str
) -> None:
    data = example(kind)
    data.update(change)
    assert path in errors_of(kind, data)


def test_a_contract_that_ends_before_it_starts_is_refused() -> None:
    data = example("LICENCE_APPLICATION_FORM")
    data["job"]["contract_end"] = "2026-11-30"
    assert "data.job" in errors_of("LICENCE_APPLICATION_FORM", data)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"answer": ["E"]}, "an answer that is no option"),
        ({"answer": ["A", "B"]}, "two answers to a single-choice question"),
        ({"options": [{"key": "A", "text": "是"}, {"key": "A", "text": "否"}]}, "repeated keys"),
        ({"kind": "TRUE_FALSE"}, "options on a true/false question"),
    ],
)
def test_a_question_whose_answer_does_not_fit_its_options_is_refused(
    change: dict[str, Any], reason: str
) -> None:
    data = example("QUESTION_BANK_STUDY")
    data["questions"][0].update(change)
    assert "data.questions.0" in errors_of("QUESTION_BANK_STUDY", data), reason


def test_an_unknown_kind_or_malformed_json_names_the_request_field() -> None:
    assert "kind" in errors_of("VISA_FORM", {})
    assert errors_of("COMMITMENT_LETTER", "{not json")["dataJson"][0] == "数据不是有效的JSON"
    assert "data" in errors_of("COMMITMENT_LETTER", "[]")


def test_the_certified_content_does_not_depend_on_how_the_json_was_written() -> None:
    data = EXAMPLES["COMMITMENT_LETTER"]
    compact = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    spaced = json.dumps(dict(reversed(list(data.items()))), indent=4)
    _, first = parse("COMMITMENT_LETTER", compact)
    _, second = parse("COMMITMENT_LETTER", spaced)
    assert canonical_content("COMMITMENT_LETTER", "s", 1, first) == canonical_content(
        "COMMITMENT_LETTER", "s", 1, second
    )
    assert canonical_content("COMMITMENT_LETTER", "s", 1, first) != canonical_content(
        "COMMITMENT_LETTER", "s", 2, first
    )
