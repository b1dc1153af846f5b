from __future__ import annotations

from pydantic import BaseModel
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class District(BaseModel):
    name: str
    branch: str  # the exit-entry branch (分局) that reviews filings of this district


# Qingdao (3702xx). Another city sets FILING_DISTRICTS as JSON: {"code": {"name", "branch"}}.
QINGDAO = {
    "370202": District(name="市南区", branch="市南分局"),
    "370203": District(name="市北区", branch="市南分局"),
    "370211": District(name="黄岛区", branch="黄岛分局"),
    "370212": District(name="崂山区", branch="崂山分局"),
    "370213": District(name="李沧区", branch="李沧分局"),
    "370214": District(name="城阳区", branch="城阳分局"),
    "370215": District(name="即墨区", branch="即墨分局"),
    "370281": District(name="胶州市", branch="胶州分局"),
    "370283": District(name="平度市", branch="平度分局"),
    "370285": District(name="莱西市", branch="莱西分局"),
}


class FilingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FILING_", extra="ignore")

    http_port: int = 8002
    grpc_port: int = 50052
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1/filing"
    identity_grpc_target: str = "127.0.0.1:50051"
    # documents.v1.Documents: renders the forms, knows the uploaded files.
    documents_grpc_target: str = "127.0.0.1:50055"
    # District (GB/T 2260) → its name and reviewing branch: the districts this city accepts.
    districts: dict[str, District] = QINGDAO
    # The authority the commitment letter is addressed to.
    authority_name: str = "青岛市公安局出入境管理局"
    # How long an officer holds a record they opened for review before others may take it.
    claim_minutes: int = 30
