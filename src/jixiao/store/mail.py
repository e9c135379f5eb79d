"""Optional e-mail for notifications, through a configured SMTP server.

Mail is queued on the database session while a request writes and handed to the mailer only after
the transaction commits, on a background thread: a slow or absent mail server never delays or
undoes a confirmed write, and a rolled-back action sends nothing. A failure is logged, not raised.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)
OUTBOX = "jixiao_outbox"  # key of the queued mail in ``Session.info``


@dataclass(frozen=True)
class Mail:
    """One message to one address."""

    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send (``JIXIAO_SMTP_*``)."""

    host: str
    port: int = 25
    sender: str = "jixiao@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0


def queue(session: Session, mail: Mail) -> None:
    """Send ``mail`` once this session's transaction commits (nothing when it rolls back)."""
    session.info.setdefault(OUTBOX, []).append(mail)


def take_outbox(session: Session) -> list[Mail]:
    """The mail queued on a session, removed from it."""
    queued: list[Mail] = session.info.pop(OUTBOX, [])
    return queued


class Mailer:
    """Sends queued mail on a daemon thread, one SMTP connection per batch."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def send(self, mails: list[Mail]) -> threading.Thread | None:
        """Start sending ``mails``; the thread is returned so a caller (a test) may wait for it."""
        if not mails:
            return None
        thread = threading.Thread(target=self._deliver, args=(list(mails),), name="jixiao-mail", daemon=True)
        thread.start()
        return thread

    def _deliver(self, mails: list[Mail]) -> None:
        s = self.settings
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
                if s.starttls:
                    smtp.starttls()
                if s.user:
                    smtp.login(s.user, s.password or "")
                for mail in mails:
                    message = EmailMessage()
                    message["From"] = s.sender
                    message["To"] = mail.to
                    message["Subject"] = mail.subject
                    message.set_content(mail.body)
                    smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            logger.warning("邮件发送失败（%s:%s）：%s", s.host, s.port, exc)
