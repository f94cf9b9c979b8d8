"""When someone's membership of an organisation changes (or their account is switched off), their
open live editors check their access again at once instead of at the next periodic check."""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from portal.organisations.models import OrganisationMembership

from .consumers import user_group


def recheck_live_access(user_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "live.recheck"}
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # the usual case: a request's (or a command's) thread
        async_to_sync(layer.group_send)(user_group(user_id), message)
    else:  # called from async code (or beside another library's loop): no blocking wait there
        loop.create_task(layer.group_send(user_group(user_id), message))


def _membership_changed(sender: Any, instance: OrganisationMembership, **kwargs: Any) -> None:
    user_id = instance.user_id
    transaction.on_commit(lambda: recheck_live_access(user_id))


def _user_changed(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if not created and not instance.is_active:
        user_id = instance.pk
        transaction.on_commit(lambda: recheck_live_access(user_id))


def connect() -> None:
    post_save.connect(_membership_changed, sender=OrganisationMembership, dispatch_uid="live-membership-saved")
    post_delete.connect(_membership_changed, sender=OrganisationMembership, dispatch_uid="live-membership-deleted")
    post_save.connect(_user_changed, sender=get_user_model(), dispatch_uid="live-user-saved")
