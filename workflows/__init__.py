"""Workflow tasks, moderation and notifications for everything the portal publishes."""
