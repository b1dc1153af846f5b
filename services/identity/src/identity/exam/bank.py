"""Question bank files: JSON and CSV import (every row with its line number) and export.

JSON: an array of {id?, kind, category, text, options: [{key, text}], answer: [keys], points,
explanation, isActive}. CSV: a header row with id, kind, category, text, A … F (option texts),
answer ("A" or "A,C"; true/false: T/F or 正确/错误), points, explanation, is_active. Export writes
the same shapes, so an exported file imports back unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from identity.exam.models import Question, QuestionKind
from identity.exam.rules import LETTERS
from identity.exam.schemas import QuestionDraft
from servicekit.errors import FieldError, Message


class QuestionBankFormat(StrEnum):
    JSON = "JSON"
    CSV = "CSV"


CSV_COLUMNS = ["id", "kind", "category", "text", *LETTERS, "answer", "points", "explanation"]
CSV_COLUMNS.append("is_active")
REQUIRED_CSV_COLUMNS = {"kind", "category", "text", "answer"}
KIND_NAMES = {
    "SINGLE": QuestionKind.SINGLE,
    "单选": QuestionKind.SINGLE,
    "单选题": QuestionKind.SINGLE,
    "MULTIPLE": QuestionKind.MULTIPLE,
    "多选": QuestionKind.MULTIPLE,
    "多选题": QuestionKind.MULTIPLE,
    "TRUE_FALSE": QuestionKind.TRUE_FALSE,
    "判断": QuestionKind.TRUE_FALSE,
    "判断题": QuestionKind.TRUE_FALSE,
}
TRUE_FALSE_WORDS = {"T": "T", "TRUE": "T", "正确": "T", "对": "T", "√": "T", "F": "F"}
TRUE_FALSE_WORDS |= {"FALSE": "F", "错误": "F", "错": "F", "×": "F"}
FLAGS = {"true": True, "1": True, "yes": True, "是": True}
FLAGS |= {"false": False, "0": False, "no": False, "否": False}


@dataclass(frozen=True)
class Row:
    line: int  # where the row starts in the file (1-based)
    draft: QuestionDraft | None
    errors: list[FieldError]


def _error(path: str, zh: str, en: str) -> FieldError:
    return FieldError(path, Message(zh, en))


# --- reading -----------------------------------------------------------------------------


def read(fmt: QuestionBankFormat, content: str) -> list[Row]:
    content = content.removeprefix("\ufeff")  # spreadsheet programs like to add a BOM
    return _read_json(content) if fmt == QuestionBankFormat.JSON else _read_csv(content)


def _read_json(content: str) -> list[Row]:
    decoder = json.JSONDecoder()
    position = _skip_space(content, 0)
    if position >= len(content) or content[position] != "[":
        return [Row(1, None, [_error("file", "文件应为 JSON 数组", "expected a JSON array")])]
    rows: list[Row] = []
    position = _skip_space(content, position + 1)
    while position < len(content) and content[position] != "]":
        line = content.count("\n", 0, position) + 1
        try:
            item, position = decoder.raw_decode(content, position)
        except json.JSONDecodeError as exc:
            message = f"JSON 格式错误（第{exc.lineno}行第{exc.colno}列）：{exc.msg}"
            return [*rows, Row(exc.lineno, None, [_error("file", message, exc.msg)])]
        rows.append(_json_row(line, item))
        position = _skip_space(content, position)
        if position < len(content) and content[position] == ",":
            position = _skip_space(content, position + 1)
        elif position < len(content) and content[position] != "]":
            line = content.count("\n", 0, position) + 1
            return [*rows, Row(line, None, [_error("file", "缺少逗号", "expected a comma")])]
    if position >= len(content):
        line = content.count("\n") + 1
        return [*rows, Row(line, None, [_error("file", "JSON 数组未结束", "unterminated array")])]
    return rows


def _skip_space(content: str, position: int) -> int:
    while position < len(content) and content[position] in " \t\r\n":
        position += 1
    return position


def _json_row(line: int, item: Any) -> Row:
    if not isinstance(item, dict):
        return Row(line, None, [_error("question", "每道题应为一个对象", "expected an object")])
    options = item.get("options") or []
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        return Row(line, None, [_error("options", "选项格式错误", "options: [{key, text}]")])
    answer = item.get("answer")
    return _draft(
        line,
        identifier=item.get("id"),
        kind=item.get("kind"),
        category=item.get("category"),
        text=item.get("text"),
        options=[{"key": str(o.get("key", "")), "text": str(o.get("text", ""))} for o in options],
        answer=answer if isinstance(answer, list) else str(answer or ""),
        points=item.get("points"),
        explanation=item.get("explanation"),
        active=item.get("isActive"),
    )


def _read_csv(content: str) -> list[Row]:
    reader = csv.reader(io.StringIO(content))
    header = [name.strip() for name in next(reader, [])]
    missing = REQUIRED_CSV_COLUMNS - set(header)
    if missing:
        names = ", ".join(sorted(missing))
        return [Row(1, None, [_error("header", f"缺少列：{names}", f"missing columns: {names}")])]
    rows = []
    line = reader.line_num + 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            extra = _error("row", "列数多于表头", "more cells than header columns")
            rows.append(Row(start, None, [extra]))
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        options = [{"key": k, "text": values[k]} for k in LETTERS if values.get(k)]
        rows.append(
            _draft(
                start,
                identifier=values.get("id"),
                kind=values.get("kind"),
                category=values.get("category"),
                text=values.get("text"),
                options=options,
                answer=values.get("answer", ""),
                points=values.get("points"),
                explanation=values.get("explanation"),
                active=values.get("is_active"),
            )
        )
    return rows


def _draft(
    line: int,
    *,
    identifier: Any,
    kind: Any,
    category: Any,
    text: Any,
    options: list[dict[str, str]],
    answer: str | list[Any],
    points: Any,
    explanation: Any,
    active: Any,
) -> Row:
    errors = []
    question_id = None
    if identifier not in (None, ""):
        try:
            question_id = uuid.UUID(str(identifier))
        except ValueError:
            errors.append(_error("id", "题目编号格式错误", "id: not a UUID"))
    question_kind = KIND_NAMES.get(str(kind or "").strip().upper())
    if question_kind is None:
        errors.append(
            _error("kind", "题型应为单选、多选或判断", "kind: SINGLE, MULTIPLE or TRUE_FALSE")
        )
    score = 2
    if points not in (None, ""):
        try:
            score = int(str(points))
        except ValueError:
            errors.append(_error("points", "分值应为整数", "points: an integer"))
    is_active = None
    if active not in (None, ""):
        is_active = active if isinstance(active, bool) else FLAGS.get(str(active).lower())
        if is_active is None:
            errors.append(_error("isActive", "是否启用应为 true 或 false", "isActive: a boolean"))
    if errors or question_kind is None:
        return Row(line, None, errors)
    keys = _answer_keys(question_kind, answer)
    draft = QuestionDraft(
        kind=question_kind,
        category=str(category or ""),
        text=str(text or ""),
        options=options,
        answer=keys,
        points=score,
        explanation=str(explanation or ""),
        is_active=is_active,
        id=question_id,
    )
    return Row(line, draft, [])


def _answer_keys(kind: QuestionKind, answer: str | list[Any]) -> list[str]:
    values = [str(a).strip() for a in answer] if isinstance(answer, list) else [answer.strip()]
    if kind == QuestionKind.TRUE_FALSE:
        return [TRUE_FALSE_WORDS.get(v.upper(), v) for v in values if v]
    keys: list[str] = []
    for value in values:
        parts = [p for p in re.split(r"[\s,，、;；]+", value.upper()) if p]
        # "AC" is how Chinese answer sheets write A and C
        keys += [c for p in parts for c in p] if all(p.isalpha() for p in parts) else parts
    return keys


# --- writing -----------------------------------------------------------------------------


def question_record(question: Question) -> dict[str, Any]:
    return {
        "id": str(question.id),
        "kind": question.kind,
        "category": question.category,
        "text": question.text,
        "options": [{"key": o["key"], "text": o["text"]} for o in question.options],
        "answer": list(question.answer),
        "points": question.points,
        "explanation": question.explanation,
        "isActive": question.is_active,
    }


def write(fmt: QuestionBankFormat, questions: list[Question]) -> str:
    records = [question_record(q) for q in questions]
    if fmt == QuestionBankFormat.JSON:
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = {k: record[k] for k in ("id", "kind", "category", "text", "points", "explanation")}
        if record["kind"] != QuestionKind.TRUE_FALSE:  # true/false options are fixed
            row |= {o["key"]: o["text"] for o in record["options"]}
        row["answer"] = ",".join(record["answer"])
        row["is_active"] = "true" if record["isActive"] else "false"
        writer.writerow(row)
    return out.getvalue()
