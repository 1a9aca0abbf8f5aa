"""A small CKafka topic manager over the official SDK: the kind of code pytest-ckafka tests.

``TopicManager`` (sync client) and ``AsyncTopicManager`` (async client) behave the same:
transient errors are retried with exponential backoff, anything else becomes a
:class:`TopicManagerError` carrying the API's code and RequestId.

Run as a script, it plays a short session against ``pytest_ckafka.mock()`` and its
stateful backend, with no network and no pytest: ``python examples/topic_manager.py``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from typing import Any, Awaitable, Callable, Optional

import httpx
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

log = logging.getLogger("topic_manager")
AsyncSleep = Callable[[float], Awaitable[Any]]

# Worth another try: throttling, a busy or briefly unavailable resource, and the SDK's
# own codes for a request that failed on the way (no answer, or not an API answer).
TRANSIENT_FAMILIES = ("RequestLimitExceeded", "ResourceUnavailable")
TRANSIENT_CODES = frozenset({"ResourceInUse", "InternalError", "ServiceUnavailable"})
NETWORK_CODES = frozenset({"ClientNetworkError", "ServerNetworkError"})

# The sync SDK wraps every failure in TencentCloudSDKException; the async one lets
# transport and decoding errors through as they are.
_SDK_ERRORS = (TencentCloudSDKException, httpx.TransportError, json.JSONDecodeError)


def is_transient(code: str) -> bool:
    """True for an error code a retry may cure, e.g. ``RequestLimitExceeded.UinLimitExceeded``."""
    return code in TRANSIENT_CODES | NETWORK_CODES or code.split(".")[0] in TRANSIENT_FAMILIES


class TopicManagerError(Exception):
    """A CKafka call failed for good; ``code`` and ``request_id`` say which and where."""

    def __init__(self, code: str, message: str, request_id: Optional[str] = None) -> None:
        super().__init__(f"{code}: {message} (RequestId: {request_id or 'none'})")
        self.code = code
        self.request_id = request_id

    @classmethod
    def from_exception(cls, exc: BaseException) -> TopicManagerError:
        """Translate what the SDK (sync or async) raised."""
        if isinstance(exc, TencentCloudSDKException):
            message = exc.get_message()
            if isinstance(message, bytes):  # ServerNetworkError carries the raw HTTP body
                message = message.decode("utf-8", "replace")
            return cls(str(exc.get_code()), str(message), exc.get_request_id())
        if isinstance(exc, httpx.TransportError):
            return cls("ClientNetworkError", str(exc))
        return cls(type(exc).__name__, str(exc))


def _request(model: Callable[[], Any], **params: Any) -> Any:
    """An SDK request model, filled the way the SDK's own examples do it."""
    request = model()
    request.from_json_string(json.dumps(params))
    return request


def _read_page(response: models.DescribeTopicResponse) -> tuple[list[str], int]:
    result = response.Result
    return [topic.TopicName for topic in result.TopicList or []], result.TotalCount or 0


def _checked(action: str, response: Any) -> Any:
    """``response``, unless it is the empty model the SDK returns for an answer it could not read.

    Every action this manager calls answers with a ``Result``. An error envelope sent with
    an unexpected Content-Type is not raised by the SDK: it comes back as a model holding
    only the RequestId, and must not pass for a success.
    """
    if getattr(response, "Result", None) is None:
        raise TopicManagerError(
            "InvalidResponse", f"{action} answered no Result", response.RequestId
        )
    return response


class _Base:
    """What the sync and async managers share: the requests and the retry policy."""

    def __init__(
        self, client: Any, *, max_attempts: int = 4, base_delay: float = 0.5, page_size: int = 50
    ) -> None:
        self.client = client
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.page_size = page_size  # DescribeTopic's Limit: at most 50

    def _backoff(self, action: str, exc: Exception, attempt: int) -> float:
        """Seconds to wait before retrying after ``exc``; raises when it is final."""
        error = TopicManagerError.from_exception(exc)
        if not is_transient(error.code) or attempt >= self.max_attempts:
            raise error from exc
        delay = self.base_delay * 2.0 ** (attempt - 1)
        log.info("%s: %s; retry %d in %.1fs", action, error, attempt, delay)
        return delay

    def _describe(self, instance_id: str, offset: int, search: Optional[str]) -> Any:
        return _request(
            models.DescribeTopicRequest,
            InstanceId=instance_id,
            SearchWord=search,  # a fuzzy filter: "orders" also finds "orders-dlq"
            Offset=offset,
            Limit=self.page_size,
        )

    @staticmethod
    def _create(instance_id: str, name: str, partitions: int, replicas: int) -> Any:
        return _request(
            models.CreateTopicRequest,
            InstanceId=instance_id,
            TopicName=name,
            PartitionNum=partitions,
            ReplicaNum=replicas,
        )

    @staticmethod
    def _delete(instance_id: str, name: str) -> Any:
        return _request(models.DeleteTopicRequest, InstanceId=instance_id, TopicName=name)


