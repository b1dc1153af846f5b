"""Exit-entry forms of enterprise filing (seed 000, 附件1–4): the filing application form, the
liaison change/add form and the enterprise change form. Printed, photo pasted, sealed, signed by
the legal representative, uploaded again: each carries the verification QR code."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator
from reportlab.platypus import Flowable

from documents.rendering.blocks import (
    FormGrid,
    blank,
    checks,
    label,
    note,
    photo,
    section,
    sign,
    value,
)
from documents.rendering.models import (
    ID_TYPE,
    SEX_ZH,
    Enterprise,
    FormData,
    Liaison,
    Line,
    Name,
    Paragraph,
    Person,
    Phone,
    Uscc,
)

COLUMNS = [1.0] * 12
PHOTO_LINES = ["粘贴联络员", "近期免冠", "1寸照片"]
TRUTHFUL = "本单位承诺：以上填报信息及所附材料真实、准确、完整，如有虚假，愿承担相应法律责任。"


class FilingApplication(FormData):
    enterprise: Enterprise
    legal_representative: Person
    responsible_person: Person
    liaisons: Annotated[list[Liaison], Field(min_length=1, max_length=2)]


class ReplacedLiaison(FormData):
    name: Name
    mobile: Phone


class LiaisonChange(FormData):
    action: Literal["CHANGE", "ADD"]
    enterprise_name: Line
    uscc: Uscc
    district_name: Name
    # The liaison who is replaced (CHANGE only; null when a liaison is added).
    replaced: ReplacedLiaison | None
    liaison: Liaison

    @model_validator(mode="after")
    def replaced_only_when_changing(self) -> Self:
        if (self.action == "CHANGE") != (self.replaced is not None):
            raise ValueError("replaced is required for CHANGE and must be null for ADD")
        return self


ChangeItem = Literal["NAME", "ADDRESS", "LEGAL_REPRESENTATIVE", "PHONE", "OTHER"]
CHANGE_ITEMS = {
    "NAME": "单位名称",
    "ADDRESS": "单位地址",
    "LEGAL_REPRESENTATIVE": "法定代表人",
    "PHONE": "联系电话",
    "OTHER": "其他事项",
}


class Change(FormData):
    item: ChangeItem
    before: Paragraph
    after: Paragraph


class EnterpriseChange(FormData):
    enterprise_name: Line
    uscc: Uscc
    district_name: Name
    changes: Annotated[list[Change], Field(min_length=1, max_length=8)]
    reason: Paragraph


def _enterprise(grid: FormGrid, enterprise: Enterprise) -> None:
    grid.add(section("一、单位基本信息", span=12))
    grid.add(label("单位名称", span=2), value(enterprise.name, span=6))
    grid.rows[-1] += [label("单位电话", span=2), value(enterprise.phone, span=2, size=9)]
    grid.add(label("统一社会信用代码", span=2), value(enterprise.uscc, span=4))
    grid.rows[-1] += [label("所属辖区", span=2), value(_district(enterprise), span=4)]
    grid.add(label("单位类型", span=2), value(enterprise.enterprise_type, span=4))
    grid.rows[-1] += [label("所属行业", span=2), value(enterprise.industry, span=4)]
    grid.add(label("注册地址", span=2), value(enterprise.registered_address, span=10))
    grid.add(label("经营地址", span=2), value(enterprise.operating_address, span=10))


def _district(enterprise: Enterprise) -> str:
    return f"{enterprise.district_name}（{enterprise.district}）"


def _people(grid: FormGrid, number: str, people: list[tuple[str, Person]]) -> None:
    grid.add(section(f"{number}、法定代表人及负责人", span=12))
    grid.add(
        label("身份", span=2),
        label("姓名", span=2),
        label("证件类型", span=2),
        label("证件号码", span=3),
        label("联系电话", span=3),
    )
    for role, person in people:
        grid.add(
            label(role, span=2),
            value(person.name, span=2),
            value(ID_TYPE[person.id_type], span=2, size=9),
            value(person.id_number, span=3),
            value(person.phone, span=3),
        )


def _liaison(grid: FormGrid, heading: str, liaison: Liaison) -> None:
    grid.add(section(heading, span=12))
    grid.add(
        label("姓名", span=2),
        value(liaison.name, span=3),
        label("性别", span=1),
        value(SEX_ZH[liaison.sex], span=1),
        label("职务", span=1),
        value(liaison.position, span=2),
        photo(PHOTO_LINES, span=2, rows=4),
    )
    grid.add(label("证件类型", span=2), value(ID_TYPE[liaison.id_type], span=3, size=9))
    grid.rows[-1] += [label("证件号码", span=2), value(liaison.id_number, span=3)]
    grid.add(label("手机号码", span=2), value(liaison.mobile, span=3))
    grid.rows[-1] += [
        label("社保缴纳", span=2),
        value(f"{liaison.social_security_months} 个月", span=3),
    ]
    grid.add(
        label("备注", span=2),
        note("须为在本单位连续缴纳社会保险两个月以上的中国籍员工", span=8, size=8.5),
    )


def _official(grid: FormGrid, number: str) -> None:
    grid.add(section(f"{number}、出入境管理部门审核意见（申请单位不填）", span=12))
    for level in ("分局审核意见", "市局审核意见"):
        grid.add(label(level, span=2), blank(span=10, height=30))


def filing_application(data: FilingApplication) -> list[Flowable]:
    grid = FormGrid(COLUMNS)
    _enterprise(grid, data.enterprise)
    _people(
        grid, "二", [("法定代表人", data.legal_representative), ("负责人", data.responsible_person)]
    )
    numbers = ["（一）", "（二）"]
    for index, liaison in enumerate(data.liaisons):
        suffix = numbers[index] if len(data.liaisons) > 1 else ""
        _liaison(grid, f"三、外管联络员{suffix}", liaison)
    grid.add(section("四、单位承诺", span=12))
    grid.add(note(TRUTHFUL, span=12))
    grid.add(
        sign("法定代表人（签字）：", span=6, height=62), sign("单位（公章）：", span=6, height=62)
    )
    _official(grid, "五")
    return [grid.table()]


def liaison_change(data: LiaisonChange) -> list[Flowable]:
    grid = FormGrid(COLUMNS)
    grid.add(
        label("申请类型", span=2),
        checks(
            [("变更外管联络员", data.action == "CHANGE"), ("新增外管联络员", data.action == "ADD")],
            span=10,
        ),
    )
    grid.add(section("一、单位信息", span=12))
    grid.add(label("单位名称", span=2), value(data.enterprise_name, span=10))
    grid.add(label("统一社会信用代码", span=2), value(data.uscc, span=4))
    grid.rows[-1] += [label("所属辖区", span=2), value(data.district_name, span=4)]
    if data.replaced is not None:
        grid.add(section("二、原外管联络员", span=12))
        grid.add(label("姓名", span=2), value(data.replaced.name, span=4))
        grid.rows[-1] += [label("手机号码", span=2), value(data.replaced.mobile, span=4)]
    numbers = iter(["三", "四", "五"] if data.replaced is not None else ["二", "三", "四"])
    heading = "新任外管联络员" if data.action == "CHANGE" else "新增外管联络员"
    _liaison(grid, f"{next(numbers)}、{heading}", data.liaison)
    grid.add(section(f"{next(numbers)}、单位承诺", span=12))
    grid.add(
        note(
            "上述联络员为本单位中国籍员工，已在本单位连续缴纳社会保险两个月以上；"
            "本单位外管联络员不超过两名。" + TRUTHFUL.removeprefix("本单位承诺："),
            span=12,
        )
    )
    if data.action == "CHANGE":
        grid.add(sign("法定代表人（签字）：", span=6), sign("单位（公章）：", span=6))
    else:
        grid.add(sign("单位（公章）：", span=12))
    _official(grid, next(numbers))
    return [grid.table()]


def enterprise_change(data: EnterpriseChange) -> list[Flowable]:
    grid = FormGrid(COLUMNS)
    grid.add(section("一、单位信息", span=12))
    grid.add(label("单位名称", span=2), value(data.enterprise_name, span=10))
    grid.add(label("统一社会信用代码", span=2), value(data.uscc, span=4))
    grid.rows[-1] += [label("所属辖区", span=2), value(data.district_name, span=4)]
    grid.add(section("二、变更事项", span=12))
    grid.add(label("变更项目", span=2), label("变更前", span=5), label("变更后", span=5))
    for change in data.changes:
        grid.add(
            label(CHANGE_ITEMS[change.item], span=2),
            value(change.before, span=5),
            value(change.after, span=5),
        )
    grid.add(label("变更原因", span=2), value(data.reason, span=10))
    grid.add(section("三、单位确认", span=12))
    grid.add(note("本单位确认上述变更信息无误。" + TRUTHFUL.removeprefix("本单位承诺："), span=12))
    grid.add(
        sign("单位名称（手写）：", span=6, height=70),
        sign("单位（公章）：", span=6, height=70),
    )
    _official(grid, "四")
    return [grid.table()]
