"""Stateful handlers: SASL users (CreateUser, DescribeUser, ModifyPassword, DeleteUser).

A password is kept only to check ``ModifyPassword``'s current one: no answer
ever carries it. The API reference says nothing about names and passwords; the
rules below are the ones the CKafka console documents for user management.
"""

from __future__ import annotations

import re
from typing import Optional

from .models import Instance, User
from .paging import count_and_page, keep, matches, window
from .registry import Body, Context, answers
from .times import beijing_datetime

__all__ = [
    "create_user",
    "delete_user",
    "describe_user",
    "modify_password",
    "password_problem",
]

# The console's naming rule; its length cap is not documented, 64 is CKafka's usual one.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
_SPECIAL_TEXT = "()`~!@#$^&*-_=|{}[]:;',.?/"
_SPECIALS = frozenset(_SPECIAL_TEXT)
_CLASSES = (
    ("lowercase letters", str.islower),
    ("uppercase letters", str.isupper),
    ("digits", str.isdigit),
    ("special characters", _SPECIALS.__contains__),
)


def password_problem(password: str) -> Optional[str]:
    """Why ``password`` breaks the console's rule (two character classes), or None.

    >>> password_problem("hunter2") is None
    True
    >>> password_problem("hunter").startswith("must contain at least two of")
    True
    """
    present = sum(1 for _, test in _CLASSES if any(test(ch) for ch in password))
    if present >= 2:
        return None
    return (
        "must contain at least two of: lowercase letters, uppercase letters, digits, special "
        f"characters {_SPECIAL_TEXT}"
    )


@answers("CreateUser")
def create_user(ctx: Context) -> Body:
    """Add a SASL user; the name must be new in the instance."""
    instance = ctx.running_instance()
    name = str(ctx.get("Name"))
    password = ctx.get("Password")
    if not _NAME.fullmatch(name):
        ctx.reject_shape(
            f"The user name `{name}` is invalid: use 1 to 64 letters, digits, `_`, `-` and `.`, "
            "starting with a letter or a digit."
        )
    # The spec marks Password optional, but a SASL user cannot sign in without
    # one and the console requires it.
    if password is None:
        ctx.reject_shape(
            f"CreateUser needs a `Password` for the user `{name}`.", "MissingParameter"
        )
        password = ""
    _check_password(ctx, "Password", str(password))
    if name in instance.users:
        ctx.fail(
            "InvalidParameterValue.RepetitionValue",
            f"The user `{name}` already exists in instance `{instance.instance_id}`.",
        )
    number = ctx.backend.next_number()
    instance.users[name] = User(number, name, str(password), ctx.now, ctx.now)
    return ctx.operate()


@answers("DescribeUser")
def describe_user(ctx: Context) -> Body:
    """List the users (newest first): paging default 20, SearchWord fuzzy on the name."""
    instance = ctx.instance()
    offset, limit = window(ctx)
    word = ctx.get("SearchWord")
    # The reference's example lists the newest user (the highest UserId) first.
    users = reversed(instance.users.values())
    selected = keep(users, lambda u: matches(word, u.name)) if word else users
    total, page = count_and_page(selected, None if word else len(instance.users), offset, limit)
    listed = [
        {
            "UserId": user.user_id,
            "Name": user.name,
            "CreateTime": beijing_datetime(user.created_at),
            "UpdateTime": beijing_datetime(user.updated_at),
        }
        for user in page
    ]
    return {"Result": {"Users": listed, "TotalCount": total}}


@answers("ModifyPassword")
def modify_password(ctx: Context) -> Body:
    """Change a user's password; ``Password`` must be the current one."""
    instance = ctx.running_instance()
    user = _user(ctx, instance)
    if str(ctx.get("Password")) != user.password:
        # Never echo either password: the message names only the user.
        ctx.fail(
            "InvalidParameterValue",
            f"The parameter `Password` is not the current password of the user `{user.name}`.",
        )
    new = str(ctx.get("PasswordNew"))
    _check_password(ctx, "PasswordNew", new)
    user.password = new
    user.updated_at = ctx.now
    return ctx.operate()


@answers("DeleteUser")
def delete_user(ctx: Context) -> Body:
    """Delete a user. Its ACL rules stay, as DeleteAcl's reference expects."""
    instance = ctx.running_instance()
    user = _user(ctx, instance)
    del instance.users[user.name]
    # Its tokens go with it (a token is the user's credential); its ACL rules stay.
    for token in [t.token for t in instance.tokens.values() if t.user == user.name]:
        del instance.tokens[token]
    return ctx.operate()


def _user(ctx: Context, instance: Instance) -> User:
    return ctx.owned(instance, instance.users, "Name", "user")


def _check_password(ctx: Context, member: str, password: str) -> None:
    problem = password_problem(password)
    if problem:
        ctx.reject_shape(f"The parameter `{member}` {problem}.")
