"""Django's ``{# … #}`` comment ends on the line it starts: one that runs over two lines is not
a comment at all, and its text (a file name, a developer's note) is printed on the page. Longer
notes use ``{% comment %}``."""

from pathlib import Path

from django.conf import settings


def unclosed_comments(text: str) -> list[int]:
    """Line numbers of the ``{#`` that do not close on their own line."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]


def test_the_check_tells_a_one_line_comment_from_a_broken_one():
    assert unclosed_comments("{# a note #}\n<p>x</p>") == []
    assert unclosed_comments("<p>x</p>\n{# a note that goes\n on #}") == [2]
    assert unclosed_comments("{# one #} {# two\n#}") == [1]


def test_no_template_has_a_comment_that_would_be_printed():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}"
        for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*"))
        if path.is_file()
        for line in unclosed_comments(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
