"""The one place where identity's adapters are wired."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

import servicekit.rpc as rpc
from contracts.gen.documents.v1.documents_pb2_grpc import DocumentsStub
from identity.accounts.admin import AccountAdmin
from identity.accounts.lockout import LockoutPolicy
from identity.accounts.passwords import Passwords
from identity.accounts.service import Accounts
from identity.accounts.sessions import Sessions
from identity.accounts.sign_in_limit import SignInFailureSweeper, SignInLimit
from identity.accounts.tokens import TokenIssuer
from identity.config import IdentitySettings
from identity.consumers import handlers as consumer_handlers
from identity.db import inbox, outbox, vault
from identity.exam.config import ExamSettings
from identity.exam.questions import QuestionBank
from identity.exam.service import Exams
from identity.exam.study import StudyDocuments
from identity.exam.sweeper import ExpiredAttemptSweeper
from identity.graphql.context import IdentityContext
from identity.graphql.schema import build_schema
from identity.grpc.accounts import register
from identity.verification.senders import Sender, build_sender
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
    sessions: Sessions
    admin: AccountAdmin
    exam_settings: ExamSettings
    exams: Exams
    question_bank: QuestionBank
    study: StudyDocuments
    sender: Sender


def build_container(
    settings: IdentitySettings, exam_settings: ExamSettings | None = None
) -> Container:
    vault.configure(dev=settings.is_dev)  # production: the data key files must be there
    db = Database(make_engine(settings.database_url, settings.database_pool_size))
    sender = build_sender(settings)
    key = load_or_create_key(settings.jwt_private_key_file, create=settings.is_dev)
    previous = settings.jwt_previous_key_file
    retired = [load_or_create_key(previous, create=False).public_key()] if previous else []
    tokens = TokenIssuer(settings, key, retired)
    codes = Codes(settings, sender)
    passwords = Passwords(settings)
    events = Outbox(outbox, "/services/identity")
    accounts = Accounts(
        settings=settings,
        passwords=passwords,
        codes=codes,
        sender=sender,
        outbox=events,
        calendar=WorkingCalendar(),
    )
    sessions = Sessions(
        settings,
        passwords,
        tokens,
        codes,
        events,
        LockoutPolicy(),
        SignInLimit(settings.sign_in_failures_per_ip_per_hour),
    )
    admin = AccountAdmin(passwords, events)
    verifier = JwksVerifier(
        settings.jwks_url, settings.jwt_issuer, settings.jwt_audience, local_jwks=tokens.jwks
    )
    exam = exam_settings or ExamSettings()
    return Container(
        settings,
        db,
        verifier,
        tokens,
        codes,
        accounts,
        sessions,
        admin,
        exam_settings=exam,
        exams=Exams(exam, events),
        question_bank=QuestionBank(exam),
        study=StudyDocuments(
            exam,
            rpc.LazyStub(settings.documents_grpc_target, DocumentsStub),
            settings.grpc_deadline_seconds,
        ),
        sender=sender,
    )


def build_parts(container: Container) -> ServiceParts:
    settings = container.settings
    sweeper = ExpiredAttemptSweeper(
        container.db, container.exams, container.exam_settings.sweep_seconds
    )
    pruner = SignInFailureSweeper(container.db, settings.sign_in_failure_sweep_seconds)

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
        inbox=inbox,
        handlers=consumer_handlers(container.sender),
        register_grpc=register(container.db, container.accounts, container.exams),
        schema=build_schema(dev=settings.is_dev),
        context=lambda: IdentityContext(container),
        routes=routes,
        # Workers' loops: scoring attempts past their deadline, deleting expired sign-in failures.
        background=[sweeper, pruner],
    )
