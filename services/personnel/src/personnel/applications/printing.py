"""What documents prints for an application: the kind's application form (申请表 / 登记表, with
the QR code carrying the application's revision) and, once the pre-review passed, the
online-handling notice (网上办理通知书). The data models are documents' templates
(`documents/rendering/templates/employment.py`, `hkmotw.py`, `notices.py`): person data comes
from the foreign person's record, employer data from filing, the rest from the form."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from personnel.applications import forms
from personnel.applications.models import (
    HKMOTW_KINDS,
    ApplicationKind,
    EmploymentApplication,
)
from personnel.config import PersonnelSettings
from personnel.people.models import ForeignPerson, TravelDocumentType
from servicekit.calendar import CHINA_TZ
from servicekit.errors import FieldErrors
from servicekit.filing_client import EnterpriseDetails

FORM_KINDS = {
    ApplicationKind.LICENCE: "LICENCE_APPLICATION_FORM",
    ApplicationKind.EXEMPT_RECRUITMENT: "RECRUITMENT_APPLICATION_FORM",
    ApplicationKind.REGISTRATION: "REGISTRATION_FORM",
    ApplicationKind.EXTENSION: "EXTENSION_APPLICATION_FORM",
    ApplicationKind.HKMOTW_EMPLOYMENT: "HKMOTW_EMPLOYMENT_FORM",
    ApplicationKind.HKMOTW_EXTENSION: "HKMOTW_EXTENSION_FORM",
}
NOTICE = "ONLINE_HANDLING_NOTICE"
# An optional text the user left out prints as a dash (the box stays visibly unanswered).
DASH = "—"

# The person's data each kind's printed form needs (record field, API path).
PERSON_FIELDS: dict[ApplicationKind, tuple[tuple[str, str], ...]] = {
    ApplicationKind.REGISTRATION: (
        ("visa_type", "visaType"),
        ("visa_number", "visaNumber"),
        ("visa_expiry", "visaExpiry"),
        ("entry_date", "entryDate"),
        ("entry_port", "entryPort"),
        ("address", "address"),
    ),
    ApplicationKind.HKMOTW_EMPLOYMENT: (("mobile", "mobile"), ("address", "address")),
    ApplicationKind.HKMOTW_EXTENSION: (("mobile", "mobile"), ("address", "address")),
}
ENTERPRISE_FIELDS = (
    ("name", "name"),
    ("uscc", "uscc"),
    ("address", "address"),
    ("contact_person", "contactPerson"),
    ("contact_phone", "contactPhone"),
)

_COMMON_MATERIALS = ["本通知书", "用人单位营业执照副本复印件（加盖公章）"]
MATERIALS: dict[ApplicationKind, list[str]] = {
    ApplicationKind.LICENCE: [
        "《外国人就业许可证书申请表》（经市公安出入境管理部门盖章）原件",
        "外国人护照原件及复印件",
        "拟聘用外国人履历证明及从事该项工作的资格证明",
        "劳动合同或聘用意向书原件",
    ],
    ApplicationKind.EXEMPT_RECRUITMENT: [
        "《聘用外国人就业申请表》（经市公安出入境管理部门盖章）原件",
        "外国人护照原件及复印件（含个人信息页、有效签证页）",
        "免办就业许可证书的证明材料",
        "劳动合同原件",
    ],
    ApplicationKind.REGISTRATION: [
        "《外国人就业登记表》",
        "《外国人就业许可证书》原件（免办人员：已通过预审的《聘用外国人就业申请表》）",
        "外国人护照原件及复印件（含有效Z字签证页）",
        "劳动合同原件",
        "近期免冠正面彩色照片（2寸）两张",
    ],
    ApplicationKind.EXTENSION: [
        "《外国人就业证》原件",
        "外国人护照原件及复印件",
        "续签的劳动合同原件",
    ],
    ApplicationKind.HKMOTW_EMPLOYMENT: [
        "《台湾香港澳门居民在内地就业证申请表》",
        "港澳居民来往内地通行证或台湾居民来往大陆通行证原件及复印件",
        "劳动合同原件",
        "近期免冠正面彩色照片（2寸）两张",
    ],
    ApplicationKind.HKMOTW_EXTENSION: [
        "《台湾香港澳门居民在内地就业证》原件",
        "通行证原件及复印件",
        "续签的劳动合同原件",
    ],
}


def missing(
    record: EmploymentApplication,
    person: ForeignPerson,
    enterprise: EnterpriseDetails | None = None,
) -> FieldErrors:
    """Everything the printed form needs and the record lacks (every item at once)."""
    errors = forms.missing_core(record.kind, record.form)
    for attribute, path in PERSON_FIELDS.get(record.kind, ()):
        if getattr(person, attribute) in (None, ""):
            errors.add(
                f"foreignPerson.{path}",
                "请先在境外人员信息中填写此项",
                "fill this in the foreign person's record first",
            )
    if enterprise is not None:
        for attribute, path in ENTERPRISE_FIELDS:
            if not getattr(enterprise, attribute):
                errors.add(
                    f"enterprise.{path}",
                    "本单位的备案信息缺少此项，请办理涉外单位信息变更",
                    "the enterprise's approved filing lacks this",
                )
    return errors


def full_name(person: ForeignPerson) -> str:
    latin = f"{person.surname.upper()} {person.given_names.upper()}".strip()
    return f"{latin}（{person.chinese_name}）" if person.chinese_name else latin


def short_name(person: ForeignPerson) -> str:
    """How notifications name the person."""
    return person.chinese_name or f"{person.surname} {person.given_names}".strip()


def _employer(enterprise: EnterpriseDetails) -> dict[str, Any]:
    return {
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "address": enterprise.address,
        "contact_person": enterprise.contact_person,
        "contact_phone": enterprise.contact_phone,
    }


def _worker(person: ForeignPerson) -> dict[str, Any]:
    return {
        "surname": person.surname,
        "given_names": person.given_names or DASH,
        "chinese_name": person.chinese_name,
        "sex": str(person.sex),
        "birth_date": person.birth_date.isoformat(),
        "nationality": person.nationality,
        "document_type": str(person.document_type),
        "document_number": person.document_number,
        "document_expiry": person.document_expiry.isoformat(),
        "address": person.address,
        "mobile": person.mobile,
        "email": person.email,
    }


def _resident(person: ForeignPerson, form: dict[str, Any]) -> dict[str, Any]:
    if person.document_type == TravelDocumentType.TW_PERMIT:
        region = "TW"
    else:
        region = "MO" if person.document_number.startswith("M") else "HK"
    return {
        "name": person.chinese_name or f"{person.surname} {person.given_names}".strip(),
        "sex": str(person.sex),
        "birth_date": person.birth_date.isoformat(),
        "region": region,
        "permit_number": person.document_number,
        "home_id_number": form.get("homeIdNumber") or DASH,
        "mainland_address": person.address,
        "mobile": person.mobile,
    }


def _job(form: dict[str, Any]) -> dict[str, Any]:
    return {
        "position": form["position"],
        "work_location": form["workplaceAddress"],
        "contract_start": form["contractStart"],
        "contract_end": form["contractEnd"],
        "monthly_salary_cny": form["monthlySalary"],
        "education": form["education"],
    }


def _extension(form: dict[str, Any]) -> dict[str, Any]:
    start = date.fromisoformat(form["contractStart"])
    current = form.get("currentValidUntil") or (start - timedelta(days=1)).isoformat()
    return {
        "position": form["position"],
        "current_valid_until": current,
        "extend_until": form["contractEnd"],
        "reason": form.get("reason") or DASH,
    }


def form_data(
    record: EmploymentApplication, person: ForeignPerson, enterprise: EnterpriseDetails
) -> dict[str, Any]:
    """The data of the kind's application form; the record must be complete (`missing`)."""
    form = record.form
    kind = record.kind
    employer = _employer(enterprise)
    opinion = record.exit_entry_opinion or None
    if kind in (ApplicationKind.LICENCE, ApplicationKind.EXEMPT_RECRUITMENT):
        data = {
            "employer": employer,
            "worker": _worker(person),
            "job": _job(form),
            "work_experience": form.get("workExperience") or DASH,
            "recruiting_reason": form.get("recruitingReason") or DASH,
            "exit_entry_opinion": opinion,
        }
        if kind == ApplicationKind.EXEMPT_RECRUITMENT:
            data["exemption_reason"] = form.get("exemptionReason") or DASH
        return data
    if kind == ApplicationKind.REGISTRATION:
        return {
            "basis": "EXEMPT" if record.based_on_application_id else "LICENCE",
            "licence_number": None if record.based_on_application_id else record.licence_number,
            "employer": employer,
            "worker": _worker(person),
            "job": _job(form),
            "visa": {
                "visa_type": person.visa_type,
                "visa_number": person.visa_number,
                "visa_expiry": person.visa_expiry.isoformat() if person.visa_expiry else None,
                "entry_date": person.entry_date.isoformat() if person.entry_date else None,
                "entry_port": person.entry_port,
            },
            "residence_address": person.address,
            "exit_entry_opinion": opinion,
        }
    if kind == ApplicationKind.EXTENSION:
        return {
            "employment_certificate_number": record.certificate_number,
            "employer": employer,
            "worker": _worker(person),
            **_extension(form),
            "exit_entry_opinion": opinion,
        }
    if kind == ApplicationKind.HKMOTW_EMPLOYMENT:
        return {"employer": employer, "resident": _resident(person, form), "job": _job(form)}
    assert kind == ApplicationKind.HKMOTW_EXTENSION
    return {
        "employment_certificate_number": record.certificate_number,
        "employer": employer,
        "resident": _resident(person, form),
        **_extension(form),
    }


def notice_data(
    record: EmploymentApplication,
    person: ForeignPerson,
    enterprise_name: str,
    settings: PersonnelSettings,
) -> dict[str, Any]:
    assert record.submitted_at is not None and record.decided_at is not None
    passed_on = record.decided_at.astimezone(CHINA_TZ).date()
    days = settings.handling_notice_days
    return {
        "notice_number": f"TZ{record.number[2:]}-{record.revision}",
        "enterprise_name": enterprise_name,
        "applicant_name": full_name(person),
        "business": str(record.kind),
        "application_number": record.number,
        "submitted_on": record.submitted_at.astimezone(CHINA_TZ).date().isoformat(),
        "passed_on": passed_on.isoformat(),
        "handle_by": (passed_on + timedelta(days=days)).isoformat() if days else None,
        "office": {
            "name": settings.labour_office_name,
            "address": settings.labour_office_address,
            "phone": settings.labour_office_phone,
            "hours": settings.labour_office_hours,
        },
        "materials": [
            _COMMON_MATERIALS[0],
            *MATERIALS[record.kind],
            *_COMMON_MATERIALS[1:],
        ],
    }


def is_hkmotw(kind: ApplicationKind) -> bool:
    return kind in HKMOTW_KINDS
