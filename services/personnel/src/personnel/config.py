from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class PersonnelSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PERSONNEL_", extra="ignore")

    http_port: int = 8003
    grpc_port: int = 50053
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1/personnel"
    filing_grpc_target: str = "127.0.0.1:50052"
    documents_grpc_target: str = "127.0.0.1:50055"

    # Employment applications (DOMAIN.md §4).
    # Numbers this city issues start with this code (GB/T 2260 of Qingdao): a licence or
    # certificate number with it must be one issued here; other numbers are checked by format.
    local_licence_prefix: str = "3702"
    # TW/HK/Macau employment certificates were abolished nationally in 2018; the kinds are kept
    # because the source system has them, and this switch turns them off.
    hkmotw_enabled: bool = True
    review_working_days: int = 5
    # The labour service window printed on the online-handling notice (网上办理通知书).
    labour_office_name: str = "青岛市人力资源和社会保障局外国人工作服务窗口"
    labour_office_address: str = "山东省青岛市崂山区株洲路177号青岛市政务服务大厅二楼"
    labour_office_phone: str = "0532-12333"
    labour_office_hours: str = "工作日 9:00–12:00，13:30–17:00"
    # Days after a passed pre-review to come to the window (printed on the notice); None: no limit.
    handling_notice_days: int | None = None
