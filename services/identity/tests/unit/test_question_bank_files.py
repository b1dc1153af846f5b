"""Question bank files: rows carry their line numbers; export and import agree."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from identity.exam import bank, rules
from identity.exam.bank import QuestionBankFormat
from identity.exam.models import Question, QuestionKind
from identity.exam.seed import seed_file

CSV_HEADER = "id,kind,category,text,A,B,C,D,E,F,answer,points,explanation,is_active\n"


def test_csv_rows_carry_the_line_where_they_start_even_after_multiline_cells() -> None:
    content = (
        CSV_HEADER
        + ',单选,住宿登记,"第一行\n第二行",甲,乙,,,,,B,2,,\n'
        + "\n"
        + ',多选,法律责任,多选题,甲,乙,丙,,,,"A,C",3,解析,true\n'
        + ",判断,外国人居留,判断题,,,,,,,正确,,,false\n"
    )
    rows = bank.read(QuestionBankFormat.CSV, content)
    assert [row.line for row in rows] == [2, 5, 6]
    drafts = [row.draft for row in rows]
    assert all(d is not None for d in drafts)
    single, multiple, true_false = drafts
    assert single is not None
    assert multiple is not None
    assert true_false is not None
    assert (single.kind, single.text, single.answer) == (
        QuestionKind.SINGLE,
        "第一行\n第二行",
        ["B"],
    )
    assert (multiple.answer, multiple.points, multiple.is_active) == (["A", "C"], 3, True)
    assert (true_false.answer, true_false.is_active) == (["T"], False)


def test_a_chinese_answer_sheet_writes_ac_for_a_and_c() -> None:
    row = bank.read(QuestionBankFormat.CSV, CSV_HEADER + ",MULTIPLE,c,t,a,b,c,,,,AC,,,\n")[0]
    assert row.draft is not None
    assert row.draft.answer == ["A", "C"]


def test_json_rows_carry_the_line_of_their_object() -> None:
    content = '[\n  {"kind": "SINGLE", "category": "c",\n   "text": "t", "answer": ["A"]},\n  7,\n  {"kind": "SOMETIMES"}\n]'
    rows = bank.read(QuestionBankFormat.JSON, content)
    assert [row.line for row in rows] == [2, 4, 5]
    assert rows[0].errors == []
    assert [e.path for e in rows[1].errors] == ["question"]
    assert [e.path for e in rows[2].errors] == ["kind"]


def test_broken_json_is_reported_at_its_line() -> None:
    rows = bank.read(QuestionBankFormat.JSON, '[\n {"kind": "SINGLE",\n  "text": }\n]')
    assert rows[-1].line == 3
    assert rows[-1].errors[0].path == "file"


def test_a_csv_without_the_required_columns_is_refused_at_line_1() -> None:
    rows = bank.read(QuestionBankFormat.CSV, "kind,text\nSINGLE,t\n")
    assert len(rows) == 1
    assert rows[0].line == 1
    assert "answer" in rows[0].errors[0].message.en


def _question(kind: QuestionKind, answer: list[str]) -> Question:
    options = [{"key": "A", "text": "甲,有逗号"}, {"key": "B", "text": '乙"引号"'}]
    if kind == QuestionKind.TRUE_FALSE:
        options = [dict(o) for o in rules.TRUE_FALSE_OPTIONS]
    return Question(
        id=uuid.uuid4(),
        kind=kind,
        category="住宿登记",
        text="题干\n第二行",
        options=options,
        answer=answer,
        points=2,
        explanation="解析",
        is_active=False,
        revision=1,
        created_at=datetime.now(UTC),
        updated_at=datetime.now(UTC),
    )


def test_export_reads_back_as_the_same_questions_in_both_formats() -> None:
    questions = [
        _question(QuestionKind.SINGLE, ["B"]),
        _question(QuestionKind.MULTIPLE, ["A", "B"]),
        _question(QuestionKind.TRUE_FALSE, ["F"]),
    ]
    for fmt in QuestionBankFormat:
        rows = bank.read(fmt, bank.write(fmt, questions))
        assert [r.errors for r in rows] == [[], [], []], fmt
        for row, question in zip(rows, questions, strict=True):
            assert row.draft is not None
            draft, errors = rules.check_question(row.draft)
            assert errors == []
            assert draft.id == question.id
            assert (draft.kind, draft.text, draft.options, draft.answer) == (
                question.kind,
                question.text,
                question.options,
                question.answer,
            )
            assert draft.is_active is False


def test_the_seed_bank_is_valid_and_large_enough() -> None:
    rows = bank.read(QuestionBankFormat.JSON, seed_file())
    assert len(rows) >= 60
    for row in rows:
        assert row.draft is not None, (row.line, row.errors)
        assert rules.check_question(row.draft)[1] == [], row.line
    assert len({r.draft.text for r in rows if r.draft}) == len(rows)
    kinds = {r.draft.kind for r in rows if r.draft}
    assert kinds == set(QuestionKind)
    assert json.loads(seed_file())[0]["id"]
