"""Decision events render to the message each audience should read."""

import pytest

from identity.consumers import handlers
from identity.notifications.templates import PREFIX, TEMPLATES, MissingField, render
from identity.verification.senders import ConsoleSender
from servicekit.events import topic_of


def test_a_rejection_without_a_comment_says_so_instead_of_none() -> None:
    for comment in (None, "", "  "):
        [(audience, text)] = render(
            "filing.enterprise.rejected",
            {"enterpriseName": "青岛示例科技有限公司", "comment": comment, "level": "BRANCH"},
        )
        assert audience == "accountIds"
        assert text == (
            PREFIX + "青岛示例科技有限公司的备案未通过审核：未填写意见。"
            "请登录平台查看审批意见并修改后重新提交。"
        )
        assert "None" not in text


def test_a_submission_names_the_revision() -> None:
    [(_, text)] = render(
        "filing.enterprise.submitted", {"enterpriseName": "青岛示例", "revision": 2}
    )
    assert text == PREFIX + "青岛示例的备案（第2版）已提交，请等待出入境部门审核。"


def test_a_liaison_change_tells_added_removed_and_other_accounts_apart() -> None:
    audiences = dict(render("filing.liaison.changed", {"enterpriseName": "青岛示例"}))
    assert "您已成为青岛示例的联络员" in audiences["addedAccountIds"]
    assert "您已不再担任青岛示例的联络员" in audiences["removedAccountIds"]
    assert "青岛示例的联络员变更已审核通过" in audiences["accountIds"]


def test_a_missing_field_other_than_the_comment_is_reported() -> None:
    with pytest.raises(MissingField):
        render("filing.enterprise.changed", {"enterpriseName": None})


def test_identity_subscribes_to_both_filing_topics_and_every_templated_event() -> None:
    handled = handlers(ConsoleSender())
    assert set(TEMPLATES) <= set(handled)
    assert {"filing.enterprise.v1", "filing.liaison.v1"} <= {topic_of(t) for t in handled}
