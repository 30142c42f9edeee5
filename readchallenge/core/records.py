"""What a valid row of each table holds: the rules an import and a sync are checked against.

The columns come from the declaration (`core/schema.py`): a column is text, or text or
NULL, unless a rule below says more (a date, a number in a range, a known kind, a URL, a
JSON list); a column of numbers must have its rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from readchallenge.core.dates import FIRST_DAY, LAST_DAY
from readchallenge.core.ids import MAX_VERSION
from readchallenge.core.schema import SHARED, TYPES
from readchallenge.core.tags import tag_problem
from readchallenge.core.text import is_http_url

# One table's row as JSON carries it (an export, a sync file), before its values are checked
# here: the edge where Any is honest.
Row = dict[str, Any]
# Any other JSON object as json.loads gives it (a line of a sync file), before it is checked.
JsonObject = dict[str, Any]

LINK_KINDS = ("model", "paper", "code", "blog", "other")  # in the order a post lists them
POST_LINKS = LINK_KINDS[:4]  # the links of a day's heading: model | paper | code | blog
ITEM_KINDS = ("paper", "blog", "model", "code")
SOURCES = ("arxiv", "web")
STATUSES = ("ok", "pending", "missing")
LINK_SOURCES = ("you", "arxiv", "huggingface")
MAX_PER_DAY = 20

Check = Callable[[object], str | None]  # a problem with the value, or None


def _text(value: object) -> str | None:
    return None if isinstance(value, str) else "must be text"


def _key(value: object) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be non-empty text"


def _day(value: object) -> str | None:
    if not isinstance(value, str):
        return "must be a date (YYYY-MM-DD)"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return f"{value[:40]!r} is not a date (YYYY-MM-DD)"
    if not FIRST_DAY <= day <= LAST_DAY or len(value) != 10:
        return f"{value!r} is not a date between {FIRST_DAY} and {LAST_DAY}"
    return None


def _whole(low: int, high: int) -> Check:
    def check(value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return f"must be a whole number from {low} to {high}"
        return None

    return check


def _one_of(*choices: str) -> Check:
    def check(value: object) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}"

    return check


def _string_list(value: object) -> str | None:
    """A JSON text holding a list of strings (how authors and categories are stored)."""
    if not isinstance(value, str):
        return "must be a JSON list of strings"
    try:
        items = json.loads(value)
    except (ValueError, RecursionError):
        return "must be a JSON list of strings"
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        return "must be a JSON list of strings"
    return None


def _url(value: object) -> str | None:
    return None if isinstance(value, str) and is_http_url(value) else "must be an http(s) URL"


def link_order_problem(value: object) -> str | None:
    kinds = value.split(",") if isinstance(value, str) else []
    if kinds and all(kind in POST_LINKS for kind in kinds) and len(set(kinds)) == len(kinds):
        return None
    return f"must be link kinds separated by commas ({', '.join(POST_LINKS)})"


def _week(value: object) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-W\d{2}", value):
        try:
            date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
            return None
        except ValueError:
            pass
    return "must be an ISO week (YYYY-Www)"


def _nullable(check: Check) -> Check:
    return lambda value: None if value is None else check(value)


_VERSION = _nullable(_whole(1, MAX_VERSION))
_OPTIONAL_TEXT = _nullable(_text)
_OPTIONAL_DAY = _nullable(_day)

# What a column holds beyond what its declared type says.
_SPECIAL: dict[str, dict[str, Check]] = {
    "challenge": {
        "id": _whole(1, 1),
        "name": _key,
        "start": _day,
        "until": _day,
        "per_day": _whole(1, MAX_PER_DAY),
    },
    "papers": {
        "id": _key,
        "source": _one_of(*SOURCES),
        "kind": _one_of(*ITEM_KINDS),
        "status": _one_of(*STATUSES),
        "authors": _string_list,
        "version": _VERSION,
        "requested_version": _VERSION,
        "categories": _string_list,
        "published": _OPTIONAL_DAY,
        "updated": _OPTIONAL_DAY,
        "abs_url": _nullable(_url),
        "pdf_url": _nullable(_url),
        "link_order": _nullable(link_order_problem),
    },
    "links": {
        "paper_id": _key,
        "kind": _one_of(*LINK_KINDS),
        "url": _url,
        "source": _one_of(*LINK_SOURCES),
    },
    "plan": {"paper_id": _key, "day": _day},
    "readings": {"paper_id": _key, "day": _day},
    "skips": {"day": _day},
    "notes": {"paper_id": _key},
    "takeaways": {"paper_id": _key, "position": _whole(1, 10_000)},
    "weeks": {"week": _week},
    # The season (docs/season.md): a paper's tags, a week's own tags, where its post lives.
    "tags": {"paper_id": _key, "tag": tag_problem},
    "week_tags": {"week": _week, "tag": tag_problem},
    "posts": {"week": _week, "url": _url},
}


_OPTIONAL_COUNT = _nullable(_whole(0, 10**12))


def _model_list(value: object) -> str | None:
    """A JSON text holding Hugging Face models: `{"id", "author", "likes"}` objects."""
    problem = "must be a JSON list of models ({id, author, likes})"
    if not isinstance(value, str):
        return problem
    try:
        models = json.loads(value)
    except (ValueError, RecursionError):
        return problem
    if not isinstance(models, list):
        return problem
    for model in models:
        if not (
            isinstance(model, dict)
            and set(model) == {"id", "author", "likes"}
            and isinstance(model["id"], str)
            and isinstance(model["author"], str)
            and _whole(0, 10**12)(model["likes"]) is None
        ):
            return problem
    return None


_SPECIAL["hf_pages"] = {
    "paper_id": _key,
    "status": _one_of("found", "not_indexed", "queued"),
    "upvotes": _OPTIONAL_COUNT,
    "github_stars": _OPTIONAL_COUNT,
    "github_repo": _nullable(_url),
    "project_page": _nullable(_url),
    "models": _model_list,
    "num_models": _OPTIONAL_COUNT,
    "ai_keywords": _string_list,
}

# `rc like PAPER` (1) and `rc like PAPER --not` (0): a stored paper's id, or an arXiv id.
_SPECIAL["likes"] = {"paper_id": _key, "liked": _whole(0, 1)}

_BY_TYPE: dict[str, Check] = {"str": _text, "str | None": _OPTIONAL_TEXT}

# Every declared column of every shared table, with its check.
RULES: dict[str, dict[str, Check]] = {
    table: {
        column: _SPECIAL[table].get(column) or _BY_TYPE[kind]
        for column, kind in TYPES[table].items()
    }
    for table in SHARED
}


# The fields that hold a URL a browser may open or a post may link to.
URL_FIELDS: dict[str, tuple[str, ...]] = {
    "papers": ("abs_url", "pdf_url"),
    "links": ("url",),
    "hf_pages": ("github_repo", "project_page"),
    "posts": ("url",),
}


def unsafe_urls(table: str, row: Mapping[str, object]) -> list[str]:
    """The fields of a row of `table` whose URL fails the one URL rule (`is_http_url`):
    what must not be stored, opened or exported, whatever brought the row (an import, a
    sync, a store written before rc checked every link). Empty when the row is safe."""
    return [
        name
        for name in URL_FIELDS.get(table, ())
        if row.get(name) is not None and not is_http_url(row[name])
    ]


def row_problem(table: str, row: object) -> str | None:
    """What is wrong with one row of `table`, naming the field; None when it is valid."""
    rules = RULES[table]
    if not isinstance(row, dict):
        return "is not an object"
    unknown = row.keys() - rules.keys()
    if unknown:
        return f"has an unknown field {str(sorted(unknown, key=str)[0])[:40]!r}"
    for name, value in row.items():
        problem = rules[name](value)
        if problem is not None:
            return f"{name} {problem}"
    return None
