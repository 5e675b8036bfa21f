"""Invitations: how a manager gives a colleague of their council an account.

The e-mailed link carries a random token; only its SHA-256 is stored, so the database cannot
be read for working links. A link works once (accepting creates the account), until it expires
(INVITATION_VALID_DAYS, 7) and while the invitation is not cancelled; resending replaces the
token, so an older link stops working.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from winterplan import permissions
from winterplan.models import Council, Team


def token_digest(token: str) -> str:
    """What is stored of an invitation's token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    EXPIRED = "expired", "Expired"
    ACCEPTED = "accepted", "Accepted"
    CANCELLED = "cancelled", "Cancelled"


INVITABLE_ROLE_CHOICES = [
    (role, permissions.ROLE_LABELS[role]) for role in permissions.INVITABLE_ROLES
]


class Invitation(models.Model):
    """An e-mailed offer of an account in one council, with a role and a team."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=INVITABLE_ROLE_CHOICES)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="invitations_sent")
    sent_at = models.DateTimeField(help_text="When the current link was e-mailed.")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="invitation",
                                help_text="The account made when the invitation was accepted.")

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(user__isnull=False),
                name="invitation_accepted_has_user",
            ),
            models.CheckConstraint(
                condition=Q(role__in=list(permissions.INVITABLE_ROLES)),
                name="invitation_role_never_admin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.council})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.cancelled_at:
            return InvitationStatus.CANCELLED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def role_label(self) -> str:
        return permissions.ROLE_LABELS.get(self.role, self.role)
