"""The API's page-number pagination, with a bounded page number.

ninja's own accepts any page ≥ 1; a page like 10^20 overflows the database's OFFSET and
answers 500 (found by the schemathesis run in krupd/tests/test_api_schema.py). A page past
the end is an empty page; past this bound it is a 422 like any other invalid parameter.
"""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

MAX_PAGE = 1_000_000


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)
