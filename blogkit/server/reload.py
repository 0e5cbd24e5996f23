"""Live reload: ``SiteState`` in, server-sent events and an injected client script out.

Each HTML response gets a small inline script (at serve time only; files on disk are never
touched) that opens an ``EventSource`` on ``EVENTS_PATH``. The server sends the current state on
connect and after every build: the generation (bumped by each successful build), whether only
stylesheets changed, and the problems of a failed build. The page reloads when the generation
differs from the one it was served with, swaps stylesheets in place for a CSS-only change, and
shows or hides the error overlay. The overlay is built with ``textContent``, so a message can
never inject markup. Because the state is sent on (re)connect, a page opened while the site is
broken shows the overlay at once, and a page that missed an event catches up.
"""
from __future__ import annotations

import json
import re
import threading
from typing import Any, Callable

from ..errors import Problem
from .rebuild import SiteState

EVENTS_PATH = "/__blogkit__/events"
PING_SECONDS = 15.0  # a comment line now and then lets a dead connection's thread find out and end


def state_payload(state: SiteState) -> dict[str, Any]:
    return {"generation": state.generation, "css": state.css_only,
            "problems": [problem_payload(p) for p in state.problems]}


def problem_payload(problem: Problem) -> dict[str, Any]:
    where = problem.where
    return {"path": where.path if where else None, "line": where.line if where else None,
            "message": problem.message, "hint": problem.hint}


class Broadcaster:
    """Holds the latest state; SSE handlers block in ``wait_change`` until it moves on."""

    def __init__(self, state: SiteState | None = None) -> None:
        self._cond = threading.Condition()
        self._state = state or SiteState()
        self._version = 0
        self._closed = False

    def publish(self, state: SiteState) -> None:
        with self._cond:
            self._state = state
            self._version += 1
            self._cond.notify_all()

    def snapshot(self) -> tuple[int, SiteState]:
        with self._cond:
            return self._version, self._state

    def wait_change(self, seen: int, timeout: float) -> tuple[int, SiteState] | None:
        """The next (version, state) after ``seen``; None on timeout or when closing."""
        with self._cond:
            self._cond.wait_for(lambda: self._version != seen or self._closed, timeout)
            if self._closed or self._version == seen:
                return None
            return self._version, self._state

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed


def stream_events(write: Callable[[bytes], None], broadcaster: Broadcaster, ping: float = PING_SECONDS) -> None:
    """Write the SSE stream until the client goes away or the server closes."""
    version, state = broadcaster.snapshot()
    write(b"retry: 500\n" + _event(state))
    while not broadcaster.closed:
        change = broadcaster.wait_change(version, ping)
        if change is None:
            if broadcaster.closed:
                return
            write(b": ping\n\n")  # raises once the browser has gone
            continue
        version, state = change
        write(_event(state))


def _event(state: SiteState) -> bytes:
    return b"event: state\ndata: " + json.dumps(state_payload(state)).encode() + b"\n\n"


_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def inject(html: bytes, generation: int) -> bytes:
    """Insert the client script before the last ``</body>`` (or at the end)."""
    script = CLIENT_SCRIPT.replace("__GENERATION__", str(int(generation))) \
        .replace("__EVENTS__", EVENTS_PATH).encode()
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + script
    at = matches[-1].start()
    return html[:at] + script + html[at:]


CLIENT_SCRIPT = """<script id="blogkit-live">(function () {
  var generation = __GENERATION__;
  var overlay = null;
  function el(tag, css, text) {
    var node = document.createElement(tag);
    if (css) node.style.cssText = css;
    if (text != null) node.textContent = text;
    return node;
  }
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(problems) {
    hide();
    overlay = el("div", "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.88);" +
      "color:#eee;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow:auto;padding:2em");
    overlay.id = "blogkit-error-overlay";
    overlay.setAttribute("role", "alert");
    var box = el("div", "max-width:60em;margin:0 auto;background:#1d1d22;border-top:4px solid #e5484d;" +
      "padding:1.2em 1.5em;border-radius:4px;box-shadow:0 4px 24px rgba(0,0,0,.5)");
    box.appendChild(el("h2", "margin:0 0 .3em;color:#ff6369;font-size:1.2em",
      "blogkit: build failed (" + problems.length + " error" + (problems.length === 1 ? "" : "s") + ")"));
    box.appendChild(el("p", "margin:0 0 1em;color:#aaa",
      "The last good version of the site is still served. This message goes away when the file is fixed."));
    problems.forEach(function (p) {
      var item = el("div", "margin:0 0 1em;padding:.6em .8em;background:#26262c;border-radius:3px");
      var where = p.path ? p.path + (p.line != null ? ":" + p.line : "") : "(site)";
      item.appendChild(el("div", "color:#7cc4ff;font-weight:bold", where));
      item.appendChild(el("div", "white-space:pre-wrap;color:#fff", p.message));
      if (p.hint) item.appendChild(el("div", "white-space:pre-wrap;color:#b5e48c", p.hint));
      box.appendChild(item);
    });
    var close = el("button", "margin-top:.5em;background:#333;color:#eee;border:1px solid #555;" +
      "padding:.3em 1em;cursor:pointer", "Dismiss");
    close.onclick = hide;
    box.appendChild(close);
    overlay.appendChild(box);
    (document.body || document.documentElement).appendChild(overlay);
  }
  function refreshCss(tag) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("blogkit", tag);
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = function () { link.remove(); };
      link.after(fresh);
    });
  }
  var source = new EventSource("__EVENTS__");
  source.addEventListener("state", function (e) {
    var s = JSON.parse(e.data);
    if (s.problems.length) show(s.problems); else hide();
    if (s.generation !== generation) {
      if (s.css && s.generation === generation + 1) { generation = s.generation; refreshCss(s.generation); }
      else if (!s.problems.length || s.generation > generation) { source.close(); location.reload(); }
    }
  });
  window.addEventListener("pagehide", function () { source.close(); });
})();</script>
"""
