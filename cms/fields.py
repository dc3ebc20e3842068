"""A JSON list of choices edited as checkboxes (portable across SQLite and PostgreSQL)."""

from django import forms
from django.db import models


class MultipleChoiceJSONField(models.JSONField):
    def __init__(self, *args, choices_source=None, **kwargs):
        self.choices_source = choices_source
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_source"] = self.choices_source
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            label=self.verbose_name,
            help_text=self.help_text,
            required=not self.blank,
            choices=self.choices_source.choices if self.choices_source else [],
            widget=forms.CheckboxSelectMultiple,
        )
