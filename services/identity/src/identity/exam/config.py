"""Exam rules an operator may change (env prefix IDENTITY_EXAM_, e.g. IDENTITY_EXAM_PASS_MARK=90,
IDENTITY_EXAM_QUOTAS='{"住宿登记": 10, ...}')."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# 50 questions; with the seed bank's 2 points a question the paper is worth 100 points.
DEFAULT_QUOTAS = {
    "签证与出入境证件": 9,
    "外国人居留": 8,
    "住宿登记": 8,
    "工作许可与就业": 9,
    "单位报告与备案": 8,
    "法律责任": 8,
}


class ExamSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IDENTITY_EXAM_", extra="ignore")

    # Category → number of questions drawn from it. The paper has sum(quotas) questions.
    quotas: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_QUOTAS))
    # The score is the share of the paper's points answered correctly, on this scale (rounded
    # down), so that papers whose questions carry different points compare fairly.
    total_points: int = 100
    pass_mark: int = 90
    time_limit_minutes: int = 60
    # Autosaves in flight when the time runs out still count.
    grace_seconds: int = 5
    # Waiting time after a failed attempt before the next one may start (0: none).
    cooldown_minutes: int = 0
    # How often expired attempts nobody came back to are scored (0: only when touched).
    sweep_seconds: float = 30.0

    @field_validator("quotas")
    @classmethod
    def _positive_quotas(cls, quotas: dict[str, int]) -> dict[str, int]:
        if not quotas or any(count < 1 for count in quotas.values()):
            raise ValueError("every category quota must be at least 1")
        return quotas

    @property
    def question_count(self) -> int:
        return sum(self.quotas.values())
