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


def _luminance(rgb: str) -> float:
    parts = [int(x) / 255 for x in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_focus_ring_has_3_to_1_contrast_against_what_is_behind_it(page, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((example_site / "index.html").resolve().as_uri())
    page.keyboard.press("Tab")  # keyboard use: :focus-visible applies from now on
    for selector, behind in (("main a", "body"), (".masthead button", ".masthead")):
        page.locator(selector).first.focus()
        ring = page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).outlineColor")
        style = page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).outlineStyle")
        assert style == "solid", f"{selector}: no visible focus ring"
        back = page.evaluate(f"getComputedStyle(document.querySelector({behind!r})).backgroundColor")
        assert _ratio(ring, back) >= 3, f"{selector}: ring {ring} on {back}"
