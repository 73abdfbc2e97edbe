"""Drive Debian's Firefox ESR over WebDriver BiDi (built into Firefox; no geckodriver).

Why not Playwright: its `firefox` browser speaks Juggler, a protocol only Playwright's own
patched Firefox has (Debian's firefox-esr starts and exits at once), and its `moz-firefox`
channel (BiDi) sends `emulation.setMediaFeaturesOverride` on every new context, which
Firefox ESR 153 does not know ("unknown command"). Selenium would need geckodriver, which
Debian 12 does not package. So this is the small client the tests need: start Firefox
headless with `--remote-debugging-port`, open a BiDi session over a WebSocket, navigate,
evaluate scripts and click with real pointer input."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

FIREFOX = "/usr/bin/firefox-esr"
PREFS = {
    "browser.shell.checkDefaultBrowser": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "browser.startup.homepage_override.mstone": "ignore",
    "network.captive-portal-service.enabled": False,
    "extensions.update.enabled": False,
    "browser.safebrowsing.update.enabled": False,
}


class BiDiError(RuntimeError):
    pass


class Firefox:
    """One headless Firefox with a fresh profile and one tab (its top-level browsing context)."""

    def __init__(self, executable: str = FIREFOX, width: int = 1280, height: int = 900,
                 prefs: dict[str, Any] | None = None) -> None:
        import websocket  # websocket-client, pinned in the test extras

        self.profile = Path(tempfile.mkdtemp(prefix="gongkai-firefox-"))
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in {**PREFS, **(prefs or {})}.items()),
            encoding="utf-8")
        self.proc = subprocess.Popen(
            [executable, "--headless", "--no-remote", "--profile", str(self.profile), "--remote-debugging-port", "0",
             f"--width={width}", f"--height={height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url = self._endpoint()
        self.ws = websocket.create_connection(url + "/session", timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.send("session.new", {"capabilities": {}})
        tree = self.send("browsingContext.getTree", {})
        self.context = tree["contexts"][0]["context"]

    def _endpoint(self) -> str:
        assert self.proc.stderr is not None
        deadline = time.monotonic() + 60
        seen = []
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                break
            seen.append(line)
            found = re.search(r"WebDriver BiDi listening on (ws://\S+)", line)
            if found:
                return found.group(1)
        self.close()
        raise BiDiError("Firefox did not start its WebDriver BiDi server:\n" + "".join(seen[-20:]))

    def send(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        number = next(self.ids)
        self.ws.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") != number:
                continue  # an event
            if message.get("type") == "error":
                raise BiDiError(f"{method}: {message.get('error')}: {message.get('message')}")
            return message["result"]  # type: ignore[no-any-return]

    def goto(self, url: str) -> None:
        self.send("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited), as JSON."""
        result = self.send("script.evaluate", {
            "expression": f"(async () => JSON.stringify(await ({expression})))()", "awaitPromise": True,
            "target": {"context": self.context}, "resultOwnership": "none"})
        if result.get("type") == "exception":
            raise BiDiError(f"{expression}: {result['exceptionDetails'].get('text')}")
        value = result["result"]
        return None if value.get("type") == "undefined" else json.loads(value["value"])

    def wait_for(self, expression: str, timeout: float = 20) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except BiDiError:  # the page is being replaced: ask again
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise BiDiError(f"timed out waiting for {expression}")
            time.sleep(0.1)

    def click(self, selector: str) -> None:
        """A real pointer click in the middle of the first element matching `selector`."""
        box = self.evaluate(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect();
            return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)]; }})()""")
        self.send("input.performActions", {"context": self.context, "actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
                {"type": "pointerMove", "x": box[0], "y": box[1]},
                {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]}]})

    def type_text(self, text: str) -> None:
        keys = [a for ch in text for a in ({"type": "keyDown", "value": ch}, {"type": "keyUp", "value": ch})]
        self.send("input.performActions", {"context": self.context, "actions": [
            {"type": "key", "id": "keyboard", "actions": keys}]})

    def close(self) -> None:
        try:
            if getattr(self, "ws", None) is not None:
                with contextlib.suppress(Exception):  # the browser may already be gone
                    self.send("browser.close", {})
                self.ws.close()
        finally:
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            shutil.rmtree(self.profile, ignore_errors=True)
