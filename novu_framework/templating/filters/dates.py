"""liquidjs date filters: JavaScript ``Date`` parsing, the process time zone, ``strftime`` (en-US)."""

from __future__ import annotations

import math
import os
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from novu_framework.templating.filters._support import FilterFailure, arg
from novu_framework.templating.js import format_number, is_nil, is_number, js_str, stringify, to_value
from novu_framework.templating.limits import current_budget

DEFAULT_FORMAT = "%A, %B %-e, %Y at %-l:%M %P %z"
_MONTHS = ["January", "February", "March", "April", "May", "June"]
_MONTHS += ["July", "August", "September", "October", "November", "December"]
_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MAX_MS = 8.64e15

_ISO = re.compile(
    r"(?P<y>\d{4}|[+-]\d{6})(?:-(?P<mo>\d\d)(?:-(?P<d>\d\d))?)?"
    r"(?:[Tt](?P<h>\d\d):(?P<mi>\d\d)(?::(?P<s>\d\d)(?:\.(?P<f>\d+))?)?)?"
    r"\s*(?P<tz>[Zz]|[+-]\d\d(?::?\d\d)?)?"
)
_SLASHED = re.compile(
    r"(?P<y>\d{4})[-/](?P<mo>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:[ T](?P<h>\d{1,2}):(?P<mi>\d\d)(?::(?P<s>\d\d)(?:\.(?P<f>\d+))?)?)?\s*(?P<tz>Z|GMT|UTC|[+-]\d{4})?"
)
_DAY_MONTH = re.compile(
    r"(?:[A-Za-z]+,?\s+)?(?P<d>\d{1,2})\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})"
    r"(?:\s+(?P<h>\d{1,2}):(?P<mi>\d\d)(?::(?P<s>\d\d))?)?\s*(?P<tz>Z|GMT|UTC|[+-]\d{4})?",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    r"(?:[A-Za-z]+,?\s+)?(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})"
    r"(?:\s+(?P<h>\d{1,2}):(?P<mi>\d\d)(?::(?P<s>\d\d))?)?\s*(?P<tz>Z|GMT|UTC|[+-]\d{4})?",
    re.IGNORECASE,
)


def _zone_offset(text: str | None) -> timezone | None:
    if not text:
        return None
    if text.upper() in ("Z", "GMT", "UTC"):
        return timezone.utc
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return timezone(timedelta(minutes=-minutes if text[0] == "-" else minutes))


def _build(fields: dict[str, str | None], month: int, date_only_is_utc: bool) -> float | None:
    year = int(fields["y"] or 0)
    day = int(fields.get("d") or 1)
    hour, minute, second = (int(fields.get(key) or 0) for key in ("h", "mi", "s"))
    millis = int(((fields.get("f") or "") + "000")[:3])
    zone = _zone_offset(fields.get("tz"))
    if zone is None and date_only_is_utc and fields.get("h") is None:
        zone = timezone.utc
    try:
        naive = datetime(year, month, day, hour, minute, second, millis * 1000)
    except ValueError:
        return None
    moment = naive.replace(tzinfo=zone) if zone else naive.astimezone()
    return (moment - _EPOCH).total_seconds() * 1000


def _parse_string(text: str) -> float | None:
    """Milliseconds since the epoch for the date strings V8 accepts most often, else ``None``."""
    text = text.strip()
    match = _ISO.fullmatch(text)
    if match:
        # ISO 8601: a date alone is UTC, a date and time without offset is local time.
        return _build(match.groupdict(), int(match["mo"] or 1), date_only_is_utc=True)
    match = _SLASHED.fullmatch(text)
    if match:
        return _build(match.groupdict(), int(match["mo"]), date_only_is_utc=False)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        match = pattern.fullmatch(text)
        if match:
            month = _month_number(match["mon"])
            return None if month is None else _build(match.groupdict(), month, date_only_is_utc=False)
    return None


def _month_number(name: str) -> int | None:
    prefix = name[:3].lower()
    for index, month in enumerate(_MONTHS):
        if month[:3].lower() == prefix:
            return index + 1
    return None


def _epoch_millis(value: Any) -> float | None:
    if value in ("now", "today"):
        return time.time() * 1000
    if isinstance(value, bool):
        return float(value)
    if is_number(value):
        return value * 1000
    if isinstance(value, str):
        if value.isascii() and value.isdigit():
            return int(value) * 1000
        return _parse_string(value)
    if isinstance(value, list):
        return _parse_string(js_str(value))
    return None


