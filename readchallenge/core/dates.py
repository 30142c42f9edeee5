"""Days and weeks as users type them: ISO dates, relative words, weekday names, ISO weeks."""

from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ISO_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


# Days rc accepts: wide enough for any challenge, narrow enough that a week or a calendar
# around them never leaves what `datetime.date` can hold.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


class InvalidDate(ValueError):
    """The text names no day or week rc understands."""


class DateOutOfRange(InvalidDate):
    """The text names a real day, but one outside the years rc handles."""


def in_range(day: date, text: str) -> date:
    """`day` itself, or InvalidDate when it lies outside the years rc handles."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateOutOfRange(
            f"{text!r} is outside the days rc handles "
            f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
        )
    return day


def _weekday_index(word: str) -> int | None:
    word = word.lower()
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return index
    return None


_SHIFT = re.compile(r"(?:in\s+(\d{1,4})\s+days?|([+-]\d{1,4}))")
DAY_WORDS = (
    "YYYY-MM-DD, today, yesterday, tomorrow, a weekday (on or after today), "
    "'next <weekday>' (in next week), 'this <weekday>' (in this week), 'last <weekday>', "
    "'in 3 days', +3, -1 or '21 june'"
)
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_NUMBERS = re.compile(r"(\d{1,4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\.? ([a-z]{3,9})\.?,?(?: (\d{4}))?")
_MONTH_DAY = re.compile(r"([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,?(?: (\d{4}))?")


def _month_index(word: str) -> int | None:
    for index, name in enumerate(MONTHS, start=1):
        if name.startswith(word):
            return index
    return None


def _calendar_day(text: str, year: int, month: int, day: int) -> date:
    """The day `year-month-day`, or a message saying which part does not exist."""
    if not 1 <= month <= 12:
        raise InvalidDate(f"{text!r}: there is no month {month} (months run from 1 to 12)")
    try:
        return in_range(date(year, month, day), text)
    except DateOutOfRange:
        raise
    except ValueError:
        if not 1 <= year <= 9999:
            raise DateOutOfRange(
                f"{text!r} is outside the days rc handles "
                f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
            ) from None
        last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
        raise InvalidDate(f"{text!r}: {MONTHS[month - 1].title()} {year} has {last} days") from None


def _named_month(text: str, word: str, today: date) -> date | None:
    """`21 june`, `june 21`, `21 jun 2026`: without a year, the one nearest today."""
    if found := _DAY_MONTH.fullmatch(word):
        number, name, year = found[1], found[2], found[3]
    elif found := _MONTH_DAY.fullmatch(word):
        name, number, year = found[1], found[2], found[3]
    else:
        return None
    month = _month_index(name)
    if month is None:
        return None
    if year:
        return _calendar_day(text, int(year), month, int(number))
    candidates = []
    for shift in (-1, 0, 1):
        try:
            candidates.append(_calendar_day(text, today.year + shift, month, int(number)))
        except DateOutOfRange:
            continue
        except InvalidDate:
            if shift == 0 and not (month == 2 and int(number) == 29):
                raise
    if not candidates:  # 29 February with no leap year around
        raise InvalidDate(f"{text!r}: no {MONTHS[month - 1].title()} near today has that day")
    return min(candidates, key=lambda day: (abs((day - today).days), day < today))


def parse_day(text: str, today: date) -> date:
    """A day as people say it: `YYYY-MM-DD`, `today`, `yesterday`, `tomorrow`, `monday` (on
    or after today), `next monday` (the Monday of next week), `this sunday` (the Sunday of
    this Monday-Sunday week), `last monday` (the one before today), `in 3 days`, `+3`, `-1`,
    `2026-6-21`, `21 june` or `june 21` (the one nearest today), `21 june 2026`."""
    word = " ".join(text.strip().lower().split())
    relative = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if word in relative:
        return today + timedelta(days=relative[word])
    if shift := _SHIFT.fullmatch(word):
        days = int(shift[1]) if shift[1] else int(shift[2])
        return in_range(today + timedelta(days=days), text)
    prefix, _, rest = word.partition(" ")
    if prefix in ("next", "this") and (index := _weekday_index(rest)) is not None:
        monday = monday_of(today) + timedelta(days=7 if prefix == "next" else 0)
        return monday + timedelta(days=index)
    past = word.startswith("last ")
    index = _weekday_index(word[5:] if past else word)
    if index is not None:
        if past:
            return today - timedelta(days=(today.weekday() - index - 1) % 7 + 1)
        return today + timedelta(days=(index - today.weekday()) % 7)
    if numbers := _NUMBERS.fullmatch(word):
        year, month, day = (int(n) for n in numbers.groups())
        return _calendar_day(text, year, month, day)
    if (named := _named_month(text, word, today)) is not None:
        return named
    try:
        parsed = date.fromisoformat(word)  # the other ISO forms: 20260621, 2026-W25-7
    except ValueError:
        pass
    else:
        return in_range(parsed, text)
    raise InvalidDate(f"cannot read {text!r} as a day: use {DAY_WORDS}")


def monday_of(day: date) -> date:
    """The Monday that starts the Monday-Sunday week containing `day`."""
    return day - timedelta(days=day.weekday())


def week_label(monday: date) -> str:
    """The ISO week label `YYYY-Www` of the week starting on `monday`."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def default_week(today: date) -> date:
    """The week people plan and post: Monday to Friday the current one; on Saturday and
    Sunday, when the post for the week ahead is written, the coming one."""
    return monday_of(today) + timedelta(days=7 if today.weekday() >= 5 else 0)


def parse_week(text: str | None, today: date) -> date:
    """The Monday of the week named by `text`: None for the default, `this`, `next`, `last`,
    `YYYY-Www`, or any day `parse_day` accepts."""
    if text is None or not text.strip():
        return default_week(today)
    word = text.strip().lower()
    shifts = {"this": 0, "next": 7, "last": -7}
    if word in shifts:
        return monday_of(today) + timedelta(days=shifts[word])
    if match := _ISO_WEEK.fullmatch(word):
        year, week = int(match[1]), int(match[2])
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise InvalidDate(f"week {text!r} does not exist") from None
        return in_range(monday, text)
    try:
        return monday_of(parse_day(word, today))
    except DateOutOfRange:
        raise
    except InvalidDate:
        raise InvalidDate(
            f"cannot read {text!r} as a week: use this, next, last, YYYY-Www or a day"
        ) from None


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
