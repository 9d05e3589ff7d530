"""The development server: the built site with the MIME types and headers Pyodide needs,
as the embed guide's hosts serve it (`python3 build.py serve`, and the tests' server)."""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import SITE
from .compression import COMPRESSIBLE
from .csp import WASM_FILES, policies

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".zip": "application/zip",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}


def accepts(header: str) -> set[str]:
    """Content codings an Accept-Encoding header allows (q=0 refuses)."""
    out = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
        try:
            if float(q) > 0:
                out.add(name.strip().lower())
        except ValueError:
            continue
    return out


class SiteHandler(BaseHTTPRequestHandler):
    """Static files of server.root as the guide's hosts serve them (see make_server)."""

    protocol_version = "HTTP/1.1"

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head=False):
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        if self.server.origins_json is not None and path == "/embed/origins.json":
            return self._send(200, self.server.origins_json, ".json", '"origins-override"', head=head)
        target = self._resolve(path, url.query)
        if target is not None:
            self._send_file(target, head)
        return None

    def _resolve(self, path: str, query: str) -> Path | None:
        """The file for a URL path; a redirect for a directory without its slash; else 404 (also for
        a path no file can have: a NUL byte, a name too long). Never a listing, nothing outside root."""
        root, target = self.server.root, None
        try:
            found = (root / path.lstrip("/")).resolve()
            if found.is_relative_to(root) and found.is_dir() and not path.endswith("/"):
                rel = found.relative_to(root).as_posix()
                location = urllib.parse.quote("/" if rel == "." else f"/{rel}/") + (f"?{query}" if query else "")
                self.send_response(301)
                self.send_header("Location", location)  # rebuilt from the file's path: never //other.host/
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            found = found / "index.html" if found.is_dir() else found
            if found.is_relative_to(root) and found.is_file():
                target = found
        except (OSError, ValueError):
            pass
        if target is None:
            page = root / "404.html"
            body = page.read_bytes() if page.is_file() else b"not found"
            self._send(404, body, ".html", None, head=self.command == "HEAD")
        return target

    def _etag(self, path: Path) -> str:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
        etags = self.server.etags
        if key not in etags:  # the file is read only to hash it once, not on every request
            etags[key] = '"' + hashlib.sha256(path.read_bytes()).hexdigest()[:32] + '"'
        return etags[key]

    def _send_file(self, target: Path, head: bool) -> None:
        etag, coding, compressible = self._etag(target), None, target.name.endswith(COMPRESSIBLE)
        data = None
        if compressible:
            accepted = accepts(self.headers.get("Accept-Encoding", ""))
            for name, suffix in (("br", ".br"), ("gzip", ".gz")):
                sibling = Path(f"{target}{suffix}")
                # A sibling older than its file is stale (the file was edited after the build).
                if name in accepted and sibling.is_file() and sibling.stat().st_mtime_ns >= target.stat().st_mtime_ns:
                    data, coding, etag = sibling.read_bytes(), name, etag[:-1] + "-" + name + '"'
                    break
        if data is None:
            data = target.read_bytes()
        wasm = target.relative_to(self.server.root).as_posix() in WASM_FILES
        self._send(200, data, target.suffix, etag, coding, vary=compressible, head=head, wasm=wasm)

    def _send(self, status, body, suffix, etag, coding=None, vary=False, head=False, wasm=False):
        matches = etag and etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]
        self.send_response(304 if matches else status)
        self.send_header("Content-Type", MIME_TYPES.get(suffix, "application/octet-stream"))
        for name, value in (("ETag", etag), ("Content-Encoding", coding), ("Vary", vary and "Accept-Encoding")):
            if value:
                self.send_header(name, value)
        self.send_header("Content-Security-Policy", self.server.policies[wasm])
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Length", "0" if matches else str(len(body)))
        self.end_headers()
        if not matches and not head:
            self.wfile.write(body)
            with self.server.lock:
                self.server.sent.append((time.time(), len(body)))

    def log_message(self, *args):
        pass


def make_server(root: Path = SITE, host: str = "127.0.0.1", port: int = 8000, embed_origins: list[str] | None = None):
    """A threaded static server for `root` (port 0 picks a free port), as the guide's hosts serve it:
    the site's CSP (frame-ancestors from site.toml, or `embed_origins` when given, which is then
    also served as /embed/origins.json; 'wasm-unsafe-eval' only for csp.WASM_FILES), nosniff,
    precompressed files by Accept-Encoding, content-hash ETags (a rollback to older files is seen:
    no modification-time 304), no directory listings. `server.policies[wasm]` is the policy sent;
    `server.sent` logs (wall-clock time, body bytes) of each response (for the benchmark)."""
    server = ThreadingHTTPServer((host, port), SiteHandler)
    server.daemon_threads = True
    plain = server.handle_error

    def handle_error(request, address):
        # A browser closing a tab drops its connections: not worth a traceback in the console.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            plain(request, address)

    server.handle_error = handle_error
    server.root = Path(root).resolve()
    server.policies = policies(server.root, embed_origins)
    server.origins_json = json.dumps({"allowed": embed_origins}).encode() if embed_origins is not None else None
    server.etags = {}
    server.lock = threading.Lock()
    server.sent = []
    return server
