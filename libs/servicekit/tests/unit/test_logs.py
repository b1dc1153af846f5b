from servicekit.logs import mask_personal_data


def test_phones_and_id_numbers_are_masked_in_logs() -> None:
    line = "sms to 13912345678 for 11010519491231002X"
    assert mask_personal_data(line) == "sms to 139****5678 for 110105********002X"
