"""Labour forms of foreign employment (seed 004, 一–三): the employment licence application, the
recruitment application of licence-exempt persons (聘用外国人就业申请表), the registration form
(外国人就业登记表) and the extension application. Labels are bilingual as the source system's
are. Printed, stamped by the exit-entry bureau, uploaded again: each carries the QR code."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator
from reportlab.platypus import Flowable

from documents.rendering.blocks import FormGrid, label, photo, section, show, sign, value
from documents.rendering.models import (
    SEX,
    TRAVEL_DOCUMENT,
    Address,
    EnterpriseRef,
    ForeignWorker,
    FormData,
    IdNumber,
    Line,
    Name,
    Paragraph,
    full_name,
)

COLUMNS = [1.0] * 12
PHOTO_LINES = ["照片 Photo", "近期免冠", "1寸"]


class Job(FormData):
    position: Line
    work_location: Address
    contract_start: date
    contract_end: date
    monthly_salary_cny: Annotated[int, Field(ge=0, le=10_000_000)]
    education: Line

    @model_validator(mode="after")
    def term_is_forward(self) -> Self:
        if self.contract_end <= self.contract_start:
            raise ValueError("contract_end must be after contract_start")
        return self


class LicenceApplication(FormData):
    employer: EnterpriseRef
    worker: ForeignWorker
    job: Job
    work_experience: Paragraph
    recruiting_reason: Paragraph
    # Entered by the user after the bureau stamped the printed form; null before that.
    exit_entry_opinion: Paragraph | None


class RecruitmentApplication(LicenceApplication):
    exemption_reason: Paragraph


class Visa(FormData):
    visa_type: Line
    visa_number: IdNumber
    visa_expiry: date
    entry_date: date
    entry_port: Name


class RegistrationForm(FormData):
    basis: Literal["LICENCE", "EXEMPT"]
    # The employment licence's number (licensed path); null for a licence-exempt person.
    licence_number: IdNumber | None
    employer: EnterpriseRef
    worker: ForeignWorker
    job: Job
    visa: Visa
    residence_address: Address
    exit_entry_opinion: Paragraph | None

    @model_validator(mode="after")
    def licence_number_matches_basis(self) -> Self:
        if (self.basis == "LICENCE") != (self.licence_number is not None):
            raise ValueError("licence_number is required for LICENCE and must be null for EXEMPT")
        return self


class ExtensionApplication(FormData):
    employment_certificate_number: IdNumber
    employer: EnterpriseRef
    worker: ForeignWorker
    position: Line
    current_valid_until: date
    extend_until: date
    reason: Paragraph
    exit_entry_opinion: Paragraph | None

    @model_validator(mode="after")
    def extends(self) -> Self:
        if self.extend_until <= self.current_valid_until:
            raise ValueError("extend_until must be after current_valid_until")
        return self


def employer_rows(grid: FormGrid, employer: EnterpriseRef, *, english: bool = True) -> None:
    def en(text: str) -> str | None:
        return text if english else None

    grid.add(section("一、用人单位情况", en("Employer"), span=12))
    grid.add(label("单位名称", en("Name"), span=2), value(employer.name, span=10))
    grid.add(label("统一社会信用代码", en("Credit code"), span=2), value(employer.uscc, span=4))
    grid.rows[-1] += [
        label("联系人", en("Contact person"), span=2),
        value(employer.contact_person, span=4),
    ]
    grid.add(label("单位地址", en("Address"), span=2), value(employer.address, span=6))
    grid.rows[-1] += [
        label("联系电话", en("Telephone"), span=2),
        value(employer.contact_phone, span=2, size=9),
    ]


def worker_rows(grid: FormGrid, worker: ForeignWorker, number: str = "二") -> None:
    grid.add(section(f"{number}、外国人情况", "Foreign employee", span=12))
    grid.add(
        label("姓名", "Name", span=2),
        value(full_name(worker), span=4),
        label("性别", "Sex", span=2),
        value(SEX[worker.sex], span=2),
        photo(PHOTO_LINES, span=2, rows=4),
    )
    grid.add(label("出生日期", "Date of birth", span=2), value(worker.birth_date, span=4))
    grid.rows[-1] += [label("国籍", "Nationality", span=2), value(worker.nationality, span=2)]
    grid.add(
        label("证件类型", "Document", span=2),
        value(TRAVEL_DOCUMENT[worker.document_type], span=4, size=9),
    )
    grid.rows[-1] += [
        label("证件号码", "Document No.", span=2),
        value(worker.document_number, span=2, size=9),
    ]
    grid.add(label("证件有效期至", "Valid until", span=2), value(worker.document_expiry, span=4))
    grid.rows[-1] += [label("手机", "Mobile", span=2), value(worker.mobile, span=2, size=9)]
    grid.add(label("电子邮箱", "E-mail", span=2), value(worker.email, span=4, size=9))
    grid.rows[-1] += [label("在华住址", "Address in China", span=2), value(worker.address, span=4)]


def job_rows(grid: FormGrid, job: Job, number: str = "三", *, english: bool = True) -> None:
    def en(text: str) -> str | None:
        return text if english else None

    grid.add(section(f"{number}、聘用情况", en("Employment"), span=12))
    grid.add(label("职业/岗位", en("Occupation"), span=2), value(job.position, span=4))
    grid.rows[-1] += [
        label("月薪（元）", en("Monthly salary (RMB)"), span=2),
        value(f"{job.monthly_salary_cny:,}", span=4),
    ]
    grid.add(label("工作地点", en("Place of work"), span=2), value(job.work_location, span=6))
    grid.rows[-1] += [label("学历", en("Education"), span=2), value(job.education, span=2)]
    grid.add(
        label("聘用期限", en("Term of employment"), span=2),
        value(f"{show(job.contract_start)} 至 {show(job.contract_end)}", span=10),
    )


def opinions(grid: FormGrid, number: str, exit_entry: str | None, *, english: bool = True) -> None:
    """The exit-entry bureau's opinion (stamped on the printed form, then typed in), the
    employer's seal and the labour department's pre-review."""

    def en(text: str) -> str | None:
        return text if english else None

    grid.add(section(f"{number}、审核意见", en("Opinions"), span=12))
    if exit_entry is not None or english:
        grid.add(
            label("市公安出入境管理部门意见", en("Exit-entry administration"), span=3),
            value(exit_entry, span=9) if exit_entry else sign("（盖章 Seal）", span=9, height=48),
        )
    employer = "用人单位意见（盖章）：" + ("\nSeal of employer" if english else "")
    labour = "劳动就业服务管理机构意见：" + ("\nLabour employment service" if english else "")
    grid.add(sign(employer, span=6, height=66), sign(labour, span=6, height=66))


def licence_application(data: LicenceApplication) -> list[Flowable]:
    grid = FormGrid(COLUMNS)
    employer_rows(grid, data.employer)
    worker_rows(grid, data.worker)
    job_rows(grid, data.job)
    grid.add(label("工作经历", "Work experience", span=2), value(data.work_experience, span=10))
    grid.add(
        label("聘用理由", "Reasons for recruiting", span=2), value(data.recruiting_reason, span=10)
    )
    opinions(grid, "四", data.exit_entry_opinion)
    return [grid.table()]


def recruitment_application(data: RecruitmentApplication) -> list[Flowable]:
    grid = FormGrid(COLUMNS)
    employer_rows(grid, data.employer)
    worker_rows(grid, data.worker)
    job_rows(grid, data.job)
    grid.add(
        label("免办许可理由", "Reason for exemption", span=2), value(data.exemption_reason, span=10)
    )
    grid.add(label("工作经历", "Work experience", span=2), value(data.work_experience, span=10))
    grid.add(
        label("聘用理由", "Reasons for recruiting", span=2), value(data.recruiting_reason, span=10)
    )
    opinions(grid, "四", data.exit_entry_opinion)
    return [grid.table()]


def registration_form(data: RegistrationForm) -> list[Flowable]:
    grid = FormGrid(COLUMNS)
    basis = (
        "已办《外国人就业许可证书》" if data.basis == "LICENCE" else "免办《外国人就业许可证书》"
    )
    grid.add(label("办理类型", "Basis", span=2), value(basis, span=4))
    grid.rows[-1] += [
        label("许可证书编号", "Licence No.", span=2),
        value(data.licence_number, span=4),
    ]
    employer_rows(grid, data.employer)
    worker_rows(grid, data.worker)
    visa = data.visa
    grid.add(label("签证种类", "Visa type", span=2), value(visa.visa_type, span=4))
    grid.rows[-1] += [label("签证号码", "Visa No.", span=2), value(visa.visa_number, span=4)]
    grid.add(label("签证有效期至", "Visa valid until", span=2), value(visa.visa_expiry, span=4))
    grid.rows[-1] += [label("入境日期", "Date of entry", span=2), value(visa.entry_date, span=4)]
    grid.add(label("入境口岸", "Port of entry", span=2), value(visa.entry_port, span=4))
    grid.rows[-1] += [
        label("居住地址", "Residence", span=2),
        value(data.residence_address, span=4),
    ]
    job_rows(grid, data.job)
    opinions(grid, "四", data.exit_entry_opinion)
    return [grid.table()]


def extension_application(data: ExtensionApplication) -> list[Flowable]:
    grid = FormGrid(COLUMNS)
    grid.add(
        label("就业证号码", "Employment permit No.", span=3),
        value(data.employment_certificate_number, span=9),
    )
    employer_rows(grid, data.employer)
    worker_rows(grid, data.worker)
    grid.add(section("三、延期申请", "Extension", span=12))
    grid.add(label("职业/岗位", "Occupation", span=2), value(data.position, span=10))
    grid.add(label("现就业期限至", "Valid until", span=2), value(data.current_valid_until, span=4))
    grid.rows[-1] += [
        label("申请延期至", "Extend until", span=2),
        value(data.extend_until, span=4),
    ]
    grid.add(label("延期理由", "Reasons", span=2), value(data.reason, span=10))
    opinions(grid, "四", data.exit_entry_opinion)
    return [grid.table()]
