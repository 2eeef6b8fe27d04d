"""Helpers for the page tests: read the page's state, move to a fragment."""

from __future__ import annotations

import json


def page_state(driver) -> dict:
    return json.loads(driver.execute_script(
        "return document.getElementById('riskscore-state').textContent"))


def go_to_fragment(driver, fragment: str) -> dict:
    """Set the page's fragment (no reload) and return the state once the page has re-scored."""
    return json.loads(driver.execute_async_script("""
        var done = arguments[arguments.length - 1];
        function read() { done(document.getElementById('riskscore-state').textContent); }
        if (location.hash === arguments[0]) { read(); return; }
        window.addEventListener('hashchange', function h() {
            window.removeEventListener('hashchange', h);
            setTimeout(read, 0);
        });
        location.hash = arguments[0];
    """, fragment))


def wait_for_state(driver, predicate, timeout: float = 5.0) -> dict:
    """The page's state once ``predicate(state)`` holds (the page re-scores on hashchange)."""
    from selenium.webdriver.support.ui import WebDriverWait

    def ready(d):
        state = page_state(d)
        return state if predicate(state) else False

    return WebDriverWait(driver, timeout).until(ready)
