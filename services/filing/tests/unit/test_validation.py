from __future__ import annotations

import pytest

from filing.config import QINGDAO
from filing.enterprises.schemas import FilingForm, LiaisonForm
from filing.enterprises.validation import check_filing, is_uscc
from servicekit.errors import ValidationFailed


def test_uscc_check_digit_follows_gb_32100() -> None:
    assert is_uscc("91350100M000100Y43")
    assert not is_uscc("91350100M000100Y44")  # wrong check character
    assert not is_uscc("91350100M000100Y4")  # too short
    assert not is_uscc("91350100M000100I43")  # I is not in the alphabet


def test_draft_reports_every_wrong_field_at_once() -> None:
    form = FilingForm(
        enterprise_name="",
        uscc="123",
        district="3702",
        liaisons=[
            LiaisonForm(
                name="王五",
                sex="MALE",
                id_type="RESIDENT_ID",
                id_number="110105194912310021",
                mobile="053288888888",
                social_security_months=3,
            )
        ],
    )
    with pytest.raises(ValidationFailed) as caught:
        check_filing(form, QINGDAO)
    paths = {item.path for item in caught.value.fields}
    assert paths == {
        "enterpriseName",
        "uscc",
        "district",
        "liaisons.0.idNumber",
        "liaisons.0.mobile",
    }


def test_a_partial_draft_with_valid_fields_passes() -> None:
    check_filing(
        FilingForm(enterprise_name="青岛示例科技有限公司", uscc="91350100M000100Y43"), QINGDAO
    )
