"""Accessibility checks with axe-core, from the npm registry (``npm ci`` puts it in node_modules/),
injected into the page by the test: the portal itself never loads it and no CDN is involved."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA (required of Norwegian public-sector sites) plus axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}


def serious_violations(page: Page) -> list[dict]:
    if not AXE.exists():
        raise AssertionError(f"axe-core is missing at {AXE}: run `make install` (it runs `npm ci`).")
    # Through the DevTools protocol rather than a <script> tag: the portal's Content-Security-Policy
    # (script-src 'self') rightly blocks inline scripts, and the test must not weaken it.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    return [violation for violation in result["violations"] if violation.get("impact") in BLOCKING]


def describe(violations: list[dict]) -> str:
    """One line per offending element: the rule, what it asks, and the element (selector and HTML)."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            html = node.get("html", "")[:200]
            lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} -> {target} :: {html}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = serious_violations(page)
    assert not violations, f"axe-core found serious or critical violations on {page.url}:\n{describe(violations)}"
