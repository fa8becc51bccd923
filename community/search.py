"""Thai-aware search for the best-practice repository.

Thai is written without spaces between words, so a plain `icontains` on a whole query such
as "สอนคณิตศาสตร์เชิงรุก" finds only documents containing that exact run of letters. Both the
documents and the query are segmented into words with PyThaiNLP's `newmm` tokenizer (its
dictionary ships inside the package: nothing is downloaded at run time); a document matches
when it contains every query word. Words are matched as substrings of the segmented text, so
a word inside a compound ("เรียนรู้" in "การเรียนรู้") is found too. The same query runs on
SQLite and PostgreSQL.
"""

from functools import reduce
from operator import and_, or_

from django.db.models import Q, QuerySet

from krupd.lib.numerals import clean_text

# Words too common to narrow a search.
STOPWORDS = frozenset(
    "การ ความ และ หรือ ของ ใน ที่ ให้ กับ เพื่อ โดย ได้ เป็น มี จาก ไป มา แบบ ด้วย ซึ่ง นี้ the of and a".split()
)


def words(text: str) -> list[str]:
    """Segment Thai (and split other text on spaces); lower-case, Thai digits made Arabic."""
    from pythainlp.tokenize import word_tokenize  # loads its dictionary on first use

    text = clean_text(text).lower()
    tokens = word_tokenize(text, engine="newmm", keep_whitespace=False)
    return [t.strip() for t in tokens if t.strip() and any(ch.isalnum() for ch in t)]


def index_text(*parts: str) -> str:
    """What goes into BestPractice.search_text: segmented words between single spaces."""
    return " " + " ".join(w for part in parts for w in words(part or "")) + " "


def query_words(query: str) -> list[str]:
    found = [w for w in words(query) if w not in STOPWORDS and len(w) > 1]
    # Keep order, drop repeats.
    return list(dict.fromkeys(found))


def search(rows: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    """Rows containing every word of the query; if none do, rows containing any word."""
    terms = query_words(query)
    if not terms:
        return rows
    conditions = [Q(**{f"{field}__icontains": term}) for term in terms]
    every = rows.filter(reduce(and_, conditions))
    if len(terms) == 1 or every.exists():
        return every
    return rows.filter(reduce(or_, conditions))
