"""The exit-entry bureau's opinion (市公安出入境管理部门意见): the user prints the application
form, has it stamped at the bureau, uploads the scan (kind EXIT_ENTRY_OPINION) and records the
opinion. documents reads the QR code of the upload; the scan must be this application's form of
its current revision, uploaded for this enterprise."""

from __future__ import annotations

from personnel.applications.documents_client import Documents
from personnel.applications.models import EmploymentApplication
from personnel.applications.printing import FORM_KINDS
from servicekit.errors import NotFound, ValidationFailed

OPINION_KIND = "EXIT_ENTRY_OPINION"


async def check_opinion_attachment(
    documents: Documents,
    record: EmploymentApplication,
    revision: int,
    attachment_id: str,
    path: str,
) -> None:
    try:
        file = await documents.attachment(attachment_id)
    except NotFound:
        file = None
    if file is None or file.owner_enterprise_id != str(record.enterprise_id):
        raise ValidationFailed.single(
            path, "找不到该附件（请先上传）", "No such attachment (upload it first)"
        )
    if file.kind != OPINION_KIND:
        raise ValidationFailed.single(
            path,
            "该文件上传时的类别不是“出入境管理部门意见”，请按该类别重新上传",
            f"the file was uploaded as {file.kind}, not {OPINION_KIND}",
        )
    if not file.printed_kind:
        raise ValidationFailed.single(
            path,
            "未能识别申请表右上角的二维码，请上传本系统打印并盖章的申请表的完整清晰扫描件",
            "No QR code of this system was found: upload a complete, legible scan of the form "
            "printed from this system and stamped by the bureau",
        )
    if file.printed_kind != FORM_KINDS[record.kind] or file.printed_subject_id != str(record.id):
        raise ValidationFailed.single(
            path,
            "该申请表不是本申请打印的，请上传本申请的申请表",
            "This form was printed for another application",
        )
    if file.printed_revision != revision:
        raise ValidationFailed.single(
            path,
            f"该申请表打印自第{file.printed_revision}版，当前为第{revision}版，"
            "请打印最新的申请表盖章后重新上传",
            f"This form was printed from revision {file.printed_revision}; the application is "
            f"at revision {revision}. Print the current form, have it stamped and upload it",
        )
