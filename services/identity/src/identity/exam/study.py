"""The question bank as a study PDF (导出题库/资料), rendered by the documents service.

Every distinct content of the active bank is one edition: the same bank gives the same PDF (the
documents service stores a kind/subject/revision once), a changed bank a new revision."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, String, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

import servicekit.rpc as rpc
from contracts.gen.documents.v1 import documents_pb2 as pb
from contracts.gen.documents.v1 import documents_pb2_grpc as pb_grpc
from identity.accounts.models import Base
from identity.exam.config import ExamSettings
from identity.exam.models import Question, QuestionKind
from servicekit.auth import Actor

KIND = "QUESTION_BANK_STUDY"
SUBJECT = "question-bank"


class StudyEdition(Base):
    __tablename__ = "question_bank_editions"

    revision: Mapped[int] = mapped_column(primary_key=True)
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    document_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


@dataclass
class StudyDocuments:
    settings: ExamSettings
    documents: rpc.LazyStub[pb_grpc.DocumentsStub]
    deadline_seconds: float

    async def current(self, session: AsyncSession, actor: Actor) -> str:
        """The id of the study document for the bank as it is now (any signed-in account)."""
        data = await self._data(session)
        digest = hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
        content = digest.hexdigest()
        edition = await session.scalar(
            select(StudyEdition).where(StudyEdition.content_sha256 == content)
        )
        if edition is not None:
            return edition.document_id
        last = await session.scalar(select(func.max(StudyEdition.revision)))
        revision = (last or 0) + 1
        data["edition"] = f"第{revision}版"
        document = await rpc.call(
            self.documents.stub.Render,
            pb.RenderRequest(
                kind=KIND,
                subject_id=SUBJECT,
                revision=revision,
                data_json=json.dumps(data, ensure_ascii=False),
            ),
            timeout=self.deadline_seconds,
        )
        session.add(
            StudyEdition(revision=revision, content_sha256=content, document_id=document.id)
        )
        return str(document.id)

    async def _data(self, session: AsyncSession) -> dict[str, Any]:
        questions = await session.scalars(
            select(Question)
            .where(Question.is_active.is_(True))
            .order_by(Question.category, Question.created_at, Question.id)
        )
        return {
            "pass_mark": self.settings.pass_mark,
            "questions": [
                {
                    "kind": q.kind,
                    "category": q.category,
                    "text": q.text,
                    # the study template prints true/false questions as 正确/错误 itself
                    "options": []
                    if q.kind == QuestionKind.TRUE_FALSE
                    else [{"key": o["key"], "text": o["text"]} for o in q.options],
                    "answer": list(q.answer),
                    "points": q.points,
                    "explanation": q.explanation or None,
                }
                for q in questions
            ],
        }
