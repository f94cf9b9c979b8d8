"""A page as one of its revisions saved it, with the revision's references checked in bulk.

Wagtail builds the page from a revision's content (``with_content_json``) through modelcluster,
which asks the database for every foreign key in the content, one query each, so that a reference
to a row deleted since (a section, a user, an old revision) is dropped or nulled instead of
breaking the page: ten queries for a hearing response with two parts. :func:`with_content` asks
once per referenced model instead, and lets Wagtail skip its own checks only when every reference
was found; when one is missing, Wagtail builds the page as always and handles it as it does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import ForeignObjectRel
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail.models import Page

P = TypeVar("P", bound=Page)

# Fields ``Page.with_content_json`` sets from the page's own row after building it (documented
# there): whatever the revision held in them is never used, so there is nothing to check.
PRESERVED = frozenset({"content_type", "owner", "locked_by", "latest_revision", "locale", "alias_of"})

_checked: ContextVar[bool] = ContextVar("portal_revision_references_checked", default=False)
_from_serializable_data = ClusterableModel.from_serializable_data.__func__


def _from_serializable_data_checked(cls: type, data: Any, check_fks: bool = True, strict_fks: bool = False) -> Any:
    return _from_serializable_data(cls, data, check_fks=check_fks and not _checked.get(), strict_fks=strict_fks)


def install() -> None:
    ClusterableModel.from_serializable_data = classmethod(_from_serializable_data_checked)


@contextmanager
def _references_checked() -> Iterator[None]:
    token = _checked.set(True)
    try:
        yield
    finally:
        _checked.reset(token)


def _references(model: type[models.Model], data: dict[str, Any], page: Page) -> Iterator[tuple[Any, str, Any]]:
    """(model referred to, its field, value) for each foreign key modelcluster would check, in the
    content and its child objects. A value the page's own row holds in the same column is left out:
    the database's foreign key constraint already says that row exists."""
    for name, value in data.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, ForeignObjectRel) or value is None:
            continue
        if isinstance(page, model) and name in PRESERVED:
            continue
        remote = field.remote_field
        if remote is None or not isinstance(remote, models.ManyToOneRel):
            continue
        target = remote.model
        # (Every foreign key knows the field it refers to once its model is ready.)
        to_field = cast(models.Field, target._meta.get_field(cast(str, remote.field_name)))
        clean = to_field.to_python(value)
        if isinstance(page, model) and getattr(page, field.attname, None) == clean:
            continue
        if isinstance(page, target) and to_field.primary_key and clean == page.pk:
            continue  # a child object's key to this page
        yield target, to_field.name, clean
    for relation in get_all_child_relations(model):
        for child in data.get(relation.get_accessor_name(), None) or []:
            yield from _references(relation.related_model, child, page)


def _all_exist(page: Page, content: dict[str, Any]) -> bool:
    wanted: dict[tuple[Any, str], set[Any]] = defaultdict(set)
    for target, field_name, value in _references(type(page), content, page):
        wanted[(target, field_name)].add(value)
    for (target, field_name), values in wanted.items():
        found = set(target._default_manager.filter(**{f"{field_name}__in": values}).values_list(field_name, flat=True))
        if found != values:
            return False
    return True


def with_content(page: P, content: dict[str, Any]) -> P:
    """``page.with_content_json(content)`` in one query per model the content refers to (besides
    what Wagtail itself reads: the parent for the URL path, the open comments)."""
    if not _all_exist(page, content):
        return page.with_content_json(content)
    with _references_checked():
        return page.with_content_json(content)
