"""A care home's private return link: how a provider reports for itself without an account.

The link carries a random token (`secrets.token_urlsafe(32)`, 256 bits); only its SHA-256 is
stored, so the database cannot be read for working links, and the token is shown once, when
it is issued. A link works for its one home until it expires (RETURN_LINK_VALID_DAYS, 90, by
default) or is revoked; the API takes the same token as a bearer credential.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from providers.models.register import Provider


def token_digest(token: str) -> str:
    """What is stored of a return link's token: its SHA-256, hex (the token has 256 bits of
    randomness, so a plain hash is enough; no salt or slow hash is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


class ReturnLinkStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class ReturnLinkQuerySet(models.QuerySet["ReturnLink"]):
    def active(self, now=None) -> "ReturnLinkQuerySet":
        """Links that work now: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ReturnLink(models.Model):
    """One care home's link to send its daily return (web form or API)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="return_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("issued", default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="issued by")
    expires_at = models.DateTimeField("expires")
    emailed_to = models.EmailField("e-mailed to", blank=True)
    revoked_at = models.DateTimeField("revoked", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    #: Written with a plain UPDATE (no history row) each time the link sends a return.
    last_used_at = models.DateTimeField("last used", null=True, blank=True)

    objects = ReturnLinkQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["token_hash", "last_used_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")),
                                   name="return_link_expires_after_issue"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="return_link_revoked_by_someone"),
        ]

    def __str__(self) -> str:
        return f"Return link of {self.provider} issued {self.created_at:%d/%m/%Y}"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return ReturnLinkStatus.REVOKED
        if self.expires_at <= timezone.now():
            return ReturnLinkStatus.EXPIRED
        return ReturnLinkStatus.ACTIVE

    def get_status_display(self) -> str:
        return ReturnLinkStatus(self.status).label
