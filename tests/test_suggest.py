"""Close-match suggestions used by every 'unknown X' message."""

from __future__ import annotations

from pytest_ckafka.api.suggest import closest, unknown_name_message


def test_closest_is_case_insensitive_and_ordered() -> None:
    assert closest("describetopic", ["DescribeTopic", "DeleteTopic"]) == ["DescribeTopic"]
    assert closest("DeleteTopik", ["DeleteTopic", "DeleteUser", "CreateTopic"])[0] == "DeleteTopic"
    assert closest("zzz", ["DescribeTopic"]) == []


def test_short_lists_are_given_whole() -> None:
    assert unknown_name_message("scope", "comon", ["all", "common", "ckafka"]) == (
        'unknown scope "comon": did you mean "common"? Valid choices: all, ckafka, common.'
    )


def test_long_lists_are_summarised() -> None:
    names = ["DescribeTopic", "DescribeTopics2", "DescribeGroup", *(f"X{n}" for n in range(20))]
    assert unknown_name_message("action", "DescribeTopik", names) == (
        'unknown action "DescribeTopik": did you mean "DescribeTopic"? (23 valid actions; '
        "close matches: DescribeTopic, DescribeTopics2, DescribeGroup)"
    )


def test_no_suggestion_when_nothing_is_close() -> None:
    assert unknown_name_message("fault kind", "x", ["timeout"]) == (
        'unknown fault kind "x". Valid choices: timeout.'
    )
