"""Formatted text written by office staff (lesson bodies): a safe Markdown subset."""

from django import template
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

register = template.Library()

# html=False: raw HTML typed into a lesson is shown as text, never run; markdown-it also
# refuses javascript:/data: links. linkify turns bare URLs into links, as before.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable(
    "table"
)


@register.filter
def markdown(value: str) -> str:
    """{{ lesson.body|markdown }}: headings, bold, lists, links, tables; line breaks kept."""
    return mark_safe(_MARKDOWN.render(value or ""))
