"""arXiv identifier grammar: validate the forms people paste and normalise them."""

from __future__ import annotations

import re
from typing import NamedTuple

# Archives that issued old-style identifiers (arXiv identifier scheme before April 2007).
OLD_ARCHIVES = frozenset(
    {
        "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an",
        "chao-dyn", "chem-ph", "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an",
        "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math", "math-ph", "mtrl-th", "nlin",
        "nucl-ex", "nucl-th", "patt-sol", "physics", "plasm-ph", "q-alg", "q-bio", "quant-ph",
        "solv-int", "supr-con",
    }
)  # fmt: skip

MAX_VERSION = 999  # the most-revised papers have a few dozen; a larger number is an error
_VERSION = r"(?:v(?P<version>\d+))?"
_NEW = re.compile(r"(?P<yymm>\d{4})\.(?P<number>\d{4,5})" + _VERSION)
_OLD = re.compile(
    r"(?P<archive>[a-z][a-z\-]*)(?:\.(?P<subject>[A-Za-z\-]+))?/(?P<yymm>\d{4})(?P<number>\d{3})"
    + _VERSION
)
_URL = re.compile(
    r"(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/(?P<rest>.+?)"
    r"(?:\.pdf)?/?(?:[?#].*)?",
    re.IGNORECASE,
)
_HF = re.compile(r"(?:https?://)?(?:www\.)?huggingface\.co/papers/(?P<rest>[^?#/]+)/?(?:[?#].*)?")
_DOI = re.compile(
    r"(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:)?10\.48550/arxiv\.(?P<rest>.+)", re.IGNORECASE
)
_PREFIX = re.compile(r"arxiv:\s*(?P<rest>.+)", re.IGNORECASE)


class InvalidId(ValueError):
    """The text is not an arXiv identifier; the message says why."""


class ArxivId(NamedTuple):
    """A canonical arXiv identifier (no version) and the version asked for, if any."""

    id: str
    version: int | None = None

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"


def _check_version(text: str | None) -> int | None:
    if text is None:
        return None
    if len(text) > len(str(MAX_VERSION)):
        raise InvalidId(f"no arXiv paper has more than {MAX_VERSION} versions")
    version = int(text)
    if version < 1:
        raise InvalidId("versions start at v1")
    if version > MAX_VERSION:
        raise InvalidId(f"no arXiv paper has more than {MAX_VERSION} versions")
    return version


def _new_style(match: re.Match[str]) -> ArxivId:
    yymm, number = match["yymm"], match["number"]
    month = int(yymm[2:])
    if not 1 <= month <= 12:
        raise InvalidId(f"month {yymm[2:]} does not exist")
    if yymm < "0704":
        raise InvalidId("new-style identifiers start in April 2007 (0704)")
    expected = 4 if yymm <= "1412" else 5
    if len(number) != expected:
        raise InvalidId(f"identifiers of {yymm} have {expected} digits after the dot")
    return ArxivId(f"{yymm}.{number}", _check_version(match["version"]))


def _old_style(match: re.Match[str]) -> ArxivId:
    archive, yymm = match["archive"], match["yymm"]
    if archive not in OLD_ARCHIVES:
        raise InvalidId(f"unknown archive {archive!r}")
    month = int(yymm[2:])
    if not 1 <= month <= 12:
        raise InvalidId(f"month {yymm[2:]} does not exist")
    # Old-style identifiers ran from August 1991 (9108) to March 2007 (0703).
    if not ("9108" <= yymm <= "9912" or "0001" <= yymm <= "0703"):
        raise InvalidId("old-style identifiers run from 9108 to 0703")
    if match["number"] == "000":
        raise InvalidId("old-style numbers start at 001")
    return ArxivId(f"{archive}/{yymm}{match['number']}", _check_version(match["version"]))


def _bare(text: str) -> ArxivId:
    if match := _NEW.fullmatch(text):
        return _new_style(match)
    if match := _OLD.fullmatch(text):
        return _old_style(match)
    raise InvalidId("not an arXiv identifier")


def parse_arxiv_id(text: str) -> ArxivId:
    """Parse any accepted form of an arXiv identifier; raise InvalidId if it is none."""
    candidate = text.strip()
    for pattern in (_URL, _HF, _DOI, _PREFIX):
        if match := pattern.fullmatch(candidate):
            candidate = match["rest"].strip()
            break
    return _bare(candidate)


def from_entry_id(entry_id: str) -> ArxivId:
    """The identifier of a feed entry such as `http://arxiv.org/abs/1707.08567v1`."""
    return parse_arxiv_id(entry_id)
