"""Reading numbers from a query string: a year, a count, an id. One parser for every view.

A query string is typed by anyone (`?fy=abc`, `?fy=-5`, `?fy=99999999999`, Thai digits): a
value that is not a whole number in range falls back to the page's default or matches no row,
never an error page. Ids are bounded to what a database integer holds.
"""

from collections.abc import Mapping

from django.utils.http import url_has_allowed_host_and_scheme

from .numerals import to_arabic_digits
from .thai_dates import ThaiDateError, be_year_typed

MAX_ID = 2**63 - 1  # PostgreSQL bigint; a larger value would make the query itself fail
BE_YEARS = (2400, 2800)  # Buddhist Era years any page may ask for


def whole_number(value) -> int | None:
    """'2569', ' ๒๕๖๙ ' → 2569; anything else (signs, decimals, text, huge) → None."""
    text = to_arabic_digits(str(value if value is not None else "")).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    return int(text)


def bounded(params: Mapping, name: str, *, default: int, low: int, high: int) -> int:
    """`params[name]` when it is a whole number within [low, high], else `default`."""
    number = whole_number(params.get(name, ""))
    return number if number is not None and low <= number <= high else default


def be_year(params: Mapping, name: str, *, default: int) -> int:
    """A Buddhist Era year (fiscal, academic or calendar) from the query string, read as a
    year typed into a BE year box is (thai_dates.be_year_typed): `?fy=2569`, `?fy=2026` and
    `?fy=69` all ask for 2569; a CE year fell back to the page's default year, silently."""
    number = whole_number(params.get(name, ""))
    if number is None:
        return default
    try:
        year = be_year_typed(number)
    except ThaiDateError:
        return default
    return year if BE_YEARS[0] <= year <= BE_YEARS[1] else default


def object_id(value) -> int:
    """An id from a query string or form value; anything else is 0, which matches no row."""
    number = whole_number(value)
    return number if number is not None and number <= MAX_ID else 0


def page_number(params: Mapping, name: str = "page") -> int:
    """A page number ≥ 1 (a page past the end is the paginator's to answer)."""
    return bounded(params, name, default=1, low=1, high=10**9)


def query_without(params, *names: str) -> str:
    """The query string without some parameters: what a pager or a sort link appends to."""
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def query_only(params, *names: str) -> str:
    """The query string with only these parameters: what a link to a sibling page carries
    (the year and rules a set of pages share), never one page's own filters, which would
    otherwise pile up as links lead from page to page."""
    kept = params.copy()
    for name in list(kept):
        if name not in names:
            kept.pop(name)
    return kept.urlencode()


def local_path(url: str, host: str) -> str:
    """`url` when it is a path on this site ("/registry/?page=2"), else "".

    A ``next`` address is typed by anyone: another site's address must not be followed, and a
    bare word ("abc", "home") is not an address at all (Django's ``redirect`` would read it as
    a view name and fail)."""
    url = (url or "").strip()
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts={host}):
        return url
    return ""
