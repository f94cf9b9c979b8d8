"""Pages as an editor leaves them: created under their parent and published, so the publish signals
(private spaces, groups, search) run as they do on the site."""

from __future__ import annotations

import factory
import wagtail_factories


class PublishedPageFactory(wagtail_factories.PageFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def publish(page, create, extracted, **kwargs):
        if create:
            page.save_revision().publish()
