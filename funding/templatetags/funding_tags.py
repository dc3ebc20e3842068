"""Amounts kept in cents, as pages write them."""

from django import template

from ..amounts import cents_label

register = template.Library()
register.filter("cents", cents_label)


@register.filter
def lookup(values: dict, key) -> object:
    """``values[str(key)]``: report values are keyed by the indicator's id as text."""
    return (values or {}).get(str(key))
