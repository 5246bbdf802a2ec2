#!/usr/bin/env python3
"""A local HTTP/1.1 test server for salvo's end-to-end tests.

Usage:
    server.py --port-file FILE [--log FILE]   serve on 127.0.0.1, port 0
    server.py --tls-cert CERT --tls-key KEY --port-file FILE [--log FILE]
                                              the same, over HTTPS
    server.py --body N [SEED]                 print the body for (N, SEED)

Endpoints (any path may carry extra trailing segments, so a test chooses
the URL's last segment, i.e. the output file name):
    /bytes/N       N deterministic bytes (query seed=S); Range supported,
                   norange=1 ignores Range
    /status/CODE   answer CODE with the body "error CODE\\n"
    /redirect      redirect to the url-decoded to= (code=302 by default)
    /loop          302 to its own path and query: an endless redirect loop
    /barrier/K     wait until K requests of group= wait at once (cyclic),
                   then answer size= bytes (default 16); after timeout= ms
                   (default 10000) answer 503 and count a barrier timeout
    /stats         JSON counters (not counted themselves)
    /body/N        what /bytes/N serves (seed=S), for tests; not counted
    /reset         zero the counters
    /held/NAME     how many requests wait at gate NAME now (see hold=);
                   not counted
    /release/NAME  open gate NAME: its waiting and later requests go on;
                   not counted
Query parameters valid everywhere: retry_after=V, fail=K (the first K
requests for this path+query answer fail_status=CODE, default 503),
cd=VALUE (a Content-Disposition), close=1, and these faults:
    delay=MS       wait MS before answering
    truncate=B     send only B body bytes, then close; with stall=MS,
                   sleep MS after the B bytes before closing
    stall=MS       (without truncate) send the headers and the first
                   stall_at=B body bytes (default 0), sleep MS, send the rest
    drip=MS        send the body in 1024-byte pieces, MS apart
    etag=V, lm=T   (on /bytes) send ETag "V" and Last-Modified T (epoch
                   seconds); a matching If-None-Match, else an
                   If-Modified-Since not before T, gets a 304
    range_shift=D  answer a Range "bytes=A-" with a 206 from A+D (clamped
                   to the body), with a truthful Content-Range
    hold=NAME      send the headers and the first hold_at=B body bytes
                   (default 0), then wait until /release/NAME (at most
                   hold_timeout=MS, default 60000), then send the rest
    faulty=K       the faults above apply only to the first K requests for
                   this exact path+query (default: to every request)
    lie=MODE       /bytes/N answers with a 206 that lies. To a Range
                   "bytes=A-": cap (206 A-(A+C-1)/N with those C bytes,
                   cap=C, default 10), whole (the right Content-Range
                   A-(N-1)/N, but the whole N-byte body from byte 0) or
                   total (206 A-(2N-1)/2N: another length). To a request
                   without Range: partial (206 (N/2)-(N-1)/N, those bytes)
    lies=K         only the first K requests that lie= applies to (per
                   path+query) lie; later ones are honest
    big_header=B   add one response header line of B bytes
Each counted request is logged as one JSON line: method, path (with
query), range, headers, conn, t (time.time()).
Only the Python standard library is used.
"""

import argparse
import email.utils
import http.server
import json
import os
import re
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.parse

CHUNK = 65536

# Byte i of the body with seed S is
#     (7*i + (i >> 8) + 13*S + 3*(i >> 16) + 5*(i >> 24)) % 256.
# Within one aligned 64 KiB chunk c this is a fixed pattern shifted in value
# by (13*S + 3*c + 5*(c >> 8)) % 256, so each chunk is one bytes.translate()
# of a cached block: fast, streamed, and not periodic at 64 KiB.
_BASE = bytes((7 * j + (j >> 8)) % 256 for j in range(CHUNK))
_SHIFT = [bytes((b + k) % 256 for b in range(256)) for k in range(256)]


def body_chunk(c, seed):
    """The c-th aligned 64 KiB chunk of the (infinite) body for seed."""
    k = (13 * seed + 3 * c + 5 * (c >> 8)) % 256
    return _BASE.translate(_SHIFT[k])


