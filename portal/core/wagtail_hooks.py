"""Wagtail hooks of the core app."""

from wagtail import hooks

from .edit_conflicts import refuse_stale_save, warn_if_overtaken

# No lost work: a save from an editor loaded before a colleague's save is refused, text kept.
hooks.register("before_edit_page", refuse_stale_save)
hooks.register("after_edit_page", warn_if_overtaken)
