"""Exam rules without I/O: drawing papers, shuffling, answer keys, scoring."""

from __future__ import annotations

import random
import uuid
from collections import Counter

from identity.exam import rules
from identity.exam.models import AttemptQuestion, Question, QuestionKind
from identity.exam.schemas import QuestionDraft

LETTERS = "ABCD"


def bank_question(category: str, kind: QuestionKind = QuestionKind.SINGLE) -> Question:
    if kind == QuestionKind.TRUE_FALSE:
        options, answer = [dict(o) for o in rules.TRUE_FALSE_OPTIONS], ["T"]
    else:
        options = [{"key": k, "text": f"选项{k}"} for k in LETTERS]
        answer = ["A", "C"] if kind == QuestionKind.MULTIPLE else ["B"]
    return Question(
        id=uuid.uuid4(),
        kind=kind,
        category=category,
        text=f"{category}题目{uuid.uuid4().hex[:6]}",
        options=options,
        answer=answer,
        points=2,
        explanation="",
        revision=1,
    )


def paper_question(
    kind: QuestionKind, correct: list[str], answer: list[str] | None, points: int = 1
) -> AttemptQuestion:
    options = [{"key": k, "text": k} for k in LETTERS]
    if kind == QuestionKind.TRUE_FALSE:
        options = [dict(o) for o in rules.TRUE_FALSE_OPTIONS]
    return AttemptQuestion(
        kind=kind, options=options, correct=correct, answer=answer, points=points
    )


POOL = [bank_question("住宿登记") for _ in range(12)]
POOL += [bank_question("法律责任", QuestionKind.MULTIPLE) for _ in range(10)]
POOL += [bank_question("外国人居留", QuestionKind.TRUE_FALSE) for _ in range(8)]


def test_paper_follows_the_category_quotas() -> None:
    quotas = {"住宿登记": 5, "法律责任": 4, "外国人居留": 3}
    paper, shortages = rules.draw_paper(POOL, quotas, random.Random(1))
    assert shortages == []
    assert Counter(q.category for q in paper) == quotas
    assert len({q.id for q in paper}) == 12  # no question twice


def test_questions_and_options_are_shuffled_per_attempt() -> None:
    quotas = {"住宿登记": 12, "法律责任": 10}
    first, _ = rules.draw_paper(POOL, quotas, random.Random(1))
    second, _ = rules.draw_paper(POOL, quotas, random.Random(2))
    assert {q.id for q in first} == {q.id for q in second}  # the whole categories were drawn
    assert [q.id for q in first] != [q.id for q in second]
    orders = {
        tuple(o["key"] for o in rules.shuffled_options(POOL[0], random.Random(seed)))
        for seed in range(10)
    }
    assert len(orders) > 1


def test_true_false_options_keep_their_order() -> None:
    question = bank_question("外国人居留", QuestionKind.TRUE_FALSE)
    for seed in range(5):
        keys = [o["key"] for o in rules.shuffled_options(question, random.Random(seed))]
        assert keys == ["T", "F"]


def test_a_category_short_of_questions_is_reported() -> None:
    paper, shortages = rules.draw_paper(POOL, {"住宿登记": 13, "签证": 1}, random.Random(1))
    assert paper == []
    assert shortages == [
        rules.Shortage("住宿登记", 13, 12),
        rules.Shortage("签证", 1, 0),
    ]


def test_candidate_letters_map_to_the_bank_keys_of_the_shuffled_options() -> None:
    question = AttemptQuestion(
        kind=QuestionKind.MULTIPLE,
        options=[{"key": "C", "text": "c"}, {"key": "A", "text": "a"}, {"key": "B", "text": "b"}],
        correct=["A", "C"],
    )
    assert rules.display_options(question) == [("A", "c"), ("B", "a"), ("C", "b")]
    assert rules.to_bank_keys(question, ["b", "A"]) == ["A", "C"]
    assert rules.to_display_keys(question, ["A", "C"]) == ["A", "B"]


def test_answers_not_valid_for_the_question_kind_are_refused() -> None:
    single = paper_question(QuestionKind.SINGLE, ["B"], None)
    assert rules.to_bank_keys(single, ["A", "B"]) is None  # two keys for a single answer
    assert rules.to_bank_keys(single, ["E"]) is None  # no such option
    assert rules.to_bank_keys(single, ["AB"]) is None
    multiple = paper_question(QuestionKind.MULTIPLE, ["A", "C"], None)
    assert rules.to_bank_keys(multiple, ["A", "A"]) is None  # repeated
    assert rules.to_bank_keys(multiple, []) == []  # clears the answer
    true_false = paper_question(QuestionKind.TRUE_FALSE, ["T"], None)
    assert rules.to_bank_keys(true_false, ["C"]) is None
    assert rules.to_bank_keys(true_false, ["B"]) == ["F"]


def test_multiple_choice_scores_only_an_exact_match() -> None:
    assert rules.is_correct(paper_question(QuestionKind.MULTIPLE, ["A", "C"], ["C", "A"]))
    assert not rules.is_correct(paper_question(QuestionKind.MULTIPLE, ["A", "C"], ["A"]))
    assert not rules.is_correct(paper_question(QuestionKind.MULTIPLE, ["A", "C"], ["A", "B", "C"]))
    assert not rules.is_correct(paper_question(QuestionKind.SINGLE, ["B"], None))


def test_score_is_the_share_of_points_rounded_down() -> None:
    # 100 one-point questions: 90 right is 90, 89 right is 89.
    ninety = [paper_question(QuestionKind.SINGLE, ["A"], ["A"]) for _ in range(90)]
    wrong = [paper_question(QuestionKind.SINGLE, ["A"], ["B"]) for _ in range(10)]
    assert rules.score_paper(ninety + wrong, 100) == 90
    assert [q.is_correct for q in ninety + wrong] == [True] * 90 + [False] * 10
    eighty_nine = ninety[:89] + wrong + [paper_question(QuestionKind.SINGLE, ["A"], None)]
    assert rules.score_paper(eighty_nine, 100) == 89
    # 3 points of 7 on a 100-point scale is 42.86: rounded down, never up to a pass
    assert rules.scaled_score(3, 7, 100) == 42


def test_question_checks_report_every_wrong_field() -> None:
    draft = QuestionDraft(
        kind=QuestionKind.MULTIPLE,
        category=" ",
        text="多选题",
        options=[{"key": "A", "text": "甲"}, {"key": "C", "text": "丙"}],
        answer=["A"],
        points=0,
    )
    _, errors = rules.check_question(draft)
    assert {e.path for e in errors} == {"category", "points", "options", "answer"}


def test_a_valid_question_is_trimmed_and_its_answer_sorted() -> None:
    draft = QuestionDraft(
        kind=QuestionKind.MULTIPLE,
        category=" 住宿登记 ",
        text=" 题干 ",
        options=[
            {"key": "a", "text": "甲"},
            {"key": "B", "text": "乙"},
            {"key": "C", "text": "丙"},
        ],
        answer=["c", "A"],
    )
    clean, errors = rules.check_question(draft)
    assert errors == []
    assert (clean.category, clean.text, clean.answer) == ("住宿登记", "题干", ["A", "C"])
    true_false = QuestionDraft(
        kind=QuestionKind.TRUE_FALSE, category="c", text="t", options=[], answer=["F"]
    )
    clean, errors = rules.check_question(true_false)
    assert errors == []
    assert clean.options == rules.TRUE_FALSE_OPTIONS
