"""Core's background tasks: e-mail delivery, scheduled publishing, and tidying the queue."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import IntegrityError, transaction

from . import background
from .models import OnceKey


@background.background_task()
def deliver_mail(*, key: str, address: str, subject: str, body: str, language: str) -> bool:
    """Send one composed message. ``key`` makes it idempotent: a message already sent (a worker that
    died after sending, a retry) is not sent again. False when it had been sent before."""
    if OnceKey.objects.filter(key=f"mail:{key}").exists():
        return False
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address],
                           headers={"Content-Language": language})
    message.send()  # a failure raises: the task is tried again later (background_task)
    try:
        with transaction.atomic():
            OnceKey.objects.create(key=f"mail:{key}")
    except IntegrityError:
        pass  # two runs raced; the message went out (at least once, which SMTP cannot do better)
    return True


@background.background_task(max_attempts=1)
def publish_scheduled() -> None:
    """Wagtail's scheduled publishing (``go_live_at``/``expire_at``) without a cron: the workers run
    it every minute. Idempotent: it only acts on pages whose time has come and not yet acted on."""
    call_command("publish_scheduled", verbosity=0)


@background.background_task(max_attempts=1)
def tidy_queue() -> None:
    background.tidy()
