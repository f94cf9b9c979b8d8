"""Steps of the browser journeys, shared so a journey can grow as features land (meetings and minutes,
private spaces) without repeating how a reader gets somewhere."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def open_home(page: Page, prefix: str = "") -> None:
    page.goto(f"{prefix}/")
    expect(page.locator("html")).to_have_attribute("lang", prefix.strip("/") or "nb")


def follow_main_menu(page: Page, title: str) -> None:
    page.get_by_role("navigation", name=re.compile("meny|menu", re.I)).get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def open_council(page: Page, council_title: str) -> None:
    """From the council index, open a council by its title."""
    page.get_by_role("link", name=council_title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(council_title)


def search_for(page: Page, words: str) -> None:
    """Search through the site's own search page, as a reader would: the menu, the field, the button."""
    page.get_by_role("navigation", name=re.compile("meny|menu", re.I)).get_by_role(
        "link", name=re.compile("^(Søk|Search)$")
    ).click()
    page.get_by_role("searchbox").fill(words)
    page.get_by_role("search").get_by_role("button").click()
    expect(page.locator("[data-search-count]")).to_be_visible()


def search_result_titles(page: Page) -> list[str]:
    return page.locator(".item-list .item__title a").all_inner_texts()


def open_search_result(page: Page, title: str) -> None:
    page.locator(".item-list .item__title").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def log_in(page: Page, username: str, password: str = "demo-passord-2026") -> None:  # noqa: S107 - demo password
    """Log in through the login form, as a person would; people whose sign-in needs a second factor
    (moderators, hearing owners, the admin) then type the code their app would show."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    if "/accounts/two-step/" in page.url:
        enter_second_factor(page, username)
    expect(page.locator(".site-tools form button[type=submit]")).to_be_visible()


def enter_second_factor(page: Page, username: str) -> None:
    from tests.helpers import demo_user, second_factor_code

    page.locator("#id_code").fill(second_factor_code(demo_user(username)))
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/two-step/" not in page.url, page.url


def log_out(page: Page) -> None:
    page.locator(".site-tools form button[type=submit]").click()
    expect(page.locator(".site-tools a[href*='/accounts/login/']")).to_be_visible()


def switch_language(page: Page, code: str) -> None:
    page.locator(f'nav.language-switcher a[hreflang="{code}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", code)
