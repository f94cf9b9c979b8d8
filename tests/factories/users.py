"""People."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Iterator(["Kari", "Ola", "Ingrid", "Áilu", "Siri"])
    last_name = factory.Iterator(["Nordmann", "Hansen", "Berg", "Sara", "Lie"])
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("pw")
    is_active = True
