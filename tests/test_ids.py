"""arXiv identifiers: every accepted form normalises to one canonical id; nothing crashes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readchallenge.core.ids import OLD_ARCHIVES, ArxivId, InvalidId, parse_arxiv_id


@st.composite
def new_style(draw: st.DrawFn) -> str:
    year = draw(st.integers(7, 30))
    month = draw(st.integers(4 if year == 7 else 1, 12))
    yymm = f"{year:02d}{month:02d}"
    digits = 4 if yymm <= "1412" else 5
    return f"{yymm}.{draw(st.integers(1, 10**digits - 1)):0{digits}d}"


@st.composite
def old_style(draw: st.DrawFn) -> str:
    archive = draw(st.sampled_from(sorted(OLD_ARCHIVES)))
    yymm = draw(st.sampled_from(["9108", "9512", "9901", "0001", "0507", "0703"]))
    return f"{archive}/{yymm}{draw(st.integers(1, 999)):03d}"


def forms(canonical: str, version: int | None) -> list[str]:
    v = f"v{version}" if version else ""
    out = [
        f"{canonical}{v}",
        f"arXiv:{canonical}{v}",
        f"  {canonical}{v}  ",
        f"https://arxiv.org/abs/{canonical}{v}",
        f"http://arxiv.org/pdf/{canonical}{v}",
        f"https://arxiv.org/pdf/{canonical}{v}.pdf",
        f"https://export.arxiv.org/abs/{canonical}{v}",
        f"https://www.arxiv.org/abs/{canonical}{v}?context=cs",
    ]
    if "/" not in canonical:
        out += [
            f"https://arxiv.org/html/{canonical}{v}",
            f"10.48550/arXiv.{canonical}{v}",
            f"https://doi.org/10.48550/arXiv.{canonical}{v}",
            f"https://huggingface.co/papers/{canonical}{v}",
        ]
    return out


@given(st.one_of(new_style(), old_style()), st.one_of(st.none(), st.integers(1, 30)))
def test_every_form_normalises_to_the_same_id(canonical: str, version: int | None):
    for form in forms(canonical, version):
        assert parse_arxiv_id(form) == ArxivId(canonical, version), form


@given(st.text())
def test_parser_never_crashes(text: str):
    try:
        parsed = parse_arxiv_id(text)
    except InvalidId:
        return
    assert parsed == parse_arxiv_id(str(parsed))


def test_subject_class_is_not_part_of_old_ids():
    assert parse_arxiv_id("math.GT/0309136") == ArxivId("math/0309136")


@pytest.mark.parametrize(
    "bad",
    [
        "", "abc", "2404.07965v0", "0703.0001", "1412.00001", "1501.0001", "2413.00001",
        "hep-th/0704001", "nope/9901001", "hep-th/9012001", "https://example.org/abs/2404.07965",
    ],
)  # fmt: skip
def test_malformed_ids_are_refused(bad: str):
    with pytest.raises(InvalidId):
        parse_arxiv_id(bad)
