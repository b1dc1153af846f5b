"""Realistic data for every kind (Chinese names with rare characters, long addresses that wrap):
rendered by the tests, by `scripts/render_examples.py` into docs/forms/, and by the benchmark."""

from __future__ import annotations

from typing import Any

ENTERPRISE = {
    "name": "青岛海㵘国际贸易有限公司",
    "uscc": "91350100M000100Y43",
    "enterprise_type": "有限责任公司（外商投资、非独资）",
    "industry": "批发和零售业",
    "district": "370202",
    "district_name": "青岛市市南区",
    "registered_address": "山东省青岛市市南区香港中路街道香港中路76号颐和国际A座2201室"
    "（中国（山东）自由贸易试验区青岛片区联络处）",
    "operating_address": "山东省青岛市市南区东海西路15号英德隆大厦10层1001、1002、1003室",
    "phone": "0532-85901234",
}
LEGAL_REPRESENTATIVE = {
    "name": "欧阳𠀾",
    "id_type": "RESIDENT_ID",
    "id_number": "11010519491231002X",
    "phone": "13805320001",
}
LIAISONS = [
    {
        "name": "李珺瑄",
        "sex": "FEMALE",
        "id_type": "RESIDENT_ID",
        "id_number": "370203199203041528",
        "mobile": "13912345678",
        "position": "人事行政经理",
        "social_security_months": 26,
    },
    {
        "name": "赵犇",
        "sex": "MALE",
        "id_type": "RESIDENT_ID",
        "id_number": "370211199511110035",
        "mobile": "13712345678",
        "position": "外事专员",
        "social_security_months": 3,
    },
]
EMPLOYER = {
    "name": "广州珠江新城智能装备研究院有限公司",
    "uscc": "91440101MA5CXXXX3T",
    "address": "广东省广州市天河区珠江新城华夏路10号富力中心写字楼32层3201–3208单元",
    "contact_person": "陈喆",
    "contact_phone": "020-38881234",
}
WORKER = {
    "surname": "Müller-Lüdenscheidt",
    "given_names": "Anna Katharina",
    "chinese_name": "安娜",
    "sex": "FEMALE",
    "birth_date": "1988-04-17",
    "nationality": "D",
    "document_type": "PASSPORT",
    "document_number": "C01X00T47",
    "document_expiry": "2031-06-30",
    "address": "广州市天河区天河北路183号大都会广场公寓B座1506室",
    "mobile": "13800138000",
    "email": "anna.mueller@example.com",
}
JOB = {
    "position": "高级机器人控制算法工程师",
    "work_location": "广州市天河区珠江新城华夏路10号富力中心32层研发中心",
    "contract_start": "2026-12-01",
    "contract_end": "2028-11-30",
    "monthly_salary_cny": 45000,
    "education": "博士研究生 Doctorate",
}
OFFICE = {
    "name": "广州市劳动就业服务管理中心外国人就业服务窗口",
    "address": "广州市越秀区东风中路483号4楼",
    "phone": "020-83333333",
    "hours": "工作日 9:00–12:00，13:30–17:00",
}
RESIDENT = {
    "name": "陳嘉琪",
    "sex": "FEMALE",
    "birth_date": "1992-09-08",
    "region": "HK",
    "permit_number": "H12345678",
    "home_id_number": "A1234563",
    "mainland_address": "广东省广州市天河区林和西路9号耀中广场B座2808室",
    "mobile": "13600136000",
}


