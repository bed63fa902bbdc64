"""Serve the browser edition (_build/lite) on 127.0.0.1 the way a static host does, caching headers included.

    python -m tools.serve_lite [_build/lite] [--port 8000]     # then open http://127.0.0.1:8000/

Used by tests/test_lite.py and tools/bench_lite.py, and handy to look at a build before publishing it. Standard
library only (it runs in .venv, .venv-lite or any Python 3).

What a static host sends decides what a returning learner downloads again. Like GitHub Pages, every response carries
`Cache-Control: max-age=600`, an `ETag` and `Last-Modified`, and a request with a matching `If-None-Match` (or an
unchanged `If-Modified-Since`) gets `304 Not Modified` with no body. So within ten minutes a warm visit is served
from the browser's cache without asking; later the browser asks again and gets 304s (one round trip per file, no
bytes). Python's plain `http.server` sends no Cache-Control and no ETag: browsers then guess a freshness from
Last-Modified, which for a site built minutes ago means asking again for almost everything. Hosts that answer with
`max-age=0, must-revalidate` (Netlify's default) behave like the "later" case on every visit: 304s, no bodies.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_AGE_S = 600      # GitHub Pages' value


class StaticHostHandler(http.server.SimpleHTTPRequestHandler):
    """http.server's file handler plus a static host's caching: Cache-Control, ETag, 304 on If-None-Match."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json"}
    max_age = MAX_AGE_S

    def log_message(self, *args) -> None:
        pass

    def _etag(self) -> str | None:
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return None            # http.server answers with a redirect to the folder
            path = os.path.join(path, "index.html")
        try:
            st = os.stat(path)
        except OSError:
            return None
        return f'"{st.st_mtime_ns:x}-{st.st_size:x}"'

    def send_head(self):
        self._cache_etag = self._etag()
        if self._cache_etag and self.headers.get("If-None-Match") in (self._cache_etag, f"W/{self._cache_etag}"):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.end_headers()
            return None
        return super().send_head()     # answers If-Modified-Since with 304 itself

    def end_headers(self) -> None:
        etag = getattr(self, "_cache_etag", None)
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", f"max-age={self.max_age}")
        super().end_headers()


@contextlib.contextmanager
def serve(site: Path, port: int = 0, max_age: int = MAX_AGE_S,
          handler: type[StaticHostHandler] = StaticHostHandler) -> Iterator[str]:
    """Serve site on 127.0.0.1 in a background thread (Cache-Control: max-age=max_age); yield its base URL."""
    handler = type(handler.__name__, (handler,), {"max_age": max_age})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", nargs="?", type=Path, default=ROOT / "_build" / "lite")
    ap.add_argument("--port", type=int, default=8000)
    args = ap.parse_args()
    with serve(args.site, args.port) as url:
        print(f"{args.site} at {url}/ (caching as on GitHub Pages: max-age={MAX_AGE_S}, ETag); Ctrl+C stops")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
