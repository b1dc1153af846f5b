"""Question bank administration through GraphQL: admins only; import is all or nothing."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from devstack.testing import error_code, graphql
from identity.config import IdentitySettings

from .exam_support import signed_in_liaison
from .test_accounts import officer_token

FIELDS = "id kind category text options { key text } answer points explanation isActive revision"
CREATE = f"mutation($i: QuestionInput!) {{ createQuestion(input: $i) {{ {FIELDS} }} }}"
UPDATE = f"mutation($id: ID!, $i: QuestionInput!) {{ updateQuestion(id: $id, input: $i) {{ {FIELDS} }} }}"
DEACTIVATE = "mutation($id: ID!) { deactivateQuestion(id: $id) { isActive } }"
ACTIVATE = "mutation($id: ID!) { activateQuestion(id: $id) { isActive } }"
LIST = """query($c: String, $s: String, $a: Boolean) {
  questions(first: 100, category: $c, search: $s, isActive: $a) { totalCount edges { node { id text } } } }"""
IMPORT = """mutation($f: QuestionBankFormat!, $c: String!, $d: Boolean! = false) {
  importQuestions(format: $f, content: $c, dryRun: $d) {
    created updated unchanged applied errors { line field message } } }"""
EXPORT = "query($f: QuestionBankFormat!) { exportQuestions(format: $f) }"
CSV_HEADER = "id,kind,category,text,A,B,C,D,E,F,answer,points,explanation,is_active\n"


def new_category() -> str:
    return f"测试分类{uuid.uuid4().hex[:8]}"


def single(category: str, text: str = "外国人入住后多少小时内办理住宿登记？") -> dict[str, Any]:
    return {
        "kind": "SINGLE",
        "category": category,
        "text": text,
        "options": [
            {"key": k, "text": t} for k, t in zip("ABCD", ["12", "24", "48", "72"], strict=True)
        ],
        "answer": ["B"],
        "points": 2,
        "explanation": "二十四小时内",
    }


async def listed(client: httpx.AsyncClient, token: str, **filters: Any) -> dict[str, Any]:
    body = await graphql(client, LIST, filters, token=token)
    result: dict[str, Any] = body["data"]["questions"]
    return result


async def test_a_liaison_or_an_officer_cannot_use_question_bank_admin_operations(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    admin = await officer_token(identity, "admin")
    created = await graphql(identity, CREATE, {"i": single(new_category())}, token=admin)
    question_id = created["data"]["createQuestion"]["id"]
    liaison = await signed_in_liaison(identity, identity_settings)
    officer = await officer_token(identity, "city-officer")
    operations = [
        (LIST, {}),
        ("query($id: ID!) { question(id: $id) { id } }", {"id": question_id}),
        ("{ questionCategories { name } }", {}),
        (EXPORT, {"f": "JSON"}),
        (CREATE, {"i": single(new_category())}),
        (UPDATE, {"id": question_id, "i": single(new_category())}),
        (DEACTIVATE, {"id": question_id}),
        (ACTIVATE, {"id": question_id}),
        (IMPORT, {"f": "CSV", "c": CSV_HEADER}),
    ]
    for token in (liaison.token, officer):
        codes = [error_code(await graphql(identity, q, v, token=token)) for q, v in operations]
        assert codes == ["FORBIDDEN"] * len(operations)
    body = await graphql(
        identity,
        "query($id: ID!) { question(id: $id) { isActive } }",
        {"id": question_id},
        token=admin,
    )
    assert body["data"]["question"]["isActive"] is True  # nothing changed


async def test_admin_creates_updates_deactivates_and_finds_questions(
    identity: httpx.AsyncClient,
) -> None:
    admin = await officer_token(identity, "admin")
    category = new_category()
    body = await graphql(identity, CREATE, {"i": single(category)}, token=admin)
    question = body["data"]["createQuestion"]
    assert (question["revision"], question["isActive"], question["answer"]) == (1, True, ["B"])

    bad = {**single(category), "answer": ["E"], "points": 0, "options": []}
    body = await graphql(identity, CREATE, {"i": bad}, token=admin)
    assert error_code(body) == "VALIDATION_FAILED"
    assert {f["path"] for f in body["errors"][0]["extensions"]["fields"]} == {
        "answer",
        "points",
        "options",
    }

    changed = {
        **single(category, "外国人在旅馆以外住宿，应在多少小时内登记？"),
        "kind": "TRUE_FALSE",
        "options": [],
        "answer": ["T"],
    }
    body = await graphql(identity, UPDATE, {"id": question["id"], "i": changed}, token=admin)
    updated = body["data"]["updateQuestion"]
    assert (updated["revision"], updated["kind"], updated["options"][0]["key"]) == (
        2,
        "TRUE_FALSE",
        "T",
    )

    assert (await listed(identity, admin, c=category, s="旅馆以外"))["totalCount"] == 1
    assert (await listed(identity, admin, c=category, s="百分之%"))["totalCount"] == 0
    body = await graphql(identity, DEACTIVATE, {"id": question["id"]}, token=admin)
    assert body["data"]["deactivateQuestion"]["isActive"] is False
    assert (await listed(identity, admin, c=category, a=True))["totalCount"] == 0
    assert (await listed(identity, admin, c=category))["totalCount"] == 1  # kept, not deleted
    categories = await graphql(
        identity, "{ questionCategories { name activeCount totalCount quota } }", token=admin
    )
    mine = next(c for c in categories["data"]["questionCategories"] if c["name"] == category)
    assert mine == {"name": category, "activeCount": 0, "totalCount": 1, "quota": 0}
    quotas = [c for c in categories["data"]["questionCategories"] if c["quota"]]
    assert all(c["activeCount"] >= c["quota"] for c in quotas)  # the seed bank fills every quota


async def test_import_reports_bad_rows_with_their_lines_and_imports_nothing_partial(
    identity: httpx.AsyncClient,
) -> None:
    admin = await officer_token(identity, "admin")
    category = new_category()
    good = f',单选,{category},"签证种类？\n（单选）",Z字,L字,,,,,A,2,,\n'
    wrong_answer = f",单选,{category},第二题,甲,乙,,,,,C,2,,\n"
    wrong_kind = f",问答,{category},第三题,甲,乙,,,,,A,2,,\n"
    content = CSV_HEADER + good + wrong_answer + wrong_kind
    body = await graphql(identity, IMPORT, {"f": "CSV", "c": content}, token=admin)
    report = body["data"]["importQuestions"]
    assert report["applied"] is False
    assert [(e["line"], e["field"]) for e in report["errors"]] == [(4, "answer"), (5, "kind")]
    assert (await listed(identity, admin, c=category))["totalCount"] == 0

    fixed = CSV_HEADER + good + wrong_answer.replace(",C,", ",B,")
    fixed += f",判断,{category},第三题,,,,,,,正确,2,,\n"
    dry = await graphql(identity, IMPORT, {"f": "CSV", "c": fixed, "d": True}, token=admin)
    assert dry["data"]["importQuestions"] == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "applied": False,
        "errors": [],
    }
    assert (await listed(identity, admin, c=category))["totalCount"] == 0
    body = await graphql(identity, IMPORT, {"f": "CSV", "c": fixed}, token=admin)
    assert body["data"]["importQuestions"] == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "applied": True,
        "errors": [],
    }
    again = await graphql(identity, IMPORT, {"f": "CSV", "c": fixed}, token=admin)
    assert again["data"]["importQuestions"]["unchanged"] == 3

    rows = [
        single(category, "第四题"),
        {"kind": "SINGLE", "category": category},
        single(category, "第四题"),
    ]
    content = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]"
    body = await graphql(
        identity,
        IMPORT,
        {"f": "JSON", "c": content},
        token=admin,
        headers={"accept-language": "en"},
    )
    report = body["data"]["importQuestions"]
    assert report["applied"] is False
    assert {(e["line"], e["field"]) for e in report["errors"]} == {
        (3, "text"),
        (3, "options"),
        (3, "answer"),
        (4, "text"),
    }
    assert "repeats an earlier row" in [e["message"] for e in report["errors"] if e["line"] == 4]
    assert (await listed(identity, admin, c=category))["totalCount"] == 3  # still the CSV's three


async def test_export_then_import_is_a_round_trip(identity: httpx.AsyncClient) -> None:
    admin = await officer_token(identity, "admin")
    category = new_category()
    created = await graphql(
        identity, CREATE, {"i": single(category, "导出再导入的题目")}, token=admin
    )
    await graphql(
        identity, DEACTIVATE, {"id": created["data"]["createQuestion"]["id"]}, token=admin
    )
    total = (await listed(identity, admin))["totalCount"]
    for fmt in ("JSON", "CSV"):
        exported = (await graphql(identity, EXPORT, {"f": fmt}, token=admin))["data"][
            "exportQuestions"
        ]
        body = await graphql(identity, IMPORT, {"f": fmt, "c": exported}, token=admin)
        assert body["data"]["importQuestions"] == {
            "created": 0,
            "updated": 0,
            "unchanged": total,
            "applied": True,
            "errors": [],
        }, fmt
    assert (await listed(identity, admin))["totalCount"] == total
    assert (await listed(identity, admin, c=category, a=False))["totalCount"] == 1  # still inactive

    exported = (await graphql(identity, EXPORT, {"f": "JSON"}, token=admin))["data"][
        "exportQuestions"
    ]
    records = json.loads(exported)
    mine = next(r for r in records if r["category"] == category)
    mine["text"] = "导出、修改、再导入的题目"
    body = await graphql(
        identity, IMPORT, {"f": "JSON", "c": json.dumps(records, ensure_ascii=False)}, token=admin
    )
    report = body["data"]["importQuestions"]
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, total - 1)
    found = await listed(identity, admin, s="导出、修改")
    assert [e["node"]["id"] for e in found["edges"]] == [mine["id"]]
