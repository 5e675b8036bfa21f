"""Uploaded files kept between an import's dry-run preview and its confirmation.

The content lives in the database, not in a process's memory, so the confirming request may
reach any web process. The file is read once, on upload: its rows (or why it cannot be read)
are kept beside it, so previewing and confirming never parse it again. Rows older than a day
are removed when the next upload arrives.
"""

import uuid

from django.db import models

from winterplan.models import Council


class ImportKind(models.TextChoices):
    PROVIDERS = "providers", "Provider register"
    DAILY_RETURNS = "daily_returns", "Daily returns"


class PendingImport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("winterplan.User", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    rows = models.JSONField(
        null=True, editable=False,
        help_text="The file's rows as read on upload: [row number, {column: text}].",
    )
    problems = models.JSONField(
        default=list, editable=False,
        help_text="Why the file could not be read: [row, column, message].",
    )
    source = models.JSONField(
        null=True, editable=False,
        help_text="A CQC file: which layout, and what of it was left out (providers.cqc).",
    )
    replace = models.BooleanField(
        default=False, help_text="Daily returns: replace a return already entered for the day."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} upload {self.filename}"
