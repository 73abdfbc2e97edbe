"""Reading-settings buttons are announced the way they look (WCAG 2.5.3) and report their
state on the button itself, also when the setting was remembered from an earlier page."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_setting_buttons_name_contains_visible_text_and_state_is_on_the_button(page, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((example_site / "index.html").resolve().as_uri())
    for button in page.locator(".tools button").all():
        visible = button.inner_text().strip()
        name = button.get_attribute("aria-label") or visible
        assert name.startswith(visible), f"accessible name {name!r} lacks visible {visible!r}"
    page.get_by_role("button", name="高对比度").click()
    page.reload()  # high contrast now remembered
    assert page.locator("html").get_attribute("data-contrast") == "high"
    assert page.locator("html").get_attribute("aria-pressed") is None
    assert page.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"