def body_range(start, end, seed):
    """Yield the bytes [start, end) of the body for seed, in <= 64 KiB."""
    pos = start
    while pos < end:
        c = pos // CHUNK
        off = pos - c * CHUNK
        n = min(CHUNK - off, end - pos)
        chunk = body_chunk(c, seed)
        yield chunk[off:off + n]
        pos += n


class Stats:
    """Counters shown by /stats, all under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.conn_ids = 0  # never reset: connection ids in the log
        self.reset_epoch = 0
        self.inflight = 0
        self.zero()

    def zero(self):
        """Zero the counters; the caller holds the lock (or is __init__)."""
        self.reset_epoch += 1
        self.requests = 0
        self.connections = 0
        # inflight is the present, not a count: a reset keeps it.
        self.max_inflight = self.inflight
        self.barrier_timeouts = 0

    def snapshot(self):
        with self.lock:
            return {
                "requests": self.requests,
                "connections": self.connections,
                "inflight": self.inflight,
                "max_inflight": self.max_inflight,
                "barrier_timeouts": self.barrier_timeouts,
            }


class Barrier:
    """Cyclic barriers by group name, with a generation counter."""

    def __init__(self):
        self.cond = threading.Condition()
        self.waiting = {}
        self.generation = {}

    def wait(self, group, k, timeout):
        """True when k requests of group met, False after timeout secs."""
        with self.cond:
            gen = self.generation.get(group, 0)
            self.waiting[group] = self.waiting.get(group, 0) + 1
            if self.waiting[group] >= k:
                self.waiting[group] = 0
                self.generation[group] = gen + 1
                self.cond.notify_all()
                return True
            released = self.cond.wait_for(
                lambda: self.generation.get(group, 0) != gen, timeout)
            if not released:
                self.waiting[group] -= 1
            return released


class Gates:
    """Named gates that requests wait at until a test opens them."""

    def __init__(self):
        self.cond = threading.Condition()
        self.opened = set()
        self.waiting = {}

    def wait(self, name, timeout):
        with self.cond:
            self.waiting[name] = self.waiting.get(name, 0) + 1
            self.cond.notify_all()
            self.cond.wait_for(lambda: name in self.opened, timeout)
            self.waiting[name] -= 1

    def release(self, name):
        with self.cond:
            self.opened.add(name)
            self.cond.notify_all()

    def held(self, name):
        with self.cond:
            return self.waiting.get(name, 0)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, addr, handler, log_path=None):
        super().__init__(addr, handler)
        self.stats = Stats()
        self.barrier = Barrier()
        self.gates = Gates()
        self.fail_lock = threading.Lock()
        self.fail_counts = {}
        self.faulty_counts = {}
        self.lie_counts = {}
        self.log_lock = threading.Lock()
        self.log_file = open(log_path, "a") if log_path else None

    def log_request_line(self, record):
        if self.log_file is None:
            return
        line = json.dumps(record)
        with self.log_lock:
            self.log_file.write(line + "\n")
            self.log_file.flush()

    def handle_error(self, request, client_address):
        # A client that goes away is normal in these tests: stay quiet.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, socket.timeout, OSError)):
            return
        super().handle_error(request, client_address)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "salvo-test-server"
    sys_version = ""
    timeout = 300  # idle keep-alive connections go away eventually

    # --- plumbing -------------------------------------------------------

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            # The listening socket does not handshake (that would block
            # accept() on one slow client): each connection does it here.
            # A client that rejects the certificate fails this quietly
            # (Server.handle_error ignores OSError, ssl.SSLError included).
            self.request.settimeout(self.timeout)
            self.request.do_handshake()
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY,
                                       1)
        except OSError:
            pass
        st = self.server.stats
        with st.lock:
            st.conn_ids += 1
            self.conn_id = st.conn_ids
        self.counted_epoch = -1

    def handle(self):
        try:
            super().handle()
        except (ConnectionError, socket.timeout, OSError):
            self.close_connection = True

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.dispatch()

    def do_HEAD(self):
        self.dispatch()

    def begin(self):
        """Count this request as started (in flight)."""
        st = self.server.stats
        with st.lock:
            if self.counted_epoch != st.reset_epoch:
                # A connection counts once it carries a counted request
                # (since the last /reset): /stats pollers do not count.
                st.connections += 1
                self.counted_epoch = st.reset_epoch
            st.requests += 1
            st.inflight += 1
            if st.inflight > st.max_inflight:
                st.max_inflight = st.inflight
        self.inflight = True

    def end(self):
        """Count this request as finished; idempotent.

        Called just before the last write of a response, so that a client
        which has seen a full response and starts its next request can
        never make two requests look simultaneous."""
        if not self.inflight:
            return
        self.inflight = False
        st = self.server.stats
        with st.lock:
            st.inflight -= 1

    def send_all(self, status, headers, body_iter=(), truncate=None,
                 stall_ms=0):
        """Write status line, headers and body (an iterable of bytes).

        truncate=B sends only B body bytes and closes (after stall_ms).
        Without truncate, stall_ms > 0 sleeps after the headers and the
        first self.stall_at body bytes.  self.drip_ms > 0 sends the body
        in DRIP-byte pieces, drip_ms apart."""
        reason = self.responses.get(status, ("Status",))[0]
        lines = ["HTTP/1.1 %d %s" % (status, reason),
                 "Server: " + self.server_version,
                 "Date: " + self.date_time_string()]
        for name, value in headers:
            lines.append("%s: %s" % (name, value))
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        if self.command == "HEAD":
            body_iter = ()
        stream = self.limit(body_iter, truncate)
        if stall_ms > 0 and truncate is None:
            stream = self.split_at(stream, self.stall_at, stall_ms / 1000.0)
        if self.drip_ms > 0:
            stream = self.dripped(stream, self.drip_ms / 1000.0)
        if truncate is not None and stall_ms > 0:
            stream = self.then_sleep(stream, stall_ms / 1000.0)
        if self.hold is not None:
            stream = self.held_at(stream, self.hold_at, self.hold)
        # Body pieces are bytes; a float is a pause (the bytes so far are
        # sent first).  The head goes out with the first body piece: one
        # small write, not two (no Nagle / delayed-ACK stall on keep-alive
        # requests).
        pending = head
        merge = True
        for item in stream:
            if isinstance(item, float) or callable(item):
                if pending:
                    self.wfile.write(pending)
                self.wfile.flush()
                pending = b""
                merge = True
                if callable(item):
                    item()
                else:
                    time.sleep(item)
                continue
            if merge:
                pending += item
                merge = False
                continue
            self.wfile.write(pending)
            pending = item
        self.end()
        if pending:
            self.wfile.write(pending)
        self.wfile.flush()

    @staticmethod
    def limit(body_iter, truncate):
        if truncate is None:
            yield from body_iter
            return
        left = truncate
        for piece in body_iter:
            if left <= 0:
                return
            piece = piece[:left]
            left -= len(piece)
            yield piece

    @staticmethod
    def split_at(stream, at, secs):
        """The pieces of stream, with the pause secs after byte at."""
        left = max(0, at)
        paused = False
        for piece in stream:
            if not paused and len(piece) >= left:
                if left > 0:
                    yield piece[:left]
                yield secs
                paused = True
                piece = piece[left:]
                if not piece:
                    continue
            elif not paused:
                left -= len(piece)
            yield piece
        if not paused:
            yield secs

    DRIP = 1024

    @classmethod
    def dripped(cls, stream, secs):
        """stream in DRIP-byte pieces with the pause secs between them."""
        first = True
        for piece in stream:
            if isinstance(piece, float):
                yield piece
                continue
            for i in range(0, len(piece), cls.DRIP):
                if not first:
                    yield secs
                first = False
                yield piece[i:i + cls.DRIP]

    def held_at(self, stream, at, gate):
        """The pieces of stream, waiting at the gate after byte at."""
        name, timeout = gate

        def wait():
            self.server.gates.wait(name, timeout)

        left = max(0, at)
        waited = False
        for piece in stream:
            if waited or isinstance(piece, float):
                yield piece
                continue
            if len(piece) >= left:
                if left > 0:
                    yield piece[:left]
                yield wait
                waited = True
                piece = piece[left:]
                if piece:
                    yield piece
                continue
            left -= len(piece)
            yield piece
        if not waited:
            yield wait

    @staticmethod
    def then_sleep(stream, secs):
        yield from stream
        yield secs

    # --- request handling -------------------------------------------------

    def dispatch(self):
        self.inflight = False
        self.stall_at = 0
        self.drip_ms = 0
        self.range_shift = 0
        self.hold = None
        self.hold_at = 0
        url = urllib.parse.urlsplit(self.path)
        segs = [s for s in url.path.split("/") if s != ""]
        q = {k: v[-1] for k, v in
             urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
        head = segs[0] if segs else ""
        if head == "stats":
            body = (json.dumps(self.server.stats.snapshot()) + "\n").encode()
            self.send_all(200, [("Content-Type", "application/json"),
                                ("Content-Length", str(len(body)))], [body])
            return
        if head == "body" and len(segs) > 1 and segs[1].isdigit():
            # The expected bytes for a test, like --body: not counted.
            n = int(segs[1])
            seed = self.int_param(q, "seed", 0)
            self.send_all(200, [("Content-Type", "application/octet-stream"),
                                ("Content-Length", str(n))],
                          body_range(0, n, seed))
            return
        if head in ("held", "release") and len(segs) > 1:
            gates = self.server.gates
            if head == "release":
                gates.release(segs[1])
                body = b"released\n"
            else:
                body = b"%d\n" % gates.held(segs[1])
            self.send_all(200, [("Content-Length", str(len(body)))], [body])
            return
        if head == "reset":
            st = self.server.stats
            with st.lock:
                st.zero()
            with self.server.fail_lock:
                self.server.fail_counts.clear()
                self.server.faulty_counts.clear()
                self.server.lie_counts.clear()
            body = b"reset\n"
            self.send_all(200, [("Content-Length", str(len(body)))], [body])
            return
        self.begin()
        try:
            self.server.log_request_line({
                "method": self.command,
                "path": self.path,
                "range": self.headers.get("Range"),
                "headers": self.header_dict(),
                "conn": self.conn_id,
                "t": time.time(),
            })
            self.serve(segs, q)
        except (ConnectionError, socket.timeout, OSError):
            self.close_connection = True
        finally:
            self.end()

    def header_dict(self):
        d = {}
        for name, value in self.headers.items():
            d[name] = d[name] + ", " + value if name in d else value
        return d

    def serve(self, segs, q):
        opts = self.common_options(q)
        if opts is None:
            return
        extra, truncate, stall, delay = opts
        if delay > 0:
            time.sleep(delay / 1000.0)

        fail = self.int_param(q, "fail", 0)
        if fail > 0:
            with self.server.fail_lock:
                seen = self.server.fail_counts.get(self.path, 0)
                self.server.fail_counts[self.path] = seen + 1
            if seen < fail:
                code = self.int_param(q, "fail_status", 503)
                self.simple(code, b"fail\n", extra, truncate, stall)
                return

        head = segs[0] if segs else ""
        arg = segs[1] if len(segs) > 1 else None
        if head == "bytes" and arg is not None and arg.isdigit():
            self.serve_bytes(int(arg), q, extra, truncate, stall)
        elif head == "status" and arg is not None and arg.isdigit():
            code = int(arg)
            self.simple(code, b"error %d\n" % code, extra, truncate, stall)
        elif head == "redirect" and "to" in q:
            code = self.int_param(q, "code", 302)
            extra.append(("Location", q["to"]))
            self.simple(code, b"redirect\n", extra, truncate, stall)
        elif head == "barrier" and arg is not None and arg.isdigit():
            self.serve_barrier(int(arg), q, extra, truncate, stall)
        elif head == "loop":
            extra.append(("Location", self.path))
            self.simple(302, b"loop\n", extra, truncate, stall)
        else:
            self.simple(404, b"not found\n", extra, truncate, stall)

    def common_options(self, q):
        """Headers and faults shared by every endpoint.

        Returns (extra headers, truncate, stall, delay); sets stall_at,
        drip_ms and range_shift on self."""
        extra = []
        if "retry_after" in q:
            extra.append(("Retry-After", q["retry_after"]))
        if "cd" in q:
            extra.append(("Content-Disposition", q["cd"]))
        if q.get("close") == "1":
            self.close_connection = True
        if "big_header" in q:
            extra.append(("X-Big", "b" * self.int_param(q, "big_header", 0)))
        truncate = None
        stall = delay = 0
        if not self.faults_apply(q):
            return extra, truncate, stall, delay
        if "truncate" in q:
            truncate = self.int_param(q, "truncate", 0)
            self.close_connection = True
        stall = self.int_param(q, "stall", 0)
        delay = self.int_param(q, "delay", 0)
        self.stall_at = self.int_param(q, "stall_at", 0)
        self.drip_ms = self.int_param(q, "drip", 0)
        self.range_shift = self.int_param(q, "range_shift", 0)
        if "hold" in q:
            self.hold = (q["hold"],
                         self.int_param(q, "hold_timeout", 60000) / 1000.0)
            self.hold_at = self.int_param(q, "hold_at", 0)
        return extra, truncate, stall, delay

    def faults_apply(self, q):
        """With faulty=K, only the first K requests for this path+query."""
        if "faulty" not in q:
            return True
        k = self.int_param(q, "faulty", 0)
        with self.server.fail_lock:
            seen = self.server.faulty_counts.get(self.path, 0)
            self.server.faulty_counts[self.path] = seen + 1
        return seen < k

    @staticmethod
    def int_param(q, name, default):
        try:
            return int(q.get(name, default))
        except ValueError:
            return default

    def simple(self, code, body, extra, truncate, stall):
        if code < 200 or code in (204, 304):
            body = b""
        headers = [("Content-Type", "text/plain")]
        if code >= 200 and code not in (204, 304):
            headers.append(("Content-Length", str(len(body))))
        self.send_all(code, headers + extra, [body], truncate, stall)

    def serve_bytes(self, n, q, extra, truncate, stall):
        seed = self.int_param(q, "seed", 0)
        headers = [("Content-Type", "application/octet-stream"),
                   ("Accept-Ranges", "bytes")]
        rng = None if q.get("norange") == "1" else self.headers.get("Range")
        span = self.parse_range(rng, n) if rng else None
        if self.validators(q, headers, extra):
            return
        if self.lie(q, rng, n, seed, headers, extra, truncate, stall):
            return
        if span == "unsatisfiable":
            headers += [("Content-Range", "bytes */%d" % n),
                        ("Content-Length", "0")]
            self.send_all(416, headers + extra, (), truncate, stall)
            return
        if span is None:
            headers.append(("Content-Length", str(n)))
            self.send_all(200, headers + extra, body_range(0, n, seed),
                          truncate, stall)
            return
        a, b = span
        if self.range_shift and re.fullmatch(r"\s*bytes=\s*\d+\s*-\s*",
                                             rng):
            # A server that resumes somewhere else than asked, and says so.
            a = min(max(0, a + self.range_shift), n - 1)
            b = n - 1
        headers += [("Content-Range", "bytes %d-%d/%d" % (a, b, n)),
                    ("Content-Length", str(b - a + 1))]
        self.send_all(206, headers + extra, body_range(a, b + 1, seed),
                      truncate, stall)

    def validators(self, q, headers, extra):
        """etag=V, lm=EPOCH: send ETag "V" and Last-Modified, and answer a
        matching If-None-Match (else an If-Modified-Since not older than
        lm) with 304.  True when the 304 went out."""
        etag, lm = q.get("etag"), q.get("lm")
        if etag is not None:
            headers.append(("ETag", '"%s"' % etag))
        if lm is not None:
            headers.append(("Last-Modified",
                            email.utils.formatdate(int(lm), usegmt=True)))
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is not None:
            same = etag is not None and any(
                t.strip() in ('"%s"' % etag, "*") for t in inm.split(","))
        elif ims is not None and lm is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                since = None
            same = since is not None and int(lm) <= since
        else:
            same = False
        if same:
            self.send_all(304, headers + extra, ())
        return same

    def lie(self, q, rng, n, seed, headers, extra, truncate, stall):
        """lie=MODE: answer with a lying 206; False when it does not apply."""
        mode = q.get("lie")
        m = re.fullmatch(r"\s*bytes=\s*(\d+)\s*-\s*", rng or "")
        if mode not in ("cap", "whole", "total", "partial") or \
                (mode == "partial") != (rng is None) or \
                (mode != "partial" and not m):
            return False
        if "lies" in q:
            with self.server.fail_lock:
                seen = self.server.lie_counts.get(self.path, 0)
                self.server.lie_counts[self.path] = seen + 1
            if seen >= self.int_param(q, "lies", 0):
                return False
        a = int(m.group(1)) if m else n // 2
        if mode == "cap":
            last = min(a + self.int_param(q, "cap", 10), n) - 1
            span, body = (a, last, n), body_range(a, last + 1, seed)
            length = last - a + 1
        elif mode == "whole":
            span, body, length = (a, n - 1, n), body_range(0, n, seed), n
        elif mode == "total":
            span, body = (a, 2 * n - 1, 2 * n), body_range(a, 2 * n, seed)
            length = 2 * n - a
        else:
            span, body, length = (a, n - 1, n), body_range(a, n, seed), n - a
        headers += [("Content-Range", "bytes %d-%d/%d" % span),
                    ("Content-Length", str(length))]
        self.send_all(206, headers + extra, body, truncate, stall)
        return True

    @staticmethod
    def parse_range(value, n):
        """(first, last) inclusive, "unsatisfiable", or None to ignore."""
        value = value.strip()
        if not value.startswith("bytes=") or "," in value:
            return None
        spec = value[len("bytes="):].strip()
        first, sep, last = spec.partition("-")
        first, last = first.strip(), last.strip()
        if not sep or (first and not first.isdigit()) or \
                (last and not last.isdigit()):
            return None
        if not first:  # suffix: the last `last` bytes
            if not last:
                return None
            k = int(last)
            if k == 0 or n == 0:
                return "unsatisfiable"
            return (max(0, n - k), n - 1)
        a = int(first)
        if a >= n:
            return "unsatisfiable"
        b = n - 1 if not last else min(int(last), n - 1)
        if b < a:
            return None
        return (a, b)

    def serve_barrier(self, k, q, extra, truncate, stall):
        group = q.get("group", "default")
        timeout = self.int_param(q, "timeout", 10000) / 1000.0
        size = self.int_param(q, "size", 16)
        seed = self.int_param(q, "seed", 0)
        if not self.server.barrier.wait(group, k, timeout):
            st = self.server.stats
            with st.lock:
                st.barrier_timeouts += 1
            self.simple(503, b"barrier timeout\n", extra, truncate, stall)
            return
        headers = [("Content-Type", "application/octet-stream"),
                   ("Content-Length", str(size))]
        self.send_all(200, headers + extra, body_range(0, size, seed),
                      truncate, stall)


def write_body(n, seed):
    out = sys.stdout.buffer
    for piece in body_range(0, n, seed):
        out.write(piece)
    out.flush()


def serve(port_file, log_path, tls_cert=None, tls_key=None):
    server = Server(("127.0.0.1", 0), Handler, log_path)
    if tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls_cert, tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)
    port = server.server_address[1]
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, port_file)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    except SystemExit:
        pass
    finally:
        server.server_close()
    return 0


def main(argv):
    p = argparse.ArgumentParser(description="salvo's local test server")
    p.add_argument("--port-file")
    p.add_argument("--log")
    p.add_argument("--tls-cert", help="serve HTTPS with this certificate")
    p.add_argument("--tls-key", help="the private key for --tls-cert")
    p.add_argument("--body", nargs="+", metavar=("N", "SEED"))
    args = p.parse_args(argv)
    if args.body:
        if len(args.body) > 2:
            p.error("--body takes N and an optional SEED")
        seed = int(args.body[1]) if len(args.body) > 1 else 0
        write_body(int(args.body[0]), seed)
        return 0
    if not args.port_file:
        p.error("--port-file or --body is required")
    if bool(args.tls_cert) != bool(args.tls_key):
        p.error("--tls-cert and --tls-key go together")
    return serve(args.port_file, args.log, args.tls_cert, args.tls_key)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        sys.exit(0)
