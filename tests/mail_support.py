"""A real SMTP server on loopback for tests that send mail (aiosmtpd), and the settings that
point Django's SMTP backend at it. Never a mock: the message goes through smtplib and back."""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Mailbox:
    """What the loopback server received, as parsed messages (newest last)."""

    messages: list = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list:
        """Messages addressed to `address`."""
        with self._lock:
            return [m for m in self.messages if address.lower() in m.get("To", "").lower()]

    @staticmethod
    def body(message) -> str:
        """The plain-text body of a message."""
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    """One SMTP server per test process, on a free loopback port."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server, settings):
    """Django sends through the loopback server for this test; returns its (empty) mailbox."""
    box, port = smtp_server
    box.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return box
