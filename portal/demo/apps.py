"""Demo content kept apart from the apps it fills: the top layer, which may use every app and which
no app may use."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "portal.demo"
    label = "demo"
    verbose_name = "Demo content"
