"""Taiwan, Hong Kong and Macao residents' employment forms (seed 004, 四–五): the employment
certificate application (台湾香港澳门居民在内地就业证申请表) and its extension. Chinese labels,
as the source forms have them."""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from pydantic import model_validator
from reportlab.platypus import Flowable

from documents.rendering.blocks import FormGrid, label, photo, section, value
from documents.rendering.models import (
    SEX_ZH,
    Address,
    EnterpriseRef,
    FormData,
    IdNumber,
    Line,
    Name,
    Paragraph,
    Phone,
    Sex,
)
from documents.rendering.templates.employment import Job, employer_rows, job_rows, opinions

COLUMNS = [1.0] * 12
REGIONS = {"HK": "香港", "MO": "澳门", "TW": "台湾"}
PERMITS = {
    "HK": "港澳居民来往内地通行证",
    "MO": "港澳居民来往内地通行证",
    "TW": "台湾居民来往大陆通行证",
}


class Resident(FormData):
    name: Name
    sex: Sex
    birth_date: date
    region: Literal["HK", "MO", "TW"]
    permit_number: IdNumber
    # Hong Kong / Macao / Taiwan identity card number.
    home_id_number: IdNumber
    mainland_address: Address
    mobile: Phone


class HkMoTwEmployment(FormData):
    employer: EnterpriseRef
    resident: Resident
    job: Job


class HkMoTwExtension(FormData):
    employment_certificate_number: IdNumber
    employer: EnterpriseRef
    resident: Resident
    position: Line
    current_valid_until: date
    extend_until: date
    reason: Paragraph

    @model_validator(mode="after")
    def extends(self) -> Self:
        if self.extend_until <= self.current_valid_until:
            raise ValueError("extend_until must be after current_valid_until")
        return self


def _resident(grid: FormGrid, resident: Resident) -> None:
    grid.add(section("二、申请人情况", span=12))
    grid.add(
        label("姓名", span=2),
        value(resident.name, span=4),
        label("性别", span=2),
        value(SEX_ZH[resident.sex], span=2),
        photo(["照片", "近期免冠", "1寸"], span=2, rows=4),
    )
    grid.add(label("出生日期", span=2), value(resident.birth_date, span=4))
    grid.rows[-1] += [label("居民类别", span=2), value(f"{REGIONS[resident.region]}居民", span=2)]
    grid.add(label("通行证类型", span=2), value(PERMITS[resident.region], span=4, size=9))
    grid.rows[-1] += [label("通行证号码", span=2), value(resident.permit_number, span=2, size=9)]
    grid.add(label("身份证号码", span=2), value(resident.home_id_number, span=4))
    grid.rows[-1] += [label("手机", span=2), value(resident.mobile, span=2, size=9)]
    grid.add(label("内地住址", span=2), value(resident.mainland_address, span=10))


def hkmotw_employment(data: HkMoTwEmployment) -> list[Flowable]:
    grid = FormGrid(COLUMNS)
    employer_rows(grid, data.employer, english=False)
    _resident(grid, data.resident)
    job_rows(grid, data.job, english=False)
    opinions(grid, "四", None, english=False)
    return [grid.table()]


def hkmotw_extension(data: HkMoTwExtension) -> list[Flowable]:
    grid = FormGrid(COLUMNS)
    grid.add(label("就业证号码", span=2), value(data.employment_certificate_number, span=10))
    employer_rows(grid, data.employer, english=False)
    _resident(grid, data.resident)
    grid.add(section("三、延期申请", span=12))
    grid.add(label("职业/岗位", span=2), value(data.position, span=10))
    grid.add(label("现就业期限至", span=2), value(data.current_valid_until, span=4))
    grid.rows[-1] += [label("申请延期至", span=2), value(data.extend_until, span=4)]
    grid.add(label("延期理由", span=2), value(data.reason, span=10))
    opinions(grid, "四", None, english=False)
    return [grid.table()]
