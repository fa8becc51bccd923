"""What the pages say of a certificate beside its badge."""

from django import template

from training import certificates

register = template.Library()


@register.filter
def review_since(cert, thai_digits=False) -> str:
    """{{ c|review_since:thai_digits }} → "5 ธันวาคม 2569": the day a certificate under review
    was flagged (training.certificates.review_since); "" when there is none to show."""
    return certificates.review_since(cert, thai_digits=bool(thai_digits))
