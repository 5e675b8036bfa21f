"""The loopback SMTP server the mail tests use receives what Django sends."""

from django.core.mail import send_mail


def test_a_message_sent_through_django_arrives_at_the_loopback_server(mailbox):
    send_mail("Subject line", "Body text", "winterplan@example.org", ["officer@example.org"])

    [message] = mailbox.to("officer@example.org")
    assert message["Subject"] == "Subject line"
    assert mailbox.body(message).strip() == "Body text"
