"""Headless Chromium over the DevTools protocol (``--remote-debugging-pipe``), no dependencies.

Used by the browser tests and ``relkit report --screenshot``-style tooling: open a file,
collect console errors and exceptions, evaluate JavaScript, take PNG screenshots.  The
pipe carries NUL-terminated JSON messages: the browser reads commands from fd 3 and
writes responses and events to fd 4.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["find_chromium", "Browser", "BrowserError", "CHROMIUM_FLAGS"]

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
)


class BrowserError(RuntimeError):
    """The browser could not be started, or a DevTools command failed or timed out."""


def find_chromium() -> str | None:
    """The Chromium executable: $RELKIT_CHROMIUM, else chromium / chromium-browser / google-chrome on PATH."""
    env = os.environ.get("RELKIT_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium with a fresh profile; use as a context manager."""

    def __init__(self, executable: str | None = None, *, width: int = 1280, height: int = 900, timeout: float = 60.0) -> None:
        self.executable = executable or find_chromium()
        if not self.executable:
            raise BrowserError("chromium not found (install Debian's chromium package, or set RELKIT_CHROMIUM)")
        self.width, self.height, self.timeout = width, height, timeout
        self._next_id = 0
        self._buffer = b""
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    # -- process ------------------------------------------------------------
    def __enter__(self) -> "Browser":
        self._profile = tempfile.mkdtemp(prefix="relkit-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Move the child's ends above 9 so wiring them to 3 and 4 cannot clobber them.
        to_browser_r, from_browser_w = (self._high_fd(fd) for fd in (to_browser_r, from_browser_w))

        def wire_fds() -> None:  # in the child: fd 3 = commands in, fd 4 = messages out
            os.dup2(to_browser_r, 3)  # dup2 leaves the copies inheritable; everything else is close-on-exec
            os.dup2(from_browser_w, 4)

        args = [self.executable, *CHROMIUM_FLAGS, f"--user-data-dir={self._profile}",
                f"--window-size={self.width},{self.height}", "--remote-debugging-pipe", "about:blank"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     preexec_fn=wire_fds, close_fds=False, start_new_session=True)
        os.close(to_browser_r)
        os.close(from_browser_w)
        try:
            target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.send(f"{domain}.enable", session=True)
            self.send("Emulation.setDeviceMetricsOverride",
                      {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False}, session=True)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    @staticmethod
    def _high_fd(fd: int) -> int:
        import fcntl

        high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(fd)
        return high

    def __exit__(self, *exc: Any) -> None:
        try:
            self._write({"id": self._new_id(), "method": "Browser.close"})
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self._profile, ignore_errors=True)

    # -- protocol -------------------------------------------------------------
    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _write(self, message: dict[str, Any]) -> None:
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")

    def _read(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("timed out waiting for the browser")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("the browser closed the pipe (did it crash?)")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: bool = False) -> dict[str, Any]:
        """Send one command and return its result; events met meanwhile are kept in ``events``."""
        mid = self._new_id()
        msg: dict[str, Any] = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        self._write(msg)
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == mid:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, method: str, timeout: float | None = None) -> dict[str, Any]:
        for i, ev in enumerate(self.events):
            if ev.get("method") == method:
                return self.events.pop(i)
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            ev = self._read(deadline)
            if ev.get("method") == method:
                return ev
            if "method" in ev:
                self.events.append(ev)

    # -- conveniences ------------------------------------------------------------
    def open(self, path: str | os.PathLike[str]) -> None:
        """Load a local file and wait for its load event."""
        url = Path(path).resolve().as_uri()
        self.send("Page.navigate", {"url": url}, session=True)
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str, *, await_promise: bool = False) -> Any:
        res = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": await_promise},
                        session=True)
        if "exceptionDetails" in res:
            raise BrowserError(f"evaluate: {res['exceptionDetails'].get('text')} {res['exceptionDetails'].get('exception', {}).get('description', '')}")
        return res.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.05)
        raise BrowserError(f"timed out waiting for {expression!r}")

    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads seen so far."""
        self.evaluate("0")  # drain pending events
        out = []
        for ev in self.events:
            m, p = ev.get("method"), ev.get("params", {})
            if m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                out.append(f"exception: {d.get('exception', {}).get('description') or d.get('text')}")
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append("console.error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(f"log: {p['entry'].get('text')} {p['entry'].get('url', '')}".strip())
        return out

    def requests(self) -> list[str]:
        """URLs of every request the page made so far (a self-contained page makes only its own)."""
        self.evaluate("0")
        return [ev["params"]["request"]["url"] for ev in self.events if ev.get("method") == "Network.requestWillBeSent"]

    def screenshot(self, path: str | os.PathLike[str], *, selector: str | None = None, full_page: bool = False) -> Path:
        """A PNG of the viewport, the whole page, or one element (scrolled into view)."""
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": bool(selector or full_page)}
        if selector is not None:
            rect = self.evaluate(
                "(() => { const e = document.querySelector(%s); if (!e) return null; e.scrollIntoView();"
                " const r = e.getBoundingClientRect();"
                " return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height}; })()"
                % json.dumps(selector))
            if not rect:
                raise BrowserError(f"no element matches {selector!r}")
            params["clip"] = {**rect, "scale": 1}
        elif full_page:
            size = self.evaluate("({width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight})")
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self.send("Page.captureScreenshot", params, session=True)["data"]
        out = Path(path)
        out.write_bytes(base64.b64decode(data))
        return out
