"""Every printable kind: its data model, its template, its title and whether it carries the
verification QR code (papers that are printed and come back, or are shown at a window)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable

from documents.rendering.models import FormData
from documents.rendering.page import Heading, Stamp, build_pdf
from documents.rendering.templates import (
    employment,
    filing,
    hkmotw,
    letters,
    notices,
    question_bank,
)


@dataclass(frozen=True)
class Template:
    kind: str
    model: type[FormData]
    story: Callable[[Any], list[Flowable]]
    title: str
    title_en: str | None
    carries_qr: bool

    def render(self, data: FormData, stamp: Stamp) -> bytes:
        if not isinstance(data, self.model):
            raise TypeError(f"{self.kind} renders {self.model.__name__}, not {type(data).__name__}")
        heading = Heading(self.title, self.title_en)
        return build_pdf(heading, stamp, self.story(data), subject=self.kind)


TEMPLATES: dict[str, Template] = {
    template.kind: template
    for template in [
        Template(
            "FILING_APPLICATION_FORM",
            filing.FilingApplication,
            filing.filing_application,
            "涉外单位备案申请表",
            None,
            carries_qr=True,
        ),
        Template(
            "LIAISON_CHANGE_FORM",
            filing.LiaisonChange,
            filing.liaison_change,
            "外管联络员变更（新增）申请表",
            None,
            carries_qr=True,
        ),
        Template(
            "ENTERPRISE_CHANGE_FORM",
            filing.EnterpriseChange,
            filing.enterprise_change,
            "涉外单位变更备案申请表",
            None,
            carries_qr=True,
        ),
        Template(
            "COMMITMENT_LETTER",
            letters.CommitmentLetter,
            letters.commitment_letter,
            "承诺书",
            None,
            carries_qr=True,
        ),
        Template(
            "QUESTION_BANK_STUDY",
            question_bank.QuestionBankStudy,
            question_bank.question_bank_study,
            "外管联络员考试题库（学习资料）",
            None,
            carries_qr=False,
        ),
        Template(
            "LICENCE_APPLICATION_FORM",
            employment.LicenceApplication,
            employment.licence_application,
            "外国人就业许可证书申请表",
            "Application for Alien Employment License",
            carries_qr=True,
        ),
        Template(
            "RECRUITMENT_APPLICATION_FORM",
            employment.RecruitmentApplication,
            employment.recruitment_application,
            "聘用外国人就业申请表",
            "Application for Recruiting Foreign Worker in China",
            carries_qr=True,
        ),
        Template(
            "REGISTRATION_FORM",
            employment.RegistrationForm,
            employment.registration_form,
            "外国人就业登记表",
            "Registration Form of Alien Employment",
            carries_qr=True,
        ),
        Template(
            "EXTENSION_APPLICATION_FORM",
            employment.ExtensionApplication,
            employment.extension_application,
            "外国人就业许可延期申请表",
            "Application for Extension of Alien Employment",
            carries_qr=True,
        ),
        Template(
            "HKMOTW_EMPLOYMENT_FORM",
            hkmotw.HkMoTwEmployment,
            hkmotw.hkmotw_employment,
            "台湾香港澳门居民在内地就业证申请表",
            None,
            carries_qr=True,
        ),
        Template(
            "HKMOTW_EXTENSION_FORM",
            hkmotw.HkMoTwExtension,
            hkmotw.hkmotw_extension,
            "台湾香港澳门居民在内地就业许可延期申请表",
            None,
            carries_qr=True,
        ),
        Template(
            "ONLINE_HANDLING_NOTICE",
            notices.OnlineHandlingNotice,
            notices.online_handling_notice,
            "网上办理通知书",
            "Notice of Online Pre-review",
            carries_qr=True,
        ),
        Template(
            "APPOINTMENT_SLIP",
            notices.AppointmentSlip,
            notices.appointment_slip,
            "预约单",
            "Appointment Slip",
            carries_qr=True,
        ),
    ]
}