def _questions() -> list[dict[str, Any]]:
    single = {
        "kind": "SINGLE",
        "category": "出入境管理法律法规",
        "text": "外国人在中国境内工作，应当按照规定取得工作许可和下列哪一种证件？",
        "options": [
            {"key": "A", "text": "旅游签证"},
            {"key": "B", "text": "工作类居留证件"},
            {"key": "C", "text": "学习类居留证件"},
            {"key": "D", "text": "团体旅游名单"},
        ],
        "answer": ["B"],
        "points": 2,
        "explanation": "《中华人民共和国出境入境管理法》第四十一条：外国人在中国境内工作，"
        "应当按照规定取得工作许可和工作类居留证件。",
    }
    multiple = {
        "kind": "MULTIPLE",
        "category": "涉外单位备案",
        "text": "首次申请登记备案的涉外单位需要上传下列哪些电子材料？",
        "options": [
            {"key": "A", "text": "备案申请表（粘贴联络员照片、加盖公章、法人签字）"},
            {"key": "B", "text": "法定代表人签字的承诺书"},
            {"key": "C", "text": "营业执照"},
            {"key": "D", "text": "联络员身份证及本单位近两个月社保证明"},
        ],
        "answer": ["A", "B", "C", "D"],
        "points": 4,
        "explanation": None,
    }
    judge = {
        "kind": "TRUE_FALSE",
        "category": "涉外单位备案",
        "text": "一个单位最多可以由两名在本单位缴纳两个月以上社保的中国员工担任外管联络员。",
        "options": [],
        "answer": ["T"],
        "points": 2,
        "explanation": "见《关于企业通系统升级的通知》附件3。",
    }
    questions = []
    for round_ in range(1, 13):
        for question in (single, multiple, judge):
            questions.append({**question, "text": f"{question['text']}（练习{round_}）"})
    return questions


