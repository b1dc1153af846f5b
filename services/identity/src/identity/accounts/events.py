"""Events identity publishes about accounts (topic `identity.account.v1`, key = account id)."""

from __future__ import annotations

from typing import Any

from identity.accounts.models import Account

REGISTERED = "identity.account.registered"
APPROVED = "identity.account.approved"
REJECTED = "identity.account.rejected"
LOCKED = "identity.account.locked"
IMPORTED = "identity.account.imported"
DISABLED = "identity.account.disabled"
ENABLED = "identity.account.enabled"


def account_data(account: Account, **extra: Any) -> dict[str, Any]:
    return {
        "accountId": str(account.id),
        "name": account.name,
        "phone": account.phone,
        "email": account.email,
        "roles": list(account.roles),
        "status": account.status,
        **extra,
    }
