"""tools/serve_lite.py: the browser edition served as a static host serves it (caching headers, 304 answers)."""
from __future__ import annotations

import urllib.error
import urllib.request

from tools.serve_lite import serve


def _get(url: str, headers: dict | None = None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:    # urllib raises on 304 and 404
        return e.code, dict(e.headers), e.read()


def test_files_carry_a_static_hosts_caching_headers_and_unchanged_files_get_304(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "kernel.wasm").write_bytes(b"\0asm" + b"x" * 1000)
    (tmp_path / "index.html").write_text("<p>hi</p>")
    with serve(tmp_path) as base:
        status, headers, body = _get(base + "/static/kernel.wasm")
        assert status == 200 and len(body) == 1004
        assert headers["Content-type"] == "application/wasm"
        assert headers["Cache-Control"] == "max-age=600"               # as GitHub Pages
        etag = headers["ETag"]
        assert etag.startswith('"') and headers["Last-Modified"]
        status, headers, body = _get(base + "/static/kernel.wasm", {"If-None-Match": etag})
        assert (status, body, headers["ETag"]) == (304, b"", etag)
        status, _, body = _get(base + "/static/kernel.wasm", {"If-None-Match": '"something-else"'})
        assert status == 200 and len(body) == 1004
        status, headers, _ = _get(base + "/")                            # a folder: its index.html
        assert status == 200 and "ETag" in headers
        status, headers, _ = _get(base + "/missing.js")
        assert status == 404 and "ETag" not in headers and "Cache-Control" not in headers
        (tmp_path / "static" / "kernel.wasm").write_bytes(b"\0asm changed")   # a new build: a new ETag
        status, headers, body = _get(base + "/static/kernel.wasm", {"If-None-Match": etag})
        assert status == 200 and body == b"\0asm changed" and headers["ETag"] != etag


def test_a_host_that_makes_the_browser_ask_every_time(tmp_path):
    (tmp_path / "a.js").write_text("1")
    with serve(tmp_path, max_age=0) as base:
        assert _get(base + "/a.js")[1]["Cache-Control"] == "max-age=0"