class TopicManager(_Base):
    """Manage the topics of CKafka instances through a sync ``CkafkaClient``.

    ``sleep`` waits between retries; without it, ``time.sleep`` is looked up at each retry.

    >>> manager = TopicManager(CkafkaClient(credential, "ap-guangzhou"))  # doctest: +SKIP
    >>> manager.ensure_topic("ckafka-abc12345", "orders", 3, 2)  # doctest: +SKIP
    True
    """

    def __init__(
        self, client: Any, *, sleep: Optional[Callable[[float], None]] = None, **policy: Any
    ) -> None:
        super().__init__(client, **policy)
        self.sleep = sleep

    def ensure_topic(self, instance_id: str, name: str, partitions: int, replicas: int) -> bool:
        """Create topic ``name`` unless it exists; True if it was created."""
        if name in self._topic_names(instance_id, search=name):
            return False
        self._call("CreateTopic", self._create(instance_id, name, partitions, replicas))
        return True

    def list_topics(self, instance_id: str) -> list[str]:
        """Every topic name of the instance, page by page."""
        return self._topic_names(instance_id)

    def delete_topic(self, instance_id: str, name: str) -> None:
        """Delete topic ``name``."""
        self._call("DeleteTopic", self._delete(instance_id, name))

    def _topic_names(self, instance_id: str, search: Optional[str] = None) -> list[str]:
        names: list[str] = []
        while True:
            request = self._describe(instance_id, len(names), search)
            page, total = _read_page(self._call("DescribeTopic", request))
            names += page
            if len(page) < self.page_size or len(names) >= total:  # a short page is the last
                return names

    def _call(self, action: str, request: Any) -> Any:
        attempt = 0
        while True:
            attempt += 1
            try:
                return _checked(action, getattr(self.client, action)(request))
            except _SDK_ERRORS as exc:
                delay = self._backoff(action, exc, attempt)
            # Looked up now, not at import, so a patched time.sleep (a test's fake clock) applies.
            (self.sleep or time.sleep)(delay)


class AsyncTopicManager(_Base):
    """:class:`TopicManager` for the async ``CkafkaClient`` (over httpx); ``sleep`` is async."""

    def __init__(self, client: Any, *, sleep: Optional[AsyncSleep] = None, **policy: Any) -> None:
        super().__init__(client, **policy)
        self.sleep = sleep

    async def ensure_topic(
        self, instance_id: str, name: str, partitions: int, replicas: int
    ) -> bool:
        """Create topic ``name`` unless it exists; True if it was created."""
        if name in await self._topic_names(instance_id, search=name):
            return False
        await self._call("CreateTopic", self._create(instance_id, name, partitions, replicas))
        return True

    async def list_topics(self, instance_id: str) -> list[str]:
        """Every topic name of the instance, page by page."""
        return await self._topic_names(instance_id)

    async def delete_topic(self, instance_id: str, name: str) -> None:
        """Delete topic ``name``."""
        await self._call("DeleteTopic", self._delete(instance_id, name))

    async def _topic_names(self, instance_id: str, search: Optional[str] = None) -> list[str]:
        names: list[str] = []
        while True:
            request = self._describe(instance_id, len(names), search)
            page, total = _read_page(await self._call("DescribeTopic", request))
            names += page
            if len(page) < self.page_size or len(names) >= total:  # a short page is the last
                return names

    async def _call(self, action: str, request: Any) -> Any:
        attempt = 0
        while True:
            attempt += 1
            try:
                return _checked(action, await getattr(self.client, action)(request))
            except _SDK_ERRORS as exc:
                delay = self._backoff(action, exc, attempt)
            await (self.sleep or asyncio.sleep)(delay)


def demo() -> None:
    """A scripted session against ``pytest_ckafka.mock()``: no network, no pytest."""
    from tencentcloud.ckafka.v20190819.ckafka_client import CkafkaClient
    from tencentcloud.common.credential import Credential

    import pytest_ckafka

    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="  (retry) %(message)s")
    client = CkafkaClient(Credential("AKIDdemo", "demo-secret-key"), "ap-guangzhou")
    manager = TopicManager(client, sleep=lambda seconds: None)  # no real waiting in a demo
    instance = "ckafka-demo1234"

    with pytest_ckafka.mock() as ckafka:
        # The fake is stateful, like the real service: seed the account with a running
        # instance and its topics (seeding is not an API call, so it is not logged).
        ckafka.state.add_instance(instance, name="demo")
        for name in ("events", "logs", "orders-dlq"):
            ckafka.state.add_topic(instance, name, partitions=3)
        # An injected error answers first; the retry is then answered by the state.
        ckafka.fail("DeleteTopic", "RequestLimitExceeded", times=1)

        print(f"list_topics({instance!r}) -> {manager.list_topics(instance)}")
        # SearchWord="orders" finds orders-dlq, not orders: the manager creates it.
        created = manager.ensure_topic(instance, "orders", partitions=3, replicas=2)
        print(f"ensure_topic({instance!r}, 'orders', ...) -> created={created}")
        again = manager.ensure_topic(instance, "orders", partitions=3, replicas=2)
        print(f"ensure_topic({instance!r}, 'orders', ...) -> created={again}")
        manager.delete_topic(instance, "logs")
        print(f"delete_topic({instance!r}, 'logs') -> done")
        print(f"list_topics({instance!r}) -> {manager.list_topics(instance)}")

        print("\nCalls the fake CKafka received:")
        for number, call in enumerate(ckafka.calls, 1):
            print(f"  {number}. {call.summary()}")
        topics = ", ".join(f"{t.name} ({t.partition_num}p)" for t in ckafka.state.topics(instance))
        print(f"\nTopics of {instance} in the fake's state: {topics}")


if __name__ == "__main__":
    demo()
