from __future__ import annotations

import httpx
import pytest

from devstack.testing import TestIssuer
from servicekit.db import Database

from .steps import Steps


@pytest.fixture
def steps(
    filing: httpx.AsyncClient,
    issuer: TestIssuer,
    identity,  # type: ignore[no-untyped-def]
    documents,  # type: ignore[no-untyped-def]
    filing_db: Database,
) -> Steps:
    return Steps(filing, issuer, identity, documents, filing_db)
