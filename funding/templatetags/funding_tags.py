"""Amounts kept in cents, as pages write them."""

from django import template

from ..amounts import cents_label

register = template.Library()
register.filter("cents", cents_label)
