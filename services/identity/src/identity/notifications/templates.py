"""One message template per decision event. The publishing service puts the accounts to tell in
`data.accountIds`; the other fields fill the template."""

from __future__ import annotations

from collections.abc import Mapping

PREFIX = "【涉外单位服务平台】"

TEMPLATES: Mapping[str, str] = {
    "filing.enterprise.branch_approved": "{enterpriseName}的备案已通过分局审核，正在等待市局审核。",
    "filing.enterprise.approved": "{enterpriseName}的备案已审核通过。",
    "filing.enterprise.rejected": "{enterpriseName}的备案未通过审核：{comment}。请登录平台查看审批意见并修改后重新提交。",
    "personnel.application.approved": "{personName}的就业许可申请已通过预审，请登录平台打印网上办理通知书并预约办理。",
    "personnel.application.rejected": "{personName}的就业许可申请未通过预审：{reason}。请修改后重新提交。",
    "booking.appointment.booked": "您已预约{startsAt}在{locationName}办理业务，预约号{number}。",
    "booking.appointment.cancelled": "您在{locationName}的预约（预约号{number}）已取消。",
    "booking.appointment.rescheduled": "您的预约（预约号{number}）已改至{startsAt}，地点{locationName}。",
}


class MissingField(KeyError):
    pass


def render(event_type: str, data: Mapping[str, object]) -> str:
    template = TEMPLATES[event_type]
    try:
        return PREFIX + template.format_map({k: v for k, v in data.items() if v is not None})
    except KeyError as exc:
        raise MissingField(str(exc)) from exc
