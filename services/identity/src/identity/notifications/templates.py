"""The messages of each decision event. The publishing service puts the accounts to tell in
`data.accountIds` (and, for some events, more specific lists); the other fields fill the template."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

PREFIX = "【涉外单位服务平台】"
EVERYONE = "accountIds"

# A field left empty by the publisher reads as this, instead of the message not being sent.
FALLBACKS: Mapping[str, str] = {"comment": "未填写意见"}

Audiences = Sequence[tuple[str, str]]


def everyone(template: str) -> Audiences:
    return ((EVERYONE, template),)


# Event type → (field of `data` listing account ids, template) per audience. An account listed in
# several fields is told once, by the first audience that lists it.
TEMPLATES: Mapping[str, Audiences] = {
    "filing.enterprise.submitted": everyone(
        "{enterpriseName}的备案（第{revision}版）已提交，请等待出入境部门审核。"
    ),
    "filing.enterprise.branch_approved": everyone(
        "{enterpriseName}的备案已通过分局审核，正在等待市局审核。"
    ),
    "filing.enterprise.approved": everyone("{enterpriseName}的备案已审核通过。"),
    "filing.enterprise.rejected": everyone(
        "{enterpriseName}的备案未通过审核：{comment}。请登录平台查看审批意见并修改后重新提交。"
    ),
    "filing.enterprise.changed": everyone("{enterpriseName}的单位信息变更已审核通过。"),
    "filing.liaison.changed": (
        ("addedAccountIds", "您已成为{enterpriseName}的联络员，可登录平台为该单位办理业务。"),
        (
            "removedAccountIds",
            "您已不再担任{enterpriseName}的联络员，不能再为该单位办理业务，已在平台上退出登录。",
        ),
        (EVERYONE, "{enterpriseName}的联络员变更已审核通过。"),
    ),
    "personnel.application.submitted": everyone(
        "{personName}的{kindName}（申请编号{applicationNumber}）已提交预审，"
        "预审将于{dueDate}前完成。"
    ),
    "personnel.application.approved": everyone(
        "{personName}的{kindName}（申请编号{applicationNumber}）已通过预审，"
        "请登录平台打印网上办理通知书并预约办理。"
    ),
    "personnel.application.rejected": everyone(
        "{personName}的{kindName}（申请编号{applicationNumber}）未通过预审：{reason}。"
        "请登录平台查看原因，修改后重新提交。"
    ),
    "booking.appointment.booked": everyone(
        "您已预约{startsAt}在{locationName}办理业务，预约号{number}。"
    ),
    "booking.appointment.cancelled": everyone("您在{locationName}的预约（预约号{number}）已取消。"),
    "booking.appointment.rescheduled": everyone(
        "您的预约（预约号{number}）已改至{startsAt}，地点{locationName}。"
    ),
    "booking.appointment.offered": everyone(
        "{locationName}{startsAt}的时段有空余名额，已为您保留至{expiresAt}，请在此之前登录平台确认预约，逾期将顺延给下一位候补。"
    ),
    "booking.appointment.offer_expired": everyone(
        "为您保留的{locationName}{startsAt}的候补名额已过保留时间，未能预约。"
    ),
    "booking.appointment.offer_withdrawn": everyone(
        "{locationName}当日暂停办理，为您保留的{startsAt}的候补名额已取消。"
    ),
}


class MissingField(KeyError):
    pass


def render(event_type: str, data: Mapping[str, object]) -> list[tuple[str, str]]:
    """(field listing the accounts, text) for each audience of the event."""
    values = {k: v for k, v in data.items() if v is not None and str(v).strip()}
    fields = {**FALLBACKS, **values}
    try:
        return [
            (audience, PREFIX + template.format_map(fields))
            for audience, template in TEMPLATES[event_type]
        ]
    except KeyError as exc:
        raise MissingField(str(exc)) from exc
