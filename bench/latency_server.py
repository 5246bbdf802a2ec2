#!/usr/bin/env python3
"""A keep-alive HTTP/1.1 server for the latency workload of bench.py.

Every GET sleeps DELAY seconds (50 ms by default) and then answers with a
64-byte body: the hex sha256 of the request path, so a file saved under
the wrong name is caught by the verification. Each accepted TCP
connection is logged as one line in --conn-log, which bench.py slices per
run to count the connections a tool opened (the kernel here has no
netem, so the latency is made at the server).

Python 3 standard library only.
"""
import argparse
import hashlib
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def body_for(path):
    return hashlib.sha256(path.encode()).hexdigest().encode()


class Handler(BaseHTTPRequestHandler):
    """A lean keep-alive handler: the stock parser (email.parser for the
    headers) costs about a millisecond a request on a slow VM, which the
    50 concurrent requests of one round would pay one after another under
    the GIL. The 50 ms are counted from the arrival of the request line,
    so what parsing remains is inside the delay, not added to it."""
    protocol_version = "HTTP/1.1"
    # One write per response and no Nagle: a split header/body write
    # would meet the client's delayed ACK and add 40 ms.
    disable_nagle_algorithm = True

    def handle_one_request(self):
        rfile = self.rfile
        line = rfile.readline(65537)
        if not line:
            self.close_connection = True
            return
        t0 = time.monotonic()
        parts = line.split()
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
            self.close_connection = True
            return
        method, target, version = parts
        close = version == b"HTTP/1.0"
        length = 0
        while True:
            h = rfile.readline(65537)
            if h in (b"\r\n", b"\n", b""):
                break
            name, _, value = h.partition(b":")
            name = name.strip().lower()
            if name == b"connection":
                v = value.strip().lower()
                if v == b"close":
                    close = True
                elif v == b"keep-alive":
                    close = False
            elif name == b"content-length":
                length = int(value.strip() or 0)
        if length:
            rfile.read(length)
        path = target.split(b"?", 1)[0].decode("latin-1")
        body = body_for(path)
        # wget2 1.99.1 closes the connection unless the response says
        # keep-alive (nginx always does).
        head = ("HTTP/1.1 200 OK\r\n"
                "Content-Type: application/octet-stream\r\n"
                "Content-Length: %d\r\n"
                "Connection: %s\r\n"
                "\r\n" % (len(body), "close" if close else "keep-alive")
                ).encode()
        if method == b"GET":
            left = t0 + self.server.delay - time.monotonic()
            if left > 0:
                time.sleep(left)
            self.wfile.write(head + body)
        else:
            self.wfile.write(head)
        self.wfile.flush()
        self.close_connection = close

    def log_message(self, fmt, *args):  # quiet
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops SYNs when 50 clients connect at
    # once, and a dropped SYN costs a 1 s retransmission.
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(self, addr, delay, conn_log):
        super().__init__(addr, Handler)
        self.delay = delay
        self.conn_log = conn_log
        self.conn_lock = threading.Lock()
        self.accepted = 0

    def get_request(self):
        sock, addr = super().get_request()
        with self.conn_lock:
            self.accepted += 1
            os.write(self.conn_log, b"%d %d\n" % (self.accepted, addr[1]))
        return sock, addr


class AsyncServer:
    """--mode asyncio: the same protocol on one event loop, for comparison
    (no thread wake-ups competing for the GIL at the end of each round)."""

    def __init__(self, port, delay, conn_log):
        import asyncio
        self.asyncio, self.delay, self.conn_log = asyncio, delay, conn_log
        self.accepted = 0
        self.loop = asyncio.new_event_loop()
        self.srv = self.loop.run_until_complete(asyncio.start_server(
            self.handle, "127.0.0.1", port, backlog=1024))
        self.server_address = self.srv.sockets[0].getsockname()

    async def handle(self, r, w):
        self.accepted += 1
        os.write(self.conn_log, b"%d %d\n"
                 % (self.accepted, w.get_extra_info("peername")[1]))
        try:
            while True:
                line = await r.readline()
                if not line:
                    break
                t0 = self.loop.time()
                parts = line.split()
                close = len(parts) != 3 or parts[2] == b"HTTP/1.0"
                while True:
                    h = await r.readline()
                    if h in (b"\r\n", b"\n", b""):
                        break
                    if h.lower().startswith(b"connection:"):
                        close = b"close" in h.lower()
                if len(parts) != 3:
                    break
                body = body_for(parts[1].split(b"?", 1)[0].decode("latin-1"))
                head = ("HTTP/1.1 200 OK\r\n"
                        "Content-Type: application/octet-stream\r\n"
                        "Content-Length: %d\r\nConnection: %s\r\n\r\n"
                        % (len(body), "close" if close else "keep-alive")
                        ).encode()
                if parts[0] == b"GET":
                    left = t0 + self.delay - self.loop.time()
                    if left > 0:
                        await self.asyncio.sleep(left)
                    w.write(head + body)
                else:
                    w.write(head)
                await w.drain()
                if close:
                    break
        except (ConnectionError, ValueError):
            pass
        w.close()

    def serve_forever(self, poll_interval=None):
        self.loop.run_forever()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--conn-log", required=True)
    ap.add_argument("--delay-ms", type=float, default=50.0)
    ap.add_argument("--mode", choices=("threading", "asyncio"),
                    default="threading")
    # Hand the GIL over sooner than the default 5 ms when the 50 threads
    # of a round wake at once.
    ap.add_argument("--switch-interval", type=float, default=0.0005)
    a = ap.parse_args()
    sys.setswitchinterval(a.switch_interval)
    fd = os.open(a.conn_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    if a.mode == "asyncio":
        srv = AsyncServer(a.port, a.delay_ms / 1000.0, fd)
    else:
        srv = Server(("127.0.0.1", a.port), a.delay_ms / 1000.0, fd)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    try:
        srv.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
