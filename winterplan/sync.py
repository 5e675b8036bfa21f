"""Write a row only when it differs: loading the same file twice changes nothing."""

import datetime
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.core.exceptions import ValidationError
from django.db import models

M = TypeVar("M", bound=models.Model)


class RowError(ValidationError):
    """A validation error that names where in the input it happened."""

    def __init__(self, where: str, error: ValidationError | str):
        if isinstance(error, ValidationError):
            if hasattr(error, "error_dict"):
                parts = [
                    f"{field}: {' '.join(messages)}"
                    for field, messages in error.message_dict.items()
                ]
            else:
                parts = error.messages
            message = "; ".join(parts)
        else:
            message = str(error)
        self.where = where
        super().__init__(f"{where}: {message}")


def upsert(
    model: type[M],
    *,
    where: str,
    lookup: dict[str, Any],
    values: dict[str, Any],
    update: bool = True,
    history_date: datetime.datetime | None = None,
) -> tuple[M, bool]:
    """Create the row found by `lookup`, or bring it to `values`; save only what changed.

    Every row is validated with full_clean() first; a failure raises RowError naming `where`.
    Returns the row and whether it was written. With update=False an existing row is left as
    it is. A row created here has its history dated `history_date` when given (when what it
    records was true); a change to an existing row is dated when it is made.
    """
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        if history_date is not None:
            instance._history_date = history_date
    elif not update:
        return instance, False
    else:
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if not changed:
            return instance, False
        for name in changed:
            setattr(instance, name, values[name])
    try:
        instance.full_clean()
    except ValidationError as error:
        raise RowError(where, error) from error
    instance.save()
    return instance, True

def read_yaml(path: Path) -> dict[str, Any]:
    """The YAML file's top-level mapping; a clear error if it is not one."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as error:
        raise ValidationError(f"{path.name}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise ValidationError(f"{path.name}: expected a mapping at the top of the file.")
    return data
