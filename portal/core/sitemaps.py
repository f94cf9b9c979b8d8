"""A sitemap of every public page in every language (Wagtail's own covers only the default one)."""

from django.contrib.auth.models import AnonymousUser
from wagtail.contrib.sitemaps import Sitemap

from portal.access.visibility import viewable_pages


class PublicPagesSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        roots = root.get_translations(inclusive=True)
        pages = None
        for translated_root in roots:
            subtree = translated_root.get_descendants(inclusive=True)
            pages = subtree if pages is None else pages | subtree
        return viewable_pages(AnonymousUser(), pages).order_by("path").defer_streamfields().specific()
