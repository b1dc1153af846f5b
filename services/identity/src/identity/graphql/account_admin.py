"""Passwords and officer/admin account operations (resolvers only; rules in accounts/)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from identity.accounts.schemas import PasswordReset
from identity.graphql.context import IdentityContext
from identity.graphql.types import Account

Ctx = Info[IdentityContext, None]


@strawberry.type
class RejectedRow:
    line: int
    reason: str


@strawberry.type
class LegacyImportReport:
    imported: int
    unchanged: int = strawberry.field(description="Rows imported before: nothing changed")
    rejected: list[RejectedRow] = strawberry.field(
        description="Rows not imported (landlines, invalid numbers, empty fields, taken numbers)"
    )


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Also clears PASSWORD_CHANGE_REQUIRED of imported accounts")
    async def change_password(self, info: Ctx, old_password: str, new_password: str) -> bool:
        actor = await info.context.actor(allow_password_change=True)
        container = info.context.container
        async with container.db.unit_of_work() as session:
            await container.sessions.change_password(session, actor, old_password, new_password)
        return True

    @strawberry.mutation(description="With a RESET_PASSWORD code sent to the phone or e-mail")
    async def reset_password(self, info: Ctx, recipient: str, code: str, new_password: str) -> bool:
        container = info.context.container
        async with container.db.unit_of_work() as session:
            await container.sessions.reset_password(
                session, PasswordReset(recipient=recipient, code=code, new_password=new_password)
            )
        return True

    @strawberry.mutation(description="Officers: disable an account (signs it out everywhere)")
    async def disable_account(self, info: Ctx, id: strawberry.ID, reason: str) -> Account:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            account = await container.admin.set_disabled(session, actor, str(id), True, reason)
        return Account.from_model(account, actor)

    @strawberry.mutation(description="Officers: enable a disabled account again")
    async def enable_account(self, info: Ctx, id: strawberry.ID) -> Account:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            account = await container.admin.set_disabled(session, actor, str(id), False, None)
        return Account.from_model(account, actor)

    @strawberry.mutation(
        description="Admins: import the old system's export (CSV: enterprise,liaison_name,phone)"
    )
    async def import_legacy_accounts(self, info: Ctx, csv: str) -> LegacyImportReport:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            report = await container.admin.import_legacy(session, actor, csv)
        return LegacyImportReport(
            imported=report.imported,
            unchanged=report.unchanged,
            rejected=[RejectedRow(line=line, reason=reason) for line, reason in report.rejected],
        )
