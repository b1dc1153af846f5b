from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.types import Info

from filing.enterprises.models import Enterprise as EnterpriseModel
from filing.enterprises.models import EnterpriseStatus, FilingStatus, RecordType
from filing.enterprises.models import Filing as FilingModel
from filing.enterprises.models import Liaison as LiaisonModel
from filing.graphql.context import FilingContext
from filing.graphql.enums import Sex

Ctx = Info[FilingContext, None]
for _enum in (EnterpriseStatus, FilingStatus, RecordType):
    strawberry.enum(_enum)  # registers the domain enum under its own name


@strawberry.federation.type(keys=["id"], description="A filing record (备案记录) and its state")
class Filing:
    id: strawberry.ID
    enterprise_id: strawberry.ID
    record_type: RecordType
    status: FilingStatus
    revision: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, model: FilingModel) -> Filing:
        return cls(
            id=strawberry.ID(str(model.id)),
            enterprise_id=strawberry.ID(str(model.enterprise_id)),
            record_type=RecordType(model.record_type),
            status=FilingStatus(model.status),
            revision=model.revision,
            created_at=model.created_at,
            updated_at=model.updated_at,
        )


@strawberry.federation.type(keys=["id"])
class Account:
    """Identity's account, extended with the enterprise it acts for."""

    id: strawberry.ID

    @strawberry.field(description="The enterprise this account acts for (null before filing)")
    async def enterprise(self, info: Ctx) -> Enterprise | None:
        actor = await info.context.actor()
        if actor.account_id != str(self.id) and not actor.is_officer:
            return None
        try:
            key = uuid.UUID(str(self.id))
        except ValueError:
            return None
        found = await info.context.enterprise_of_account.load(key)
        return None if found is None else Enterprise.from_model(found)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Account:
        return cls(id=id)


@strawberry.type(description="外管联络员")
class Liaison:
    id: strawberry.ID
    name: str
    mobile: str
    sex: Sex | None
    position: str | None
    social_security_months: int | None
    account_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(
        description="The liaison's own account, when registered (resolved by identity)"
    )
    def account(self) -> Account | None:
        return None if self.account_id is None else Account(id=strawberry.ID(str(self.account_id)))

    @classmethod
    def from_model(cls, model: LiaisonModel) -> Liaison:
        return cls(
            id=strawberry.ID(str(model.id)),
            name=model.name,
            mobile=model.mobile,
            sex=Sex[model.sex] if model.sex else None,
            position=model.position,
            social_security_months=model.social_security_months,
            account_id=model.account_id,
        )


@strawberry.federation.type(keys=["id"], description="涉外单位")
class Enterprise:
    id: strawberry.ID
    name: str
    uscc: str | None = strawberry.field(
        description="Null for an enterprise imported from the "
        "old system until its liaison supplements the filing"
    )
    district: str | None
    status: EnterpriseStatus
    is_legacy: bool = strawberry.field(description="Imported from the old system")

    @classmethod
    def from_model(cls, model: EnterpriseModel) -> Enterprise:
        return cls(
            id=strawberry.ID(str(model.id)),
            name=model.name,
            uscc=model.uscc,
            district=model.district,
            status=EnterpriseStatus(model.status),
            is_legacy=model.is_legacy,
        )

    @strawberry.field
    async def liaisons(self, info: Ctx) -> list[Liaison]:
        rows = await info.context.liaisons.load(uuid.UUID(str(self.id)))
        return [Liaison.from_model(row) for row in rows or []]

    @strawberry.field(description="The latest filing record of this enterprise")
    async def current_filing(self, info: Ctx) -> Filing | None:
        found = await info.context.latest_filing.load(uuid.UUID(str(self.id)))
        return None if found is None else Filing.from_model(found)

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> Enterprise | None:
        actor = await info.context.actor()
        container = info.context.container
        try:
            key = uuid.UUID(str(id))
        except ValueError:
            return None
        async with container.db.unit_of_work() as session:
            found = await container.enterprises.visible_enterprise(session, actor, key)
        return cls.from_model(found)
