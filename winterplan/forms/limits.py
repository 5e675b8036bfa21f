"""Input limits every form of the project applies (GovukFormMixin calls `apply_input_limits`),
so out-of-range input is a field error, never a 500 or a stored absurdity:

- every date field accepts only plausible dates (winterplan.validators, 2000-2100);
- every text field without its own limit holds at most DEFAULT_TEXT_MAX_LENGTH characters;
- every integer field holds only what the database can (±2**63-1);
- every model choice field refuses an id the database cannot hold before it is queried
  (SQLite raised OverflowError for 10**23).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from winterplan.validators import (
    MAX_DATABASE_INTEGER,
    TEXT_MAX_LENGTH,
    is_database_id,
    validate_plausible_date,
)

#: The one number lives in winterplan.validators, which the models' text fields use too.
DEFAULT_TEXT_MAX_LENGTH = TEXT_MAX_LENGTH


class DatabaseIdsMixin:
    """A model choice field that refuses ids the database cannot hold, before any query."""

    def clean(self, value):
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item not in self.empty_values and not is_database_id(item):
                raise ValidationError(self.error_messages["invalid_choice"],
                                      code="invalid_choice", params={"value": str(item)[:40]})
        return super().clean(value)


_bounded_classes: dict[type, type] = {}


def _with_database_ids(field: forms.ModelChoiceField) -> None:
    pk = field.queryset.model._meta.pk
    if isinstance(field, DatabaseIdsMixin) or field.to_field_name or not isinstance(
            pk, models.IntegerField):
        return
    cls = type(field)
    if cls not in _bounded_classes:
        _bounded_classes[cls] = type(cls.__name__, (DatabaseIdsMixin, cls), {})
    field.__class__ = _bounded_classes[cls]


def apply_input_limits(form) -> None:
    """Give every field of `form` the project's limits (see the module docstring)."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            if validate_plausible_date not in field.validators:
                field.validators.append(validate_plausible_date)
        elif isinstance(field, forms.ModelChoiceField):
            _with_database_ids(field)
        elif isinstance(field, forms.IntegerField):
            if field.max_value is None:
                field.max_value = MAX_DATABASE_INTEGER
                field.validators.append(MaxValueValidator(MAX_DATABASE_INTEGER))
            if field.min_value is None:
                field.min_value = -MAX_DATABASE_INTEGER
                field.validators.append(MinValueValidator(-MAX_DATABASE_INTEGER))
        elif isinstance(field, forms.CharField) and field.max_length is None:
            field.max_length = DEFAULT_TEXT_MAX_LENGTH
            field.validators.append(MaxLengthValidator(DEFAULT_TEXT_MAX_LENGTH))
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("maxlength", str(DEFAULT_TEXT_MAX_LENGTH))
