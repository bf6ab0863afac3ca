"""The ``format`` definitions of ajv-formats 2.1.1 ("full" mode), the ones the reference registers."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from novu_framework.js.strings import JS_WHITESPACE
from novu_framework.schema.jsregex import JsRegexError, compile_js_regex

__all__ = ["FORMATS", "FormatDef"]


@dataclass(frozen=True)
class FormatDef:
    """``kind`` is the JSON type the format applies to; ``validate`` None means "always valid"."""

    kind: str
    validate: Callable[[Any], bool] | None
    compare: Callable[[str, str], int | None] | None = None


def _regex(source: str, flags: int = re.I | re.ASCII) -> Callable[[Any], bool]:
    # Compiled on first use: compiling every format's pattern at import costs more than the rest
    # of the schema package, and most schemas use no format at all.
    search: Callable[[str], Any] | None = None

    def check(value: Any) -> bool:
        nonlocal search
        if search is None:
            search = re.compile(source, flags).search
        return search(value) is not None

    return check


def _is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


_DATE = re.compile(r"^(\d\d\d\d)-(\d\d)-(\d\d)\Z", re.ASCII)
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _date(value: str) -> bool:
    match = _DATE.search(value)
    if not match:
        return False
    year, month, day = (int(g) for g in match.groups())
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 and _is_leap_year(year) else _DAYS[month])


def _compare_date(d1: str, d2: str) -> int | None:
    if not (d1 and d2):
        return None
    return 1 if d1 > d2 else -1 if d1 < d2 else 0


_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)(\.\d+)?(z|[+-]\d\d(?::?\d\d)?)?\Z", re.I | re.ASCII)


def _time(value: str) -> bool:
    # ajv-formats 2.1.1 never enforces the time zone of date-time (its check compares undefined with "").
    match = _TIME.search(value)
    if not match:
        return False
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3))
    return (hour <= 23 and minute <= 59 and second <= 59) or (hour == 23 and minute == 59 and second == 60)


def _compare_time(t1: str, t2: str) -> int | None:
    if not (t1 and t2):
        return None
    a1, a2 = _TIME.search(t1), _TIME.search(t2)
    if not (a1 and a2):
        return None
    s1 = a1[1] + a1[2] + a1[3] + (a1[4] or "")
    s2 = a2[1] + a2[2] + a2[3] + (a2[4] or "")
    return 1 if s1 > s2 else -1 if s1 < s2 else 0


_DATE_TIME_SEPARATOR = re.compile(f"[tT{JS_WHITESPACE}]")


def _date_time(value: str) -> bool:
    parts = _DATE_TIME_SEPARATOR.split(value)
    return len(parts) == 2 and _date(parts[0]) and _time(parts[1])


def _compare_date_time(dt1: str, dt2: str) -> int | None:
    if not (dt1 and dt2):
        return None
    p1 = [*_DATE_TIME_SEPARATOR.split(dt1), ""]
    p2 = [*_DATE_TIME_SEPARATOR.split(dt2), ""]
    res = _compare_date(p1[0], p2[0])
    if res is None:
        return None
    return res or _compare_time(p1[1], p2[1])


_IPV6_PART = r"(?:[0-9a-f]{1,4}:)"
_URI_IP_LITERAL = (
    r"\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|"
    r"(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::"
    r"(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}"
    r"[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}"
    r"(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|"
    r"(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]"
)
_IPV4 = r"(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)"

_URI = (
    r"^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:"
    + _URI_IP_LITERAL
    + "|"
    + _IPV4
    + r"|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?"
    r"(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*"
    r"|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?"
    r"|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)"
    r"(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?"
    r"(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?\Z"
)
_URI_REFERENCE = (
    r"^(?:[a-z][a-z0-9+\-.]*:)?(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:"
    + _URI_IP_LITERAL
    + "|"
    + _IPV4
    + r"|(?:[a-z0-9\-._~!$&'\"()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?"
    r"(?:\/(?:[a-z0-9\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2})+"
    r"(?:\/(?:[a-z0-9\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2})+"
    r"(?:\/(?:[a-z0-9\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2})*)*)?(?:\?(?:[a-z0-9\-._~!$&'\"()*+,;=:@/?]|%[0-9a-f]{2})*)?"
    r"(?:#(?:[a-z0-9\-._~!$&'\"()*+,;=:@/?]|%[0-9a-f]{2})*)?\Z"
)


@functools.cache
def _uri_pattern() -> re.Pattern[str]:
    return re.compile(_URI, re.I | re.ASCII)  # compiled on first use, as the ``_regex`` formats


_NOT_URI_FRAGMENT = re.compile(r"/|:").search


def _uri(value: str) -> bool:
    return _NOT_URI_FRAGMENT(value) is not None and _uri_pattern().search(value) is not None


_URL_HOST = (
    r"(?:(?!(?:10|127)(?:\.[0-9]{1,3}){3})"
    r"(?!(?:169\.254|192\.168)(?:\.[0-9]{1,3}){2})(?!172\.(?:1[6-9]|2[0-9]|3[0-1])(?:\.[0-9]{1,3}){2})"
    r"(?:[1-9][0-9]?|1[0-9][0-9]|2[01][0-9]|22[0-3])(?:\.(?:1?[0-9]{1,2}|2[0-4][0-9]|25[0-5])){2}"
    r"(?:\.(?:[1-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-4]))|(?:(?:[a-z0-9\u00a1-\uffff]+-)*[a-z0-9\u00a1-\uffff]+)"
    r"(?:\.(?:[a-z0-9\u00a1-\uffff]+-)*[a-z0-9\u00a1-\uffff]+)*(?:\.(?:[a-z\u00a1-\uffff]{2,})))(?::[0-9]{2,5})?"
)
_URL_SCHEME = re.compile(r"(?:https?|ftp)://", re.I | re.ASCII)


@functools.cache
def _url_host_pattern() -> re.Pattern[str]:
    return re.compile(_URL_HOST + r"\Z", re.I)


_JS_SPACE = re.compile(f"[{JS_WHITESPACE}]")
_SLASH = re.compile("/")
_AT = re.compile("@")


def _url(value: str) -> bool:
    """What ajv-formats' ``url`` regex matches, in linear time (the regex is cubic in the length of its input).

    After the scheme: optional user info (non-space characters, then ``@``), a host and port (no ``/`` or
    ``@``), then nothing or ``/`` and non-space characters. The only ``@`` that can end the user info are
    the last ones before a ``/`` (or the end), so the hosts tried never overlap.
    """
    scheme = _URL_SCHEME.match(value)
    if scheme is None:
        return False
    rest = value[scheme.end() :]
    spaces = [match.start() for match in _JS_SPACE.finditer(rest)]
    last_space = spaces[-1] if spaces else -1
    first_space = spaces[0] if spaces else len(rest)
    slashes = [match.start() for match in _SLASH.finditer(rest)]
    ats = [match.start() for match in _AT.finditer(rest)]

    def host_then_path(start: int, end: int, slash: int) -> bool:
        return (slash < 0 or slash > last_space) and _url_host_pattern().match(rest, start, end) is not None

    first_slash = slashes[0] if slashes else -1
    no_user_info = not ats or (first_slash >= 0 and ats[0] > first_slash)
    if no_user_info and host_then_path(0, first_slash if first_slash >= 0 else len(rest), first_slash):
        return True
    for number, at in enumerate(ats):
        if at >= first_space:
            break
        if at == 0:
            continue
        index = bisect.bisect_right(slashes, at)
        slash = slashes[index] if index < len(slashes) else -1
        end = slash if slash >= 0 else len(rest)
        following = ats[number + 1] if number + 1 < len(ats) else len(rest)
        if following < end:
            continue  # the host would contain this next "@"
        if host_then_path(at + 1, end, slash):
            return True
    return False


_EMAIL = (
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
    r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\Z"
)
_HOSTNAME = (
    r"^(?=[^\n\r\u2028\u2029]{1,253}\.?\Z)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?\Z"
)
_IPV6_V4 = r"(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}"
_IPV6 = (
    r"^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|(" + _IPV6_V4 + r")|:))"
    r"|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:(" + _IPV6_V4 + r")|:))"
    r"|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:(" + _IPV6_V4 + r"))|:))"
    r"|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:(" + _IPV6_V4 + r"))|:))"
    r"|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:(" + _IPV6_V4 + r"))|:))"
    r"|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:(" + _IPV6_V4 + r"))|:))"
    r"|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:(" + _IPV6_V4 + r"))|:)))\Z"
)
_LINE_START = "(?:^|(?<=[\n\r\u2028\u2029]))"
_LINE_END = "(?=[\n\r\u2028\u2029]|\\Z)"
_BYTE = _LINE_START + r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?" + _LINE_END
_Z_ANCHOR = re.compile(r"[^\\]\\Z").search


def _regex_format(value: str) -> bool:
    if _Z_ANCHOR(value):
        return False
    try:
        compile_js_regex(value, unicode=False)
    except JsRegexError:
        return False
    return True


def _int32(value: Any) -> bool:
    return isinstance(value, (int, float)) and float(value).is_integer() and -(2**31) <= value <= 2**31 - 1


def _int64(value: Any) -> bool:
    return isinstance(value, (int, float)) and float(value).is_integer()


def _string(
    validate: Callable[[str], bool], compare: Callable[[str, str], int | None] | None = None
) -> FormatDef:
    return FormatDef("string", validate, compare)


FORMATS: dict[str, FormatDef] = {
    "date": _string(_date, _compare_date),
    "time": _string(_time, _compare_time),
    "date-time": _string(_date_time, _compare_date_time),
    "duration": _string(
        _regex(r"^P(?!\Z)((\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?|(\d+W)?)\Z", re.ASCII)
    ),
    "uri": _string(_uri),
    "uri-reference": _string(_regex(_URI_REFERENCE)),
    "uri-template": _string(
        _regex(
            r"^(?:(?:[^\x00-\x20\"'<>%\\^`{|}]|%[0-9a-f]{2})|\{[+#./;?&=,!@|]?(?:[a-z0-9_]|%[0-9a-f]{2})+"
            r"(?::[1-9][0-9]{0,3}|\*)?(?:,(?:[a-z0-9_]|%[0-9a-f]{2})+(?::[1-9][0-9]{0,3}|\*)?)*\})*\Z"
        )
    ),
    "url": _string(_url),
    "email": _string(_regex(_EMAIL)),
    "hostname": _string(_regex(_HOSTNAME)),
    "ipv4": _string(_regex("^" + _IPV4 + r"\Z", re.ASCII)),
    "ipv6": _string(_regex(_IPV6)),
    "regex": _string(_regex_format),
    "uuid": _string(_regex(r"^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}\Z")),
    "json-pointer": _string(_regex(r"^(?:\/(?:[^~/]|~0|~1)*)*\Z", 0)),
    "json-pointer-uri-fragment": _string(
        _regex(r"^#(?:\/(?:[a-z0-9_\-.!$&'()*+,;:=@]|%[0-9a-f]{2}|~0|~1)*)*\Z")
    ),
    "relative-json-pointer": _string(_regex(r"^(?:0|[1-9][0-9]*)(?:#|(?:\/(?:[^~/]|~0|~1)*)*)\Z", 0)),
    "byte": _string(_regex(_BYTE, 0)),
    "int32": FormatDef("number", _int32),
    "int64": FormatDef("number", _int64),
    "float": FormatDef("number", lambda _value: True),
    "double": FormatDef("number", lambda _value: True),
    "password": FormatDef("string", None),
    "binary": FormatDef("string", None),
}
