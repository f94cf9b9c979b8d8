"""Factories (factory_boy, wagtail-factories) for building exactly what a test needs, instead of
looking up demo content: a test that makes its own organisation and members says what it relies on.
One module per app, mirroring portal/."""
