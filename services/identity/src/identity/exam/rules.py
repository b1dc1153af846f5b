"""Pure exam rules (no I/O): what a valid question is, how a paper is drawn and shuffled, how the
candidate's option letters map to the bank's keys, and how a paper is scored."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from identity.exam.models import AttemptQuestion, Question, QuestionKind
from identity.exam.schemas import QuestionDraft
from servicekit.errors import FieldError, FieldErrors

LETTERS = "ABCDEF"
MAX_OPTIONS = len(LETTERS)
TRUE_FALSE_OPTIONS = [{"key": "T", "text": "正确"}, {"key": "F", "text": "错误"}]
MAX_POINTS = 100


def check_question(draft: QuestionDraft) -> tuple[QuestionDraft, list[FieldError]]:
    """The draft with its text trimmed and answer sorted, and every problem found in it."""
    errors = FieldErrors()
    category, text = draft.category.strip(), draft.text.strip()
    explanation = draft.explanation.strip()
    if not 1 <= len(category) <= 50:
        errors.add("category", "请填写题目分类（不超过50字）", "category: 1 to 50 characters")
    if not 1 <= len(text) <= 1000:
        errors.add("text", "请填写题干（不超过1000字）", "text: 1 to 1000 characters")
    if len(explanation) > 2000:
        errors.add("explanation", "解析不超过2000字", "explanation: at most 2000 characters")
    if not 1 <= draft.points <= MAX_POINTS:
        errors.add("points", "分值应为1到100的整数", "points: an integer from 1 to 100")
    options = _checked_options(draft, errors)
    keys = [o["key"] for o in options]
    answer = [key.strip().upper() for key in draft.answer]
    if len(set(answer)) != len(answer) or any(key not in keys for key in answer):
        errors.add("answer", "答案应为选项中的字母且不重复", "answer: distinct keys of the options")
    elif draft.kind == QuestionKind.MULTIPLE and len(answer) < 2:
        errors.add("answer", "多选题至少有两个正确选项", "a multiple-choice answer has 2+ keys")
    elif draft.kind != QuestionKind.MULTIPLE and len(answer) != 1:
        errors.add("answer", "单选题和判断题只有一个正确答案", "exactly one key is correct")
    clean = replace(
        draft,
        category=category,
        text=text,
        explanation=explanation,
        options=options,
        answer=sorted(answer, key=keys.index) if not errors.items else answer,
    )
    return clean, errors.items


def _checked_options(draft: QuestionDraft, errors: FieldErrors) -> list[dict[str, str]]:
    options = [
        {"key": str(o.get("key", "")).strip().upper(), "text": str(o.get("text", "")).strip()}
        for o in draft.options
    ]
    if draft.kind == QuestionKind.TRUE_FALSE:  # fixed options: T 正确, F 错误
        if options and [o["key"] for o in options] != ["T", "F"]:
            errors.add("options", "判断题的选项为 T（正确）和 F（错误）", "options: T and F")
        return [dict(o) for o in TRUE_FALSE_OPTIONS]
    if not 2 <= len(options) <= MAX_OPTIONS:
        errors.add("options", "选择题应有2到6个选项", "choice questions have 2 to 6 options")
    elif [o["key"] for o in options] != list(LETTERS[: len(options)]):
        errors.add("options", "选项依次为 A、B、C……", "option keys are A, B, C... in order")
    if any(not 1 <= len(o["text"]) <= 500 for o in options):
        errors.add("options", "选项内容不能为空（不超过500字）", "option text: 1 to 500 characters")
    return options


@dataclass(frozen=True)
class Shortage:
    category: str
    needed: int
    available: int


def draw_paper(
    pool: Sequence[Question], quotas: Mapping[str, int], rng: random.Random
) -> tuple[list[Question], list[Shortage]]:
    """Draws `quotas[category]` questions of each category at random, then shuffles the paper."""
    by_category: dict[str, list[Question]] = {}
    for question in pool:
        by_category.setdefault(question.category, []).append(question)
    paper: list[Question] = []
    shortages = []
    for category, needed in quotas.items():
        candidates = sorted(by_category.get(category, []), key=lambda q: q.id)
        if len(candidates) < needed:
            shortages.append(Shortage(category, needed, len(candidates)))
            continue
        paper += rng.sample(candidates, needed)
    rng.shuffle(paper)
    return paper, shortages


def shuffled_options(question: Question, rng: random.Random) -> list[dict[str, str]]:
    """This paper's option order. True/false keeps 正确 before 错误: shuffling it only confuses."""
    options = [dict(o) for o in question.options]
    if question.kind != QuestionKind.TRUE_FALSE:
        rng.shuffle(options)
    return options


def display_key(position: int) -> str:
    return LETTERS[position]


def display_options(question: AttemptQuestion) -> list[tuple[str, str]]:
    """(letter the candidate sees, option text) in paper order."""
    return [(display_key(i), o["text"]) for i, o in enumerate(question.options)]


def to_display_keys(question: AttemptQuestion, bank_keys: Sequence[str] | None) -> list[str]:
    order = [o["key"] for o in question.options]
    return sorted(display_key(order.index(key)) for key in bank_keys or [] if key in order)


def to_bank_keys(question: AttemptQuestion, shown: Sequence[str]) -> list[str] | None:
    """The bank keys of the letters the candidate chose; None when the choice is not valid for
    the question (unknown letter, repeated letter, several letters for a single answer)."""
    letters = [key.strip().upper() for key in shown]
    count = len(question.options)
    if len(set(letters)) != len(letters) or any(
        len(k) != 1 or k not in LETTERS[:count] for k in letters
    ):
        return None
    if question.kind != QuestionKind.MULTIPLE and len(letters) > 1:
        return None
    return sorted(question.options[LETTERS.index(k)]["key"] for k in letters)


def is_correct(question: AttemptQuestion) -> bool:
    """Exact match: a multiple-choice answer with one key missing or one too many scores 0."""
    return bool(question.answer) and set(question.answer or []) == set(question.correct)


def scaled_score(earned: int, paper_points: int, total_points: int) -> int:
    """The share of the paper's points earned, on the `total_points` scale, rounded down (so
    that 89.9 does not pass a mark of 90)."""
    if paper_points <= 0:
        return 0
    return earned * total_points // paper_points


def score_paper(questions: Sequence[AttemptQuestion], total_points: int) -> int:
    """Marks each question (`is_correct`) and returns the paper's score."""
    earned = 0
    for question in questions:
        question.is_correct = is_correct(question)
        earned += question.points if question.is_correct else 0
    return scaled_score(earned, sum(q.points for q in questions), total_points)
