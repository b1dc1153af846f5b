"""The exam's answer key is a dev-only operation."""

from identity.graphql.schema import build_schema


def test_dev_exam_answers_are_absent_in_production() -> None:
    production = build_schema(dev=False).as_str()
    assert "devExamAnswers" not in production
    assert "startExam" in production
    assert "devExamAnswers" in build_schema(dev=True).as_str()
