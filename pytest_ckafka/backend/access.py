"""Stateful handlers: tokens and access policies.

- Tokens: CreateToken makes a token for a SASL user of the instance (32 hex
  digits, as the reference's example); AuthorizeToken authorizes it on the
  instance and CancelAuthorizationToken withdraws that. Both name the token's
  user and the token, which must be one CreateToken made for that user here
  (``InvalidParameterValue``); authorizing twice, or cancelling a token that is
  not authorized, changes nothing and succeeds, as Kafka's own grants do.
  Messages never echo a token: it is a credential.
- Access policies: a public network route's IP whitelist
  (DescribeAccessPolicy, ModifyAccessPolicy, which replaces it; without
  ``IpWhitelist`` it clears it, as documented). A route of another network has
  no public whitelist (``UnsupportedOperation``); an unknown route is
  ``ResourceNotFound``.
- CreateTopicIpWhiteList adds IPs to a topic's whitelist, the ``IpWhiteList``
  DescribeTopicAttributes answers (an IP there already is kept once); the
  whitelist switch (``EnableWhiteList``) stays as it is.
"""

from __future__ import annotations

from typing import Any

from .instance_checks import check_address
from .models import AccessPolicy, Instance, Route, Token
from .registry import Body, Context, answers
from .routes import MAIN_ROUTE_ID, purge_scheduled

__all__ = [
    "PUBLIC_VIP_TYPE",
    "authorize_token",
    "cancel_authorization_token",
    "create_token",
    "create_topic_ip_white_list",
    "describe_access_policy",
    "modify_access_policy",
    "new_token",
]

PUBLIC_VIP_TYPE = 1
# CreateTopicIpWhiteList's IpWhiteList document: "最大值为512".
_TOPIC_WHITELIST_MAX = 512
_HEX = "0123456789abcdef"


def new_token(rng: Any) -> str:
    """A token as CreateToken answers one: 32 lowercase hex digits."""
    return "".join(rng.choice(_HEX) for _ in range(32))


# -- tokens ----------------------------------------------------------------------------------


@answers("CreateToken")
def create_token(ctx: Context) -> Body:
    """Make a token for ``User``, a SASL user of the instance; answer it."""
    instance = ctx.running_instance()
    user = str(ctx.get("User"))
    _check_user(ctx, instance, user)
    token = new_token(ctx.rng)
    while token in instance.tokens:
        token = new_token(ctx.rng)
    instance.tokens[token] = Token(token, user, ctx.now)
    return {"Result": token}


@answers("AuthorizeToken")
def authorize_token(ctx: Context) -> Body:
    """Authorize ``User``'s token on the instance; Result 0."""
    token = _token(ctx, ctx.running_instance())
    token.authorized = True
    return {"Result": 0}


@answers("CancelAuthorizationToken")
def cancel_authorization_token(ctx: Context) -> Body:
    """Withdraw the authorization of ``User``'s token; Result 0."""
    token = _token(ctx, ctx.running_instance())
    token.authorized = False
    return {"Result": 0}


def _check_user(ctx: Context, instance: Instance, user: str) -> None:
    if user not in instance.users:
        known = ", ".join(sorted(instance.users)) or "(none)"
        ctx.fail(
            "InvalidParameterValue",
            f"The user `{user}` does not exist in instance `{instance.instance_id}`; "
            f"users: {known}.",
        )


def _token(ctx: Context, instance: Instance) -> Token:
    user = str(ctx.get("User"))
    _check_user(ctx, instance, user)
    token = instance.tokens.get(str(ctx.get("Tokens")))
    if token is None or token.user != user:
        ctx.fail(
            "InvalidParameterValue",
            f"The parameter `Tokens` is not a token CreateToken made for the user `{user}` "
            f"in instance `{instance.instance_id}`.",
        )
    return token


# -- access policies -------------------------------------------------------------------------


def _public_route(ctx: Context, instance: Instance) -> Route:
    purge_scheduled(instance, ctx.now)  # a route past its scheduled deletion is gone
    route_id = int(ctx.get("RouteId"))
    route = instance.routes.get(route_id)
    if route is None and route_id != MAIN_ROUTE_ID:
        known = ", ".join(str(r) for r in sorted(instance.routes)) or "(none)"
        ctx.fail(
            "ResourceNotFound",
            f"The route {route_id} does not exist in instance `{instance.instance_id}`; "
            f"routes: {known}.",
        )
    if route is None or route.vip_type != PUBLIC_VIP_TYPE:
        # The main route (RouteId 0) is the instance's VPC route.
        vip_type = 3 if route is None else route.vip_type
        ctx.fail(
            "UnsupportedOperation",
            f"The route {route_id} is VipType {vip_type}; an IP whitelist belongs to a public "
            f"network route (VipType {PUBLIC_VIP_TYPE}).",
        )
    return route


@answers("DescribeAccessPolicy")
def describe_access_policy(ctx: Context) -> Body:
    """A public route's IP whitelist, in the order it was set."""
    instance = ctx.instance()
    route = _public_route(ctx, instance)
    policy = instance.access_policies.get(route.route_id)
    listed = [dict(entry) for entry in policy.ip_whitelist] if policy else []
    return {"Result": {"TotalCount": len(listed), "IpWhitelist": listed}}


@answers("ModifyAccessPolicy")
def modify_access_policy(ctx: Context) -> Body:
    """Replace a public route's IP whitelist; without ``IpWhitelist``, clear it."""
    instance = ctx.running_instance()
    route = _public_route(ctx, instance)
    entries = []
    seen: set[str] = set()
    for index, item in enumerate(ctx.get("IpWhitelist") or ()):
        block = str(item.get("CidrBlock") or "")
        check_address(ctx, f"IpWhitelist.{index}.CidrBlock", block)
        if block in seen:
            ctx.reject_shape(
                f"The CIDR block `{block}` appears more than once in `IpWhitelist`; list each once."
            )
        seen.add(block)
        entries.append(
            {"CidrBlock": block, "PolicyDescription": str(item.get("PolicyDescription") or "")}
        )
    instance.access_policies[route.route_id] = AccessPolicy(route.route_id, entries)
    return {"Result": "Succeed"}


# -- topic whitelist ---------------------------------------------------------------------------


@answers("CreateTopicIpWhiteList")
def create_topic_ip_white_list(ctx: Context) -> Body:
    """Add IPs to a topic's IP whitelist (up to 512 per call)."""
    instance = ctx.running_instance()
    topic = ctx.topic(instance)
    ips = [str(ip) for ip in ctx.get("IpWhiteList") or ()]
    if len(ips) > _TOPIC_WHITELIST_MAX:
        ctx.reject_shape(
            f"The parameter `IpWhiteList` takes at most {_TOPIC_WHITELIST_MAX} IPs, got {len(ips)}."
        )
    for index, ip in enumerate(ips):
        check_address(ctx, f"IpWhiteList.{index}", ip)
        if ips.index(ip) != index:
            ctx.reject_shape(
                f"The IP `{ip}` appears more than once in `IpWhiteList`; list each once.",
                "InvalidParameterValue.RepetitionValue",
            )
    whitelist = list(topic.config.get("IpWhiteList") or [])
    topic.config["IpWhiteList"] = whitelist + [
        ip for ip in dict.fromkeys(ips) if ip not in whitelist
    ]
    body = ctx.operate()
    body["Result"]["ReturnMessage"] = "ok[apply success]"
    return body
