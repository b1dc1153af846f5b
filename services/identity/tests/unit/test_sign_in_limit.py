from datetime import UTC, datetime

from identity.accounts.sign_in_limit import counted_address, retry_after_message


def test_the_retry_time_is_shown_in_beijing_time_rounded_up_to_the_minute() -> None:
    on_the_minute = retry_after_message(datetime(2026, 11, 25, 9, 15, tzinfo=UTC))
    assert "2026-11-25 17:15（北京时间）" in on_the_minute.zh
    assert "try again after 2026-11-25 17:15 (Beijing time)" in on_the_minute.en
    a_second_later = retry_after_message(datetime(2026, 11, 25, 9, 15, 1, tzinfo=UTC))
    assert "17:16" in a_second_later.zh


def test_ipv6_clients_are_counted_by_their_64_network() -> None:
    assert counted_address("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert counted_address("2001:db8:1:2:bbbb:cccc:dddd:eeee") == "2001:db8:1:2::/64"
    assert counted_address("2001:db8:1:3::1") == "2001:db8:1:3::/64"
    assert counted_address("fe80::1%eth0") == "fe80::/64"


def test_ipv4_addresses_count_alone_also_when_mapped_into_ipv6() -> None:
    assert counted_address("203.0.113.7") == "203.0.113.7"
    assert counted_address("::ffff:203.0.113.7") == "203.0.113.7"


def test_what_is_not_an_address_is_counted_as_sent_within_the_column() -> None:
    assert counted_address("testclient") == "testclient"
    assert len(counted_address("x" * 500)) == 64
