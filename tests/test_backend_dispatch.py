"""The backend's framework: routing, accounts, regions, the documented-code rule, dumps."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_ckafka import CKafka
from pytest_ckafka.api.error_codes import ERROR_CODES
from pytest_ckafka.api.spec import load_spec
from pytest_ckafka.backend import ApiError, Backend, State, allowed_codes, stateful_actions
from pytest_ckafka.backend.registry import HANDLERS, Handler
from pytest_ckafka.exceptions import CKafkaAssertionError, CKafkaUsageError, UnmatchedCallError

URL = "https://ckafka.tencentcloudapi.com/"


def call(
    fake: CKafka,
    action: str,
    params: dict[str, Any],
    *,
    region: str = "ap-guangzhou",
    **headers: str,
) -> dict[str, Any]:
    sent = {
        "Content-Type": "application/json",
        "X-TC-Action": action,
        "X-TC-Version": "2019-08-19",
        "X-TC-Region": region,
        **headers,
    }
    reply = fake.handle("POST", URL, sent, json.dumps(params).encode())
    response: dict[str, Any] = json.loads(reply.body)["Response"]
    return response


def signed(secret_id: str) -> dict[str, str]:
    """An Authorization header naming ``secret_id`` (signatures are not checked here)."""
    return {
        "Authorization": f"TC3-HMAC-SHA256 Credential={secret_id}/2026-11-28/ckafka/tc3_request, "
        "SignedHeaders=content-type;host, Signature=" + "0" * 64
    }


def test_allowed_codes_are_the_documented_ones_plus_the_common_ones() -> None:
    common = {c for c, info in ERROR_CODES.items() if info.scope == "common"}
    for action in stateful_actions():
        assert allowed_codes(action) == common | set(load_spec().action(action).errors)


def test_a_handler_answering_an_undocumented_code_is_a_bug_not_an_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def rogue(ctx: Any) -> dict[str, Any]:
        raise ApiError("InvalidParameterValue.TopicNameAlreadyExist", "no")

    monkeypatch.setitem(HANDLERS, "DescribeRegion", Handler("DescribeRegion", rogue, "test"))
    with pytest.raises(CKafkaAssertionError) as error:
        call(CKafka(), "DescribeRegion", {})
    assert str(error.value) == (
        "pytest-ckafka bug: the stateful DescribeRegion answered "
        "InvalidParameterValue.TopicNameAlreadyExist, which the API reference does not "
        "document for it and is not a common code"
    )


def test_unvalidated_requests_a_handler_cannot_read_are_invalid_parameter() -> None:
    fake = CKafka(validate=False)
    fake.state.add_instance("ckafka-1")
    response = call(fake, "DescribeTopic", {"InstanceId": "ckafka-1", "Limit": "many"})
    assert response["Error"] == {
        "Code": "InvalidParameter",
        "Message": "DescribeTopic: the request could not be read (ValueError: invalid literal "
        "for int() with base 10: 'many'); it was not validated against the spec "
        "(validate=False).",
    }


def test_an_unreadable_batch_topic_fails_alone_and_the_answer_says_what_applied() -> None:
    fake = CKafka(validate=False)
    fake.state.add_instance("ckafka-1")
    fake.state.add_topic("ckafka-1", "a")
    fake.state.add_topic("ckafka-1", "b")
    topics = [{"TopicName": "a", "Note": "new"}, {"TopicName": "b", "ReplicaNum": "x"}]
    response = call(fake, "BatchModifyTopicAttributes", {"InstanceId": "ckafka-1", "Topic": topics})
    assert [(r["TopicName"], r["ReturnCode"]) for r in response["Result"]] == [
        ("a", "0"),
        ("b", "InvalidParameter"),
    ]
    assert [(t.name, t.note, t.replica_num) for t in fake.state.topics("ckafka-1")] == [
        ("a", "new", 2),
        ("b", "", 2),
    ]


def test_the_backend_answers_after_stubs_and_before_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = CKafka()
    fake.state.add_instance("ckafka-1")
    fake.state.add_topic("ckafka-1", "orders")
    fake.respond("DescribeTopic", {"Result": {"TotalCount": 7, "TopicList": []}}, times=1)
    assert call(fake, "DescribeTopic", {"InstanceId": "ckafka-1"})["Result"]["TotalCount"] == 7
    assert call(fake, "DescribeTopic", {"InstanceId": "ckafka-1"})["Result"]["TotalCount"] == 1
    assert [c.answered_by for c in fake.calls] == ["stub", "state"]
    # Every action may get a stateful answer; take one away to have an action without one.
    monkeypatch.delitem(HANDLERS, "DescribeCvmInfo", raising=False)
    call(fake, "DescribeCvmInfo", dict(load_spec().action("DescribeCvmInfo").example_input or {}))
    assert fake.calls[-1].answered_by == "default"  # not a stateful action


def test_stateful_false_gives_the_synthesized_default() -> None:
    fake = CKafka(stateful=False)
    result = call(fake, "DescribeTopic", {"InstanceId": "ckafka-none"})["Result"]
    assert result["TotalCount"] > 0
    assert fake.calls[-1].answered_by == "default"


def test_strict_mode_lets_the_backend_answer_only_when_asked() -> None:
    fake = CKafka(strict=True, stateful=True)
    response = call(fake, "DescribeTopic", {"InstanceId": "ckafka-none"})
    assert response["Error"]["Code"] == "InvalidParameterValue.InstanceNotExist"
    fake.verify()  # answered by the backend: not a strict miss


def test_strict_mode_alone_answers_only_what_the_test_set_up() -> None:
    fake = CKafka(strict=True)
    assert not fake.stateful
    with pytest.raises(UnmatchedCallError) as info:
        call(fake, "DescribeInstances", {})
    assert str(info.value).splitlines() == [
        "pytest-ckafka strict mode: no stub answers DescribeInstances {}",
        "Registered stubs:",
        "  (none)",
        'Register one with ckafka.respond("DescribeInstances", ...) or '
        'ckafka.fail("DescribeInstances", ...).',
        "Or let the stateful backend answer it too: strict=True, stateful=True.",
    ]
    assert fake.calls[0].error_code == "InternalError"
    assert not fake.state.instances()


def test_regions_are_separate_and_the_message_says_where_the_instance_is() -> None:
    fake = CKafka()
    fake.state.add_instance("ckafka-1a2b3c4d", region="ap-shanghai")
    response = call(fake, "DescribeTopic", {"InstanceId": "ckafka-1a2b3c4d"})
    assert response["Error"] == {
        "Code": "InvalidParameterValue.InstanceNotExist",
        "Message": "The instance `ckafka-1a2b3c4d` does not exist. It exists in region "
        "ap-shanghai (default account); this call was made in region ap-guangzhou "
        "(default account).",
    }
    shanghai = call(fake, "DescribeTopic", {"InstanceId": "ckafka-1a2b3c4d"}, region="ap-shanghai")
    assert shanghai["Result"]["TotalCount"] == 0


def test_unregistered_secret_ids_share_the_default_account() -> None:
    fake = CKafka()
    fake.state.add_instance("ckafka-1")
    for secret_id in ("AKIDone", "AKIDtwo"):
        response = call(fake, "DescribeTopic", {"InstanceId": "ckafka-1"}, **signed(secret_id))
        assert response["Result"]["TotalCount"] == 0


def test_a_registered_secret_id_shares_the_default_account_unless_it_names_one() -> None:
    fake = CKafka()
    fake.add_credentials("AKIDshared", "secret")
    fake.add_credentials("AKIDteam", "secret", account="team")
    fake.state.add_instance("ckafka-team0001", account="team")
    fake.state.add_instance("ckafka-shared01")
    shared = call(fake, "DescribeTopic", {"InstanceId": "ckafka-shared01"}, **signed("AKIDshared"))
    assert shared["Result"]["TotalCount"] == 0
    own = call(fake, "DescribeTopic", {"InstanceId": "ckafka-team0001"}, **signed("AKIDteam"))
    assert own["Result"]["TotalCount"] == 0
    other = call(fake, "DescribeTopic", {"InstanceId": "ckafka-shared01"}, **signed("AKIDteam"))
    # The message names the account, never the SecretId that maps to it.
    assert other["Error"]["Message"] == (
        "The instance `ckafka-shared01` does not exist. It exists in region ap-guangzhou "
        "(default account); this call was made in region ap-guangzhou (account `team`)."
    )
    assert [i.instance_id for i in fake.state.instances(account="team")] == ["ckafka-team0001"]
    assert [c.account for c in fake.calls] == ["default", "team", "team"]


def test_dump_and_load_round_trip_and_ids_keep_counting() -> None:
    fake = CKafka()
    instance_id = fake.state.add_instance(pay_mode="POSTPAID_BY_HOUR")
    fake.state.add_topic(instance_id, "orders", partitions=2, RetentionMs=3_600_000)
    fake.state.add_messages(instance_id, "orders", ["a", ("k", "b")], partition=1)
    fake.state.add_group(instance_id, "billing", offsets={"orders": [0, 1]})
    fake.state.add_user(instance_id, "alice", "Secret-123")
    fake.state.add_acl(instance_id, "orders", operation=3, permission_type=3)
    fake.state.add_route(instance_id)
    flow = call(fake, "ModifyInstanceAttributes", {"InstanceId": instance_id, "InstanceName": "x"})
    first_flow = flow["Result"]["Data"]["FlowId"]
    data = json.loads(json.dumps(fake.state.dump()))  # through JSON, as --state FILE does

    other = CKafka()
    other.state.load(data)
    assert other.state.dump() == data
    again = call(
        other, "ModifyInstanceAttributes", {"InstanceId": instance_id, "InstanceName": "y"}
    )
    assert again["Result"]["Data"]["FlowId"] > first_flow
    assert other.state.add_route(instance_id) > fake.state.routes(instance_id)[0].route_id


def test_load_rejects_bad_data_and_keeps_the_state() -> None:
    state = State(Backend())
    state.add_instance("ckafka-1")
    with pytest.raises(KeyError):
        state.load({"stores": [{"region": "ap-guangzhou"}]})
    assert [i.instance_id for i in state.instances()] == ["ckafka-1"]


def test_seeding_errors_name_the_problem() -> None:
    state = State(Backend())
    with pytest.raises(CKafkaUsageError) as error:
        state.topics("ckafka-none")
    assert str(error.value) == (
        'ckafka.state: unknown instance "ckafka-none": there are no instances yet '
        "(add one with state.add_instance)"
    )
    state.add_instance("ckafka-1")
    with pytest.raises(CKafkaUsageError) as error:
        state.add_instance("ckafka-1")
    assert str(error.value) == "state.add_instance: ckafka-1 already exists"
    with pytest.raises(CKafkaUsageError) as error:
        state.add_topic("ckafka-1", "t", RetentionMz=1)
    assert str(error.value).startswith('state.add_topic: unknown CreateTopic member "RetentionMz"')
    assert 'did you mean "RetentionMs"?' in str(error.value)
    state.add_topic("ckafka-1", "t", partitions=2)
    with pytest.raises(CKafkaUsageError) as error:
        state.add_messages("ckafka-1", "t", ["x"], partition=2)
    assert str(error.value) == "ckafka.state: topic t has partitions 0 to 1, got partition 2"
    with pytest.raises(CKafkaUsageError) as error:
        state.configure(ready_after_describes=-1)
    assert str(error.value) == "ready_after_describes must be 0 or more, got -1"


def test_seeding_a_group_or_user_twice_is_refused() -> None:
    state = State(Backend())
    state.add_instance("ckafka-1")
    state.add_user("ckafka-1", "alice", "Secret-123")
    state.add_group("ckafka-1", "billing")
    with pytest.raises(CKafkaUsageError) as error:
        state.add_user("ckafka-1", "alice", "Other-456")
    assert str(error.value) == "state.add_user: ckafka-1 already has user alice"
    with pytest.raises(CKafkaUsageError) as error:
        state.add_group("ckafka-1", "billing")
    assert str(error.value) == "state.add_group: ckafka-1 already has group billing"
    assert [u.password for u in state.users("ckafka-1")] == ["Secret-123"]
