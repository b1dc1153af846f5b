"""The one place where identity's adapters are wired."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from identity.accounts.passwords import Passwords
from identity.accounts.service import Accounts
from identity.accounts.tokens import TokenIssuer
from identity.config import IdentitySettings
from identity.db import outbox
from identity.graphql.context import IdentityContext
from identity.graphql.schema import build_schema
from identity.grpc.accounts import register
from identity.verification.senders import ConsoleSender
from identity.verification.service import Codes
from servicekit.auth import JwksVerifier
from servicekit.calendar import WorkingCalendar
from servicekit.db import Database, make_engine
from servicekit.keys import load_or_create_key
from servicekit.outbox import Outbox
from servicekit.runtime import ServiceParts


@dataclass
class Container:
    settings: IdentitySettings
    db: Database
    verifier: JwksVerifier
    tokens: TokenIssuer
    codes: Codes
    accounts: Accounts


def build_container(settings: IdentitySettings) -> Container:
    db = Database(make_engine(settings.database_url, settings.database_pool_size))
    sender = ConsoleSender()
    key = load_or_create_key(settings.jwt_private_key_file, create=settings.is_dev)
    tokens = TokenIssuer(settings, key)
    codes = Codes(settings, sender)
    accounts = Accounts(
        settings=settings,
        passwords=Passwords(settings),
        tokens=tokens,
        codes=codes,
        sender=sender,
        outbox=Outbox(outbox, "/services/identity"),
        calendar=WorkingCalendar(),
    )
    verifier = JwksVerifier(
        settings.jwks_url, settings.jwt_issuer, settings.jwt_audience, local_jwks=tokens.jwks
    )
    return Container(settings, db, verifier, tokens, codes, accounts)


def build_parts(container: Container) -> ServiceParts:
    settings = container.settings

    def routes(app: FastAPI) -> None:
        @app.get("/.well-known/jwks.json", include_in_schema=False)
        async def jwks() -> dict[str, list[dict[str, str]]]:
            return container.tokens.jwks()

    return ServiceParts(
        name="identity",
        settings=settings,
        db=container.db,
        verifier=container.verifier,
        outbox=outbox,
        register_grpc=register(container.db, container.accounts),
        schema=build_schema(dev=settings.is_dev),
        context=lambda: IdentityContext(container),
        routes=routes,
    )
