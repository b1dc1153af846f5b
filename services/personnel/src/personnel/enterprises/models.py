from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from personnel.people.models import Base


class EnterpriseProjection(Base):
    """An enterprise whose filing filing approved, as last heard from `filing.enterprise.*`
    (name, USCC and district change with an approved information change)."""

    __tablename__ = "enterprise_projection"

    enterprise_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18))
    district: Mapped[str | None] = mapped_column(String(6))
    is_filed: Mapped[bool] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