EXAMPLES: dict[str, dict[str, Any]] = {
    "FILING_APPLICATION_FORM": {
        "enterprise": ENTERPRISE,
        "legal_representative": LEGAL_REPRESENTATIVE,
        "responsible_person": {
            "name": "王淏",
            "id_type": "RESIDENT_ID",
            "id_number": "370202198807153214",
            "phone": "13805320002",
        },
        "liaisons": LIAISONS,
    },
    "LIAISON_CHANGE_FORM": {
        "action": "CHANGE",
        "enterprise_name": ENTERPRISE["name"],
        "uscc": ENTERPRISE["uscc"],
        "district_name": ENTERPRISE["district_name"],
        "replaced": {"name": "赵犇", "mobile": "13712345678"},
        "liaison": {**LIAISONS[1], "name": "司马燊", "mobile": "13512345678"},
    },
    "ENTERPRISE_CHANGE_FORM": {
        "enterprise_name": ENTERPRISE["name"],
        "uscc": ENTERPRISE["uscc"],
        "district_name": ENTERPRISE["district_name"],
        "changes": [
            {"item": "NAME", "before": ENTERPRISE["name"], "after": "青岛海㵘供应链管理有限公司"},
            {
                "item": "ADDRESS",
                "before": ENTERPRISE["operating_address"],
                "after": "山东省青岛市崂山区海尔路180号大荣中心A座2106室（青岛国际创新园三期）",
            },
            {"item": "LEGAL_REPRESENTATIVE", "before": "欧阳𠀾", "after": "上官玥"},
            {"item": "PHONE", "before": "0532-85901234", "after": "0532-88886666"},
        ],
        "reason": "公司业务调整，经股东会决议变更名称、经营地址及法定代表人，"
        "已于2026年10月完成市场监督管理部门变更登记。",
    },
    "COMMITMENT_LETTER": {
        "authority": "青岛市公安局出入境管理局",
        "enterprise_name": ENTERPRISE["name"],
        "uscc": ENTERPRISE["uscc"],
        "legal_representative": "欧阳𠀾",
    },
    "QUESTION_BANK_STUDY": {"edition": "2026年版", "pass_mark": 90, "questions": _questions()},
    "LICENCE_APPLICATION_FORM": {
        "employer": EMPLOYER,
        "worker": WORKER,
        "job": JOB,
        "work_experience": "2014–2019 德国亚琛工业大学机器人研究所，研究员；"
        "2019–2026 KUKA Robotics GmbH（奥格斯堡），控制算法部门负责人。",
        "recruiting_reason": "本单位承担工业机器人高精度运动控制研发项目，国内暂缺具有十年以上"
        "同类项目经验的算法专家。",
        "exit_entry_opinion": None,
    },
    "RECRUITMENT_APPLICATION_FORM": {
        "employer": EMPLOYER,
        "worker": {
            **WORKER,
            "surname": "Nguyễn",
            "given_names": "Thị Minh Khai",
            "nationality": "VNM",
            "chinese_name": None,
        },
        "job": {**JOB, "position": "越南语翻译及市场专员", "education": "大学本科 Bachelor"},
        "exemption_reason": "持有外国专家证并已在华连续工作满两年，经批准免办就业许可证书。",
        "work_experience": "2016–2022 河内外贸大学，讲师；2022–2026 广州某贸易公司，越南市场经理。",
        "recruiting_reason": "拓展东南亚市场业务需要。",
        "exit_entry_opinion": "同意。青岛市公安局出入境管理局（2026年11月20日）",
    },
    "REGISTRATION_FORM": {
        "basis": "LICENCE",
        "licence_number": "440100202611250001",
        "employer": EMPLOYER,
        "worker": WORKER,
        "job": JOB,
        "visa": {
            "visa_type": "Z 字签证",
            "visa_number": "E12345678",
            "visa_expiry": "2027-02-28",
            "entry_date": "2026-11-18",
            "entry_port": "广州白云国际机场",
        },
        "residence_address": WORKER["address"],
        "exit_entry_opinion": None,
    },
    "EXTENSION_APPLICATION_FORM": {
        "employment_certificate_number": "44010020240001234",
        "employer": EMPLOYER,
        "worker": WORKER,
        "position": JOB["position"],
        "current_valid_until": "2026-12-31",
        "extend_until": "2028-12-31",
        "reason": "劳动合同续签两年，继续担任研发中心控制算法负责人。",
        "exit_entry_opinion": None,
    },
    "HKMOTW_EMPLOYMENT_FORM": {"employer": EMPLOYER, "resident": RESIDENT, "job": JOB},
    "HKMOTW_EXTENSION_FORM": {
        "employment_certificate_number": "粤440100HK2024000888",
        "employer": EMPLOYER,
        "resident": RESIDENT,
        "position": "财务总监",
        "current_valid_until": "2026-12-31",
        "extend_until": "2029-12-31",
        "reason": "续签劳动合同三年。",
    },
    "ONLINE_HANDLING_NOTICE": {
        "notice_number": "TZ-2026-112500017",
        "enterprise_name": EMPLOYER["name"],
        "applicant_name": "MÜLLER-LÜDENSCHEIDT ANNA KATHARINA（安娜）",
        "business": "EXEMPT_RECRUITMENT",
        "application_number": "SQ2026112000031",
        "submitted_on": "2026-11-20",
        "passed_on": "2026-11-25",
        "handle_by": "2026-12-25",
        "office": OFFICE,
        "materials": [
            "本通知书",
            "《聘用外国人就业申请表》（经市公安出入境管理部门盖章）原件",
            "外国人护照原件及复印件（含个人信息页、有效签证页、最近入境签章页）",
            "用人单位营业执照副本复印件（加盖公章）",
            "劳动合同或聘用意向书原件",
            "近期免冠正面彩色照片（2寸）两张",
        ],
    },
    "APPOINTMENT_SLIP": {
        "booking_number": "YY-20261203-0042",
        "service_type": "外国人签证证件办理（工作类居留许可）",
        "location_name": "青岛市公安局出入境管理局市南区受理点",
        "location_address": "山东省青岛市市南区宁夏路272号出入境服务大厅二楼",
        "location_phone": "0532-66572000",
        "day": "2026-12-03",
        "start_time": "09:00",
        "end_time": "09:30",
        "person_name": "MÜLLER-LÜDENSCHEIDT ANNA KATHARINA",
        "document_number": "C01X00T47",
        "enterprise_name": ENTERPRISE["name"],
        "notes": [
            "请提前15分钟到达，携带本预约单、护照原件及所需材料。",
            "迟到超过30分钟视为爽约，需重新预约；累计爽约3次将暂停预约30日。",
            "如需取消，请在预约时段开始前2小时在系统中操作。",
        ],
    },
}
