"""Papers the user carries to a window: the online-handling notice (网上办理通知书, printed after a
passed pre-review, seed 004) and the appointment slip (预约单, seed 000 五). Officers scan the QR
code at the window to check them."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator
from reportlab.platypus import Flowable, Spacer

from documents.rendering.blocks import FormGrid, label, note, section, show, value
from documents.rendering.models import Address, FormData, IdNumber, Line, Phone
from documents.rendering.text import Text

COLUMNS = [1.0] * 12
BUSINESS = {
    "LICENCE": "外国人就业许可证书申请",
    "EXEMPT_RECRUITMENT": "外国人就业证申请（免办许可证书）",
    "REGISTRATION": "外国人就业登记",
    "EXTENSION": "外国人就业许可延期申请",
    "HKMOTW_EMPLOYMENT": "台港澳人员就业证申请",
    "HKMOTW_EXTENSION": "台港澳人员就业许可延期申请",
}
WEEKDAYS = "一二三四五六日"
Material = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Office(FormData):
    name: Line
    address: Address
    phone: Phone
    hours: Line


class OnlineHandlingNotice(FormData):
    notice_number: IdNumber
    enterprise_name: Line
    applicant_name: Line
    business: Literal[
        "LICENCE",
        "EXEMPT_RECRUITMENT",
        "REGISTRATION",
        "EXTENSION",
        "HKMOTW_EMPLOYMENT",
        "HKMOTW_EXTENSION",
    ]
    application_number: IdNumber
    submitted_on: date
    passed_on: date
    # Last day to come to the window; null when the office sets none.
    handle_by: date | None
    office: Office
    materials: Annotated[list[Material], Field(min_length=1, max_length=20)]


class AppointmentSlip(FormData):
    booking_number: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{4,32}$")]
    service_type: Line
    location_name: Line
    location_address: Address
    location_phone: Phone
    day: date
    start_time: time
    end_time: time
    person_name: Line
    document_number: IdNumber
    enterprise_name: Line
    notes: Annotated[list[Material], Field(max_length=10)]

    @model_validator(mode="after")
    def ends_after_start(self) -> Self:
        if self.end_time <= self.start_time:
            raise ValueError("end_time must be after start_time")
        return self


def online_handling_notice(data: OnlineHandlingNotice) -> list[Flowable]:
    by = f"于{show(data.handle_by)}前" if data.handle_by else ""
    story: list[Flowable] = [
        Text(f"通知书编号：{data.notice_number}", size=10, align="right", space_after=10),
        Text(f"{data.enterprise_name}：", size=12, space_after=6),
        Text(
            f"\u3000\u3000贵单位于{show(data.submitted_on)}通过网上办理系统提交的"
            f"{BUSINESS[data.business]}（申请人：{data.applicant_name}；申请编号："
            f"{data.application_number}）已于{show(data.passed_on)}通过网上预审。请{by}携带本通知书"
            f"及下列材料原件，到{data.office.name}办理。",
            size=12,
            leading=22,
            space_after=10,
        ),
    ]
    grid = FormGrid(COLUMNS)
    grid.add(section("需携带的材料", span=12))
    for number, material in enumerate(data.materials, start=1):
        grid.add(label(str(number)), note(material, span=11, size=10))
    grid.add(section("办理地点", span=12))
    grid.add(label("办理机构", span=2), value(data.office.name, span=10))
    grid.add(label("地址", span=2), value(data.office.address, span=10))
    grid.add(label("咨询电话", span=2), value(data.office.phone, span=4))
    grid.rows[-1] += [label("办公时间", span=2), value(data.office.hours, span=4, size=9)]
    story += [
        grid.table(),
        Spacer(0, 14),
        Text(
            "本通知书由网上办理系统生成，窗口工作人员可扫描右上角二维码核验真伪；"
            "申请信息如有变化，请重新提交预审。",
            size=9,
        ),
        Spacer(0, 24),
        Text("劳动就业服务管理机构", size=11, align="right"),
        Text(show(data.passed_on), size=11, align="right"),
    ]
    return story


def appointment_slip(data: AppointmentSlip) -> list[Flowable]:
    weekday = WEEKDAYS[data.day.weekday()]
    when = f"{show(data.day)}（星期{weekday}） {data.start_time:%H:%M}–{data.end_time:%H:%M}"
    grid = FormGrid(COLUMNS)
    grid.add(
        label("预约号", "Booking No.", span=3),
        value(data.booking_number, span=9, size=18, bold=True),
    )
    grid.add(label("预约时间", "Time", span=3), value(when, span=9, size=12))
    grid.add(label("办理业务", "Service", span=3), value(data.service_type, span=9))
    grid.add(label("办理地点", "Location", span=3), value(data.location_name, span=9))
    grid.add(label("地址", "Address", span=3), value(data.location_address, span=9))
    grid.add(label("咨询电话", "Telephone", span=3), value(data.location_phone, span=9))
    grid.add(section("办理人", "Applicant", span=12))
    grid.add(label("姓名", "Name", span=3), value(data.person_name, span=9))
    grid.add(label("证件号码", "Document No.", span=3), value(data.document_number, span=9))
    grid.add(label("所属单位", "Employer", span=3), value(data.enterprise_name, span=9))
    story: list[Flowable] = [grid.table(), Spacer(0, 12)]
    if data.notes:
        story.append(Text("注意事项 Notes", size=10.5, bold=True, space_after=4))
        for number, item in enumerate(data.notes, start=1):
            story.append(Text(f"{number}. {item}", size=10, space_after=2))
    return story
