"""The error catalog: 60 codes, their categories, and error_codes() for parametrize."""

from __future__ import annotations

import pytest

from pytest_ckafka import ERROR_CODES, error_codes
from pytest_ckafka.api.error_codes import lookup_code, select_codes
from pytest_ckafka.api.spec import load_spec
from pytest_ckafka.exceptions import CKafkaUsageError, UnknownErrorCodeError


def test_catalog_has_the_60_codes_by_scope() -> None:
    assert len(ERROR_CODES) == 60
    scopes = [info.scope for info in ERROR_CODES.values()]
    assert scopes.count("common") == 38
    assert scopes.count("ckafka") == 22


def test_common_codes_keep_the_responses_page_descriptions() -> None:
    info = ERROR_CODES["AuthFailure.SignatureFailure"]
    assert info.description == "Signature error."
    assert info.category == "auth"
    assert info.retryable is False


@pytest.mark.parametrize(
    ("code", "category", "retryable"),
    [
        ("RequestLimitExceeded", "throttling", True),
        ("RequestLimitExceeded.UinLimitExceeded", "throttling", True),
        ("ResourceUnavailable.KafkaStorageError", "transient server fault", True),
        ("InternalError", "transient server fault", True),
        ("ServiceUnavailable", "transient server fault", True),
        ("ResourceInUse", "resource state", True),
        ("InvalidParameterValue.InstanceNotExist", "parameter", False),
        ("LimitExceeded.RouteOverLimit", "quota", False),
        ("DryRunOperation", "dry run", False),
        ("UnsupportedOperation.FrequencyTopicDeleteOperate", "resource state", False),
    ],
)
def test_categories_and_retryability(code: str, category: str, retryable: bool) -> None:
    assert (ERROR_CODES[code].category, ERROR_CODES[code].retryable) == (category, retryable)


def test_actions_documented_per_code_match_the_spec() -> None:
    spec = load_spec()
    for code, info in ERROR_CODES.items():
        for action in info.actions:
            assert code in spec.action(action).errors


def test_error_codes_are_params_with_the_code_as_id() -> None:
    params = error_codes()
    assert len(params) == 60
    assert all(p.id == p.values[0] for p in params)


def test_error_codes_for_an_action_are_common_plus_documented() -> None:
    codes = {p.values[0] for p in error_codes(action="DeleteTopic")}
    common = {c for c, i in ERROR_CODES.items() if i.scope == "common"}
    documented = set(load_spec().action("DeleteTopic").errors)
    assert codes == common | documented
    assert "UnsupportedOperation.FrequencyTopicDeleteOperate" in codes
    assert "LimitExceeded.RouteOverLimit" not in codes


def test_error_codes_filters_combine() -> None:
    codes = [p.values[0] for p in error_codes("ckafka", retryable=True)]
    assert codes == ["ResourceUnavailable.KafkaStorageError"]
    throttling = [p.values[0] for p in error_codes(category="throttling")]
    assert throttling == [
        "RequestLimitExceeded",
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
        "RequestLimitExceeded.IPLimitExceeded",
        "RequestLimitExceeded.UinLimitExceeded",
    ]


def test_error_codes_are_the_selection_as_params() -> None:
    """error_codes() is select_codes() wrapped for parametrize: the same codes, in order."""
    pairs = [
        (select_codes(), error_codes()),
        (select_codes(action="DeleteTopic"), error_codes(action="DeleteTopic")),
        (
            select_codes(category="throttling", retryable=True),
            error_codes(category="throttling", retryable=True),
        ),
    ]
    for selected, params in pairs:
        assert [p.values[0] for p in params] == [info.code for info in selected]
    assert [info.code for info in select_codes("ckafka", retryable=True)] == [
        "ResourceUnavailable.KafkaStorageError"
    ]
    with pytest.raises(CKafkaUsageError, match='unknown category "throttle"'):
        select_codes(category="throttle")


def test_bad_filters_name_the_choices() -> None:
    with pytest.raises(CKafkaUsageError) as info:
        error_codes("comon")
    assert str(info.value) == (
        'unknown scope "comon": did you mean "common"? Valid choices: all, ckafka, common.'
    )
    with pytest.raises(CKafkaUsageError, match='unknown action "DeleteTopics"'):
        error_codes(action="DeleteTopics")


def test_unknown_code_suggests_and_allows_custom() -> None:
    with pytest.raises(UnknownErrorCodeError) as info:
        lookup_code("ResourceNotFund")
    assert str(info.value) == (
        'unknown error code "ResourceNotFund": did you mean "ResourceNotFound"? '
        "(60 valid error codes; close matches: ResourceNotFound, ResourceInUse, "
        "ResourcesSoldOut). Pass custom=True to send a code that is not in the catalog."
    )
    assert lookup_code("Vendor.Custom", custom=True) is None
