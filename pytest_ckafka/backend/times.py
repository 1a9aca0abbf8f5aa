"""The API's datetime text: ``YYYY-MM-DD HH:MM:SS`` in Beijing time (UTC+8).

Tencent Cloud answers (and reads) ``datetime`` members in Beijing time whatever
the region, so every family formats and parses them here and nowhere else.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

__all__ = ["DATETIME_FORMAT", "beijing_datetime", "java_date", "parse_beijing_datetime"]

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
"""The ``strftime`` format of the API's datetime members."""

_BEIJING = timezone(timedelta(hours=8))
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def beijing_datetime(seconds: float) -> str:
    """``seconds`` (Unix or clock time) as the API's datetime text, in Beijing time.

    >>> beijing_datetime(0)
    '1970-01-01 08:00:00'
    """
    return datetime.fromtimestamp(seconds, _BEIJING).strftime(DATETIME_FORMAT)


def parse_beijing_datetime(text: str) -> float:
    """The Unix time of the API's datetime ``text`` (Beijing time); ValueError if malformed.

    >>> parse_beijing_datetime("1970-01-01 08:00:00")
    0.0
    """
    return datetime.strptime(text, DATETIME_FORMAT).replace(tzinfo=_BEIJING).timestamp()


def java_date(seconds: float) -> str:
    """``seconds`` as Java's ``Date.toString()`` in Beijing time (AclRule's ``CreateTimeStamp``).

    The names are English whatever the locale, as Java prints them.

    >>> java_date(0)
    'Thu Jan 01 08:00:00 CST 1970'
    """
    moment = datetime.fromtimestamp(seconds, _BEIJING)
    return (
        f"{_DAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day:02d} "
        f"{moment:%H:%M:%S} CST {moment.year}"
    )
