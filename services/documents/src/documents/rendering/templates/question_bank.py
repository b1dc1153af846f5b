"""The question bank study document (导出题库/资料, seed 000 附件1 二): every question of the
liaison exam with its options, answer and explanation, grouped by category. Read, not returned:
no QR code."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator
from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, KeepTogether, Spacer

from documents.rendering.models import FormData, Line, Paragraph
from documents.rendering.page import GREY
from documents.rendering.text import Text

KINDS = {"SINGLE": "单选题", "MULTIPLE": "多选题", "TRUE_FALSE": "判断题"}
TRUE_FALSE = {"T": "正确", "F": "错误"}
ANSWER_COLOUR = Color(0.1, 0.35, 0.2)
INDENT = 21.0  # options, answer and explanation under the question


class Option(FormData):
    key: Annotated[str, StringConstraints(pattern=r"^[A-Z]$")]
    text: Paragraph


class Question(FormData):
    kind: Literal["SINGLE", "MULTIPLE", "TRUE_FALSE"]
    category: Line
    text: Paragraph
    # Empty for true/false questions.
    options: Annotated[list[Option], Field(max_length=8)]
    # Option keys; "T" or "F" for a true/false question.
    answer: Annotated[list[str], Field(min_length=1, max_length=8)]
    points: Annotated[int, Field(ge=0, le=100)]
    explanation: Annotated[str, StringConstraints(max_length=2000)] | None

    @model_validator(mode="after")
    def answer_matches_options(self) -> Self:
        keys = [option.key for option in self.options]
        if len(set(keys)) != len(keys):
            raise ValueError("option keys repeat")
        if self.kind == "TRUE_FALSE":
            if keys or len(self.answer) != 1 or self.answer[0] not in TRUE_FALSE:
                raise ValueError("a true/false question has no options and answers T or F")
            return self
        if len(keys) < 2:
            raise ValueError("a choice question needs at least two options")
        if not set(self.answer) <= set(keys) or len(set(self.answer)) != len(self.answer):
            raise ValueError("the answer must name distinct keys of the options")
        if self.kind == "SINGLE" and len(self.answer) != 1:
            raise ValueError("a single-choice question has exactly one answer")
        return self


class QuestionBankStudy(FormData):
    edition: Line
    pass_mark: Annotated[int, Field(ge=0, le=1000)]
    questions: Annotated[list[Question], Field(min_length=1, max_length=5000)]


def _question(number: int, question: Question) -> KeepTogether:
    parts: list[Flowable] = [
        Text(
            f"{number}. 【{KINDS[question.kind]}】{question.text}（{question.points}分）", size=10.5
        )
    ]
    for option in question.options:
        parts.append(Text(f"{option.key}. {option.text}", size=10, indent=INDENT))
    if question.kind == "TRUE_FALSE":
        answer = TRUE_FALSE[question.answer[0]]
    else:
        answer = "".join(sorted(question.answer))
    parts.append(Text(f"答案：{answer}", size=10, bold=True, color=ANSWER_COLOUR, indent=INDENT))
    if question.explanation:
        explanation = f"解析：{question.explanation}"
        parts.append(Text(explanation, size=9, color=GREY, indent=INDENT))
    parts.append(Spacer(0, 7))
    return KeepTogether(parts)


def question_bank_study(data: QuestionBankStudy) -> list[Flowable]:
    counts = {kind: sum(q.kind == kind for q in data.questions) for kind in KINDS}
    summary = "，".join(f"{KINDS[kind]} {count} 道" for kind, count in counts.items() if count)
    story: list[Flowable] = [
        Text(
            f"{data.edition}。共 {len(data.questions)} 道题（{summary}）。"
            f"在线考试满分 100 分，{data.pass_mark} 分及以上为合格。"
            "本资料供外管联络员学习使用，题目与选项在考试中随机排列。",
            size=10,
            space_after=10,
        )
    ]
    categories: dict[str, list[Question]] = {}
    for question in data.questions:
        categories.setdefault(question.category, []).append(question)
    number = 0
    for index, (category, questions) in enumerate(categories.items(), start=1):
        story.append(
            Text(
                f"第{_chinese(index)}部分  {category}",
                size=12.5,
                bold=True,
                space_before=6,
                space_after=6,
            )
        )
        for question in questions:
            number += 1
            story.append(_question(number, question))
    return story


def _chinese(number: int) -> str:
    digits = "零一二三四五六七八九"
    if number >= 100:
        return str(number)
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"