class _DisplayDate:
    """A moment shown in a time zone: the fields liquidjs's ``LiquidDate`` exposes."""

    def __init__(self, millis: float, zone: tzinfo | None, zone_name: str | None) -> None:
        # ``zone=None``: the process time zone, with the offset (summer time or not) of that moment.
        self.millis = millis
        self.moment = (_EPOCH + timedelta(milliseconds=millis)).astimezone(zone)
        offset = self.moment.utcoffset() or timedelta(0)
        # JavaScript's getTimezoneOffset(): minutes *behind* UTC.
        self.offset_minutes = -int(offset.total_seconds() // 60)
        self.zone_name = zone_name

    def offset(self, colon: bool) -> str:
        minutes = abs(self.offset_minutes)
        sign = "-" if self.offset_minutes > 0 else "+"
        return f"{sign}{minutes // 60:02d}{':' if colon else ''}{minutes % 60:02d}"

    @property
    def weekday(self) -> int:
        return (self.moment.weekday() + 1) % 7

    @property
    def hour12(self) -> int:
        return self.moment.hour % 12 or 12

    def locale_date(self) -> str:
        return f"{self.moment.month}/{self.moment.day}/{self.moment.year}"

    def locale_time(self) -> str:
        m = self.moment
        return f"{self.hour12}:{m.minute:02d}:{m.second:02d} {'AM' if m.hour < 12 else 'PM'}"

    def week_of_year(self, start_day: int) -> str:
        since_start = (self.weekday - start_day + 7) % 7
        return str((self.moment.timetuple().tm_yday - 1 - since_start + 7) // 7)


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


_PAD_WIDTHS = {"C": 2, "d": 2, "e": 2, "H": 2, "I": 2, "j": 3, "k": 2, "l": 2, "L": 3, "m": 2, "M": 2, "S": 2}
_PAD_WIDTHS.update({"U": 2, "W": 2, "y": 2, "Y": 4})
_PAD_SPACE = set("aAbBceklpP")
_FORMAT = re.compile(r"%([-_0^#:]+)?(\d+)?([EO])?(.)")


def _fractional(d: _DisplayDate, width: str | None) -> str:
    digits = int(width or 0) or 9
    return f"{int(d.millis % 1000):03d}"[:digits].ljust(digits, "0")


_CONVERSIONS: dict[str, Callable[[_DisplayDate, dict[str, bool], str | None], Any]] = {
    "a": lambda d, f, w: _DAYS[d.weekday][:3],
    "A": lambda d, f, w: _DAYS[d.weekday],
    "b": lambda d, f, w: _MONTHS[d.moment.month - 1][:3],
    "h": lambda d, f, w: _MONTHS[d.moment.month - 1][:3],
    "B": lambda d, f, w: _MONTHS[d.moment.month - 1],
    "c": lambda d, f, w: f"{d.locale_date()}, {d.locale_time()}",
    "C": lambda d, f, w: d.moment.year // 100,
    "d": lambda d, f, w: d.moment.day,
    "e": lambda d, f, w: d.moment.day,
    "H": lambda d, f, w: d.moment.hour,
    "I": lambda d, f, w: d.hour12,
    "j": lambda d, f, w: d.moment.timetuple().tm_yday,
    "k": lambda d, f, w: d.moment.hour,
    "l": lambda d, f, w: d.hour12,
    "L": lambda d, f, w: int(d.millis % 1000),
    "m": lambda d, f, w: d.moment.month,
    "M": lambda d, f, w: d.moment.minute,
    "N": lambda d, f, w: _fractional(d, w),
    "p": lambda d, f, w: "AM" if d.moment.hour < 12 else "PM",
    "P": lambda d, f, w: "am" if d.moment.hour < 12 else "pm",
    "q": lambda d, f, w: _ordinal(d.moment.day),
    "s": lambda d, f, w: math.floor(d.millis / 1000),
    "S": lambda d, f, w: d.moment.second,
    "u": lambda d, f, w: d.weekday or 7,
    "U": lambda d, f, w: d.week_of_year(0),
    "w": lambda d, f, w: d.weekday,
    "W": lambda d, f, w: d.week_of_year(1),
    "x": lambda d, f, w: d.locale_date(),
    "X": lambda d, f, w: d.locale_time(),
    "y": lambda d, f, w: d.moment.year % 100,
    "Y": lambda d, f, w: d.moment.year,
    "z": lambda d, f, w: d.offset(f.get(":", False)),
    "Z": lambda d, f, w: d.zone_name or d.offset(f.get(":", False)),
    "t": lambda d, f, w: "\t",
    "n": lambda d, f, w: "\n",
    "%": lambda d, f, w: "%",
}


def _format_one(d: _DisplayDate, match: re.Match[str]) -> str:
    flag_text, width, _modifier, conversion = match.groups()
    convert = _CONVERSIONS.get(conversion)
    if convert is None:
        return match[0]
    flags = dict.fromkeys(flag_text or "", True)
    result = convert(d, flags, width)
    text = result if isinstance(result, str) else format_number(result)
    pad_char = " " if conversion in _PAD_SPACE else "0"
    budget = current_budget()
    if width and budget is not None and (len(width) > 9 or int(width) > budget.limits.string_chars):
        budget.check_string(budget.limits.string_chars + 1)
    pad_width = int(width or 0) or _PAD_WIDTHS.get(conversion, 0)
    if flags.get("^"):
        text = text.upper()
    elif flags.get("#"):
        text = text.upper() if any("a" <= char <= "z" for char in text) else text.lower()
    if flags.get("_"):
        pad_char = " "
    elif flags.get("0"):
        pad_char = "0"
    if flags.get("-"):
        pad_width = 0
    if pad_char == "0" and text.startswith("-"):
        return "-" + text[1:].rjust(pad_width - 1, pad_char)
    return text.rjust(pad_width, pad_char)


def strftime(d: _DisplayDate, pattern: str) -> str:
    return _FORMAT.sub(lambda match: _format_one(d, match), pattern)


@lru_cache(maxsize=1)
def _local_zone_name() -> str:
    name = os.environ.get("TZ", "").lstrip(":")
    if (name and "/" in name) or name == "UTC":
        return name
    for candidate in (Path("/etc/timezone"),):
        if candidate.is_file():
            return candidate.read_text().strip()
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        parts = localtime.resolve().parts
        if "zoneinfo" in parts:
            return "/".join(parts[parts.index("zoneinfo") + 1 :])
    return "UTC"


def _display(value: Any, zone_arg: Any = None) -> _DisplayDate | None:
    value = to_value(value)
    if is_nil(value):
        return None
    millis = _epoch_millis(value)
    if millis is None or millis != millis or abs(millis) > _MAX_MS:
        return None
    zone_arg = to_value(zone_arg)
    try:
        if isinstance(zone_arg, str):
            try:
                return _DisplayDate(millis, ZoneInfo(zone_arg), zone_arg)
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise FilterFailure(f"Invalid time zone specified: {zone_arg}") from error
        if is_number(zone_arg):
            return _DisplayDate(millis, timezone(timedelta(minutes=-zone_arg)), None)
        return _DisplayDate(millis, None, _local_zone_name())
    except (OverflowError, ValueError):
        return None


def date(value: Any, *args: Any) -> Any:
    moment = _display(value, arg(args, 1, None))
    if moment is None:
        return value
    pattern = to_value(arg(args, 0, None))
    return strftime(moment, DEFAULT_FORMAT if is_nil(pattern) else stringify(pattern))


def date_to_xmlschema(value: Any, *_: Any) -> Any:
    return date(value, "%Y-%m-%dT%H:%M:%S%:z")


def date_to_rfc822(value: Any, *_: Any) -> Any:
    return date(value, "%a, %d %b %Y %H:%M:%S %z")


def _stringify_date(value: Any, month: str, kind: Any, style: Any) -> Any:
    moment = _display(value)
    if moment is None:
        return value
    if kind == "ordinal":
        day = moment.moment.day
        pattern = f"{month} {day}%q, %Y" if style == "US" else f"{day}%q {month} %Y"
        return strftime(moment, pattern)
    return strftime(moment, f"%d {month} %Y")


def date_to_string(value: Any, *args: Any) -> Any:
    return _stringify_date(value, "%b", arg(args, 0, None), arg(args, 1, None))


def date_to_long_string(value: Any, *args: Any) -> Any:
    return _stringify_date(value, "%B", arg(args, 0, None), arg(args, 1, None))


FILTERS: dict[str, Callable[..., Any]] = {
    "date": date,
    "date_to_xmlschema": date_to_xmlschema,
    "date_to_rfc822": date_to_rfc822,
    "date_to_string": date_to_string,
    "date_to_long_string": date_to_long_string,
}
