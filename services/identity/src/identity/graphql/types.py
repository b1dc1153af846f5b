from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeAlias

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet
from strawberry.types import Info

from identity.accounts.models import Account as AccountModel
from identity.accounts.models import AccountStatus
from identity.graphql.context import IdentityContext
from identity.verification.models import Channel, CodePurpose
from servicekit.auth import Actor, Role
from servicekit.db import utcnow
from servicekit.graphql import Connection
from servicekit.logs import mask_personal_data

for _enum in (Role, AccountStatus, Channel, CodePurpose):
    strawberry.enum(_enum)  # registers the domain enum under its own name


def _can_see_contact(model: AccountModel, viewer: Actor | None) -> bool:
    return viewer is not None and (viewer.account_id == str(model.id) or viewer.is_officer)


@strawberry.federation.type(keys=["id"], description="A user account (liaison, HR user, officer)")
class Account:
    id: strawberry.ID
    name: str
    phone: str | None = strawberry.field(
        description="Masked unless it is you or you are an officer"
    )
    email: str | None
    roles: list[Role]
    status: AccountStatus
    exam_passed: bool
    password_change_required: bool
    created_at: datetime
    approval_due_at: datetime | None = strawberry.field(
        description="Pending accounts: when approval is due (3 working hours after registering)"
    )
    is_approval_overdue: bool

    @classmethod
    def from_model(cls, model: AccountModel, viewer: Actor | None) -> Account:
        visible = _can_see_contact(model, viewer)
        due = model.approval_due_at
        return cls(
            id=strawberry.ID(str(model.id)),
            name=model.name,
            phone=model.phone if visible or not model.phone else mask_personal_data(model.phone),
            email=model.email if visible else None,
            roles=[Role(role) for role in model.roles],
            status=AccountStatus(model.status),
            exam_passed=model.exam_passed_at is not None,
            password_change_required=model.password_change_required,
            created_at=model.created_at,
            approval_due_at=due,
            is_approval_overdue=(
                model.status == AccountStatus.PENDING_APPROVAL
                and due is not None
                and due < utcnow()
            ),
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[IdentityContext, None], id: strawberry.ID
    ) -> Account | None:
        viewer = await info.context.actor()
        model = await info.context.accounts.load(str(id))
        return None if model is None else cls.from_model(model, viewer)


AccountConnection: TypeAlias = Connection[Account]


@strawberry.type
class AuthPayload:
    access_token: str
    refresh_token: str
    expires_in: int = strawberry.field(description="Seconds until the access token expires")
    account: Account


@strawberry.input
class RegisterInput:
    code: str
    password: str
    name: str
    phone: str | None = None
    email: str | None = None


@strawberry.type
class DevMessage:
    recipient: str
    channel: Channel
    text: str
    sent_at: datetime


ReviewReason = Annotated[str | None, strawberry.argument(description="Required to reject")]


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class Document:
    """A generated PDF; the documents service resolves its fields."""

    id: strawberry.ID
