"""A Django e-mail backend that sends through GOV.UK Notify (notifications-python-client).

Notify sends from a template: `NOTIFY_TEMPLATE_ID` names one e-mail template whose subject is
`((subject))` and whose body is `((body))`; every message fills them in. Chosen by settings
when `NOTIFY_API_KEY` is set. A refusal (HTTPError from the client) fails the message, so
send_reminders records it and tries again on the next run.
"""

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class NotifyEmailBackend(BaseEmailBackend):
    """Sends each recipient of each message as one Notify e-mail notification."""

    def __init__(self, fail_silently=False, api_key=None, template_id=None, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key = api_key or settings.NOTIFY_API_KEY
        self.template_id = template_id or settings.NOTIFY_TEMPLATE_ID
        self.client = None

    def open(self) -> bool:
        if self.client is not None:
            return False
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(self.api_key, base_url=settings.NOTIFY_BASE_URL,
                                             timeout=settings.EMAIL_TIMEOUT)
        return True

    def close(self) -> None:
        self.client = None

    def send_messages(self, email_messages) -> int:
        self.open()
        count = 0
        for message in email_messages:
            try:
                for address in message.recipients():
                    self.client.send_email_notification(
                        email_address=address, template_id=self.template_id,
                        personalisation={"subject": message.subject, "body": message.body},
                    )
                count += 1
            except Exception:
                if not self.fail_silently:
                    raise
        return count
