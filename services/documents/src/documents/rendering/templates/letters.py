"""Letters: the commitment letter (承诺书) the legal representative signs for the filing (seed 000,
附件1 step 2: "下载承诺书，法人在承诺书上签字"), uploaded again with the application."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from documents.rendering.blocks import SignArea
from documents.rendering.models import FormData, Line, Name, Uscc
from documents.rendering.page import CONTENT_WIDTH
from documents.rendering.text import Text

INDENT = "\u3000\u3000"
COMMITMENTS = [
    "本单位所填报的备案信息及提交的营业执照、联络员身份证明、社会保险缴纳证明等材料真实、准确、"
    "完整、有效，不存在虚假记载、误导性陈述或重大遗漏。",
    "本单位遵守《中华人民共和国出境入境管理法》《中华人民共和国外国人入境出境管理条例》等法律法规，"
    "不非法聘用、介绍或容留外国人，不为外国人办理签证证件提供虚假材料。",
    "本单位指定的外管联络员为本单位中国籍在职员工，已在本单位连续缴纳社会保险两个月以上，"
    "熟悉外国人管理相关规定，负责本单位涉外事务的联络和信息报送。",
    "本单位聘用的外国人入境、住宿、就业、离职、出境等情况发生变化时，按规定及时向公安机关"
    "出入境管理部门报告并办理相关手续。",
    "本单位名称、地址、法定代表人、联系电话或外管联络员等信息发生变更时，自变更之日起"
    "及时通过系统办理变更备案。",
    "如违反上述承诺，本单位愿意承担由此产生的一切法律责任，并接受公安机关依法作出的处理。",
]


class CommitmentLetter(FormData):
    authority: Line
    enterprise_name: Line
    uscc: Uscc
    legal_representative: Name


def commitment_letter(data: CommitmentLetter) -> list[Flowable]:
    body: list[Flowable] = [
        Spacer(0, 6),
        Text(f"{data.authority}：", size=12, space_after=8),
        Text(
            f"{INDENT}本单位{data.enterprise_name}（统一社会信用代码：{data.uscc}）"
            "申请办理涉外单位备案，现郑重承诺如下：",
            size=12,
            leading=22,
            space_after=4,
        ),
    ]
    for number, commitment in enumerate(COMMITMENTS, start=1):
        body.append(Text(f"{INDENT}{number}. {commitment}", size=12, leading=22, space_after=4))
    body.append(Text(f"{INDENT}特此承诺。", size=12, leading=22, space_after=28))
    signatures = Table(
        [
            ["", [Text(f"法定代表人：{data.legal_representative}", size=12)]],
            ["", [SignArea("法定代表人（签字）：", height=46, with_date=False, size=12)]],
            ["", [SignArea("承诺单位（公章）：", height=80, size=12)]],
        ],
        colWidths=[CONTENT_WIDTH * 0.42, CONTENT_WIDTH * 0.58],
        style=TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )
    body.append(signatures)
    return body
