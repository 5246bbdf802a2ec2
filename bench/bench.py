#!/usr/bin/env python3
"""salvo benchmark: salvo against curl --parallel, aria2c, wget2 and
xargs -P curl, all on 127.0.0.1.

A real nginx (its own prefix and config in a temp dir) serves a tree
generated in /dev/shm; a small keep-alive server (latency_server.c, built by
make bench; latency_server.py where it is not built) answers every request
after 50 ms. Every run is verified (all files, right
sizes, a sha256 sample) before its time counts. Tools are interleaved: run
1 of every tool, then run 2, ... Results: bench/results.md, bench/results.json
and the table on stdout.

Environment:
  BENCH_QUICK=1          one run each, small subsets, no 1M run (smoke test,
                         about 2 minutes)
  BENCH_FULL=1           every cell with 5 runs, the 1M cell (salvo and
                         curl) with 3; about 30 minutes on a 2-CPU VM.
                         Without it (the default, under 15 minutes there)
                         the 100k cell gets 3 runs and the 1M cell 1.
  BENCH_ONLY=small,latency  workload groups: small medium large latency
                         scale (100k) scale1m (1M; naming it runs it, and
                         the 100k cell it is compared with)
  BENCH_RUNS=N           runs per cell (default 5); BENCH_RUNS_100K (3 in
                         the default profile), BENCH_RUNS_1M (1 in the
                         default profile, 3 with BENCH_FULL)
  BENCH_TOOLS=salvo,curl restrict the tools (salvo always runs)
  BENCH_LATENCY_SERVER=c|threading|asyncio  the latency server: the C one
                         (BENCH_LATENCY_SERVER_BIN, set by make bench;
                         the default when it is there), or the Python one
                         with a thread per connection or on one event loop
  BENCH_KEEP=1           keep the temp tree in /dev/shm afterwards
  BENCH_RESULTS_DIR=DIR  where results.md and results.json go (bench/)
  SALVO=path             the salvo binary (default: ../src/salvo; or the
                         first argument)

Python 3 standard library only. Needs nginx (nginx-light), curl, aria2c,
wget2 and xargs; a missing peer is reported as "missing", not fatal.
"""
import hashlib
import json
import math
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
KIB = 1024
MIB = 1024 * 1024

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
FULL = os.environ.get("BENCH_FULL", "") not in ("", "0")
ONLY_EXPLICIT = [x.strip() for x in
                 os.environ.get("BENCH_ONLY", "").split(",") if x.strip()]
ALL_TOOLS = ["salvo", "curl", "aria2c", "wget2", "xargs-curl"]
GROUPS = ["small", "medium", "large", "latency", "scale", "scale1m"]
LAT_DELAY = 0.050
GNU_TIME = "/usr/bin/time"
LAT_BIN = os.environ.get("BENCH_LATENCY_SERVER_BIN", "")
LAT_MODE = os.environ.get("BENCH_LATENCY_SERVER",
                          "c" if LAT_BIN and os.access(LAT_BIN, os.X_OK)
                          else "threading")


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def env_list(name, allowed):
    v = os.environ.get(name, "").strip()
    if not v:
        return list(allowed)
    want = [x.strip() for x in v.split(",") if x.strip()]
    bad = [x for x in want if x not in allowed]
    if bad:
        sys.exit("bench: %s: unknown %s (choose from %s)"
                 % (name, ",".join(bad), ",".join(allowed)))
    return [x for x in allowed if x in want]


# ---------------------------------------------------------------- workloads

class Workload:
    """n files named name_fmt % i (i = 1..n), fetched from url_fmt % i."""

    def __init__(self, key, group, server, n, j, size, name_fmt, url_path,
                 runs, timeout, tools, stdin=False, desc=""):
        self.key, self.group, self.server = key, group, server
        self.n, self.j, self.size = n, j, size
        self.name_fmt, self.url_path = name_fmt, url_path
        self.runs, self.timeout, self.tools = runs, timeout, tools
        self.stdin, self.desc = stdin, desc
        self.base = "http://127.0.0.1:PORT"  # set by write_lists
        self.cmds = {}  # tool -> the command line last run

    def name(self, i):
        return self.name_fmt % i


def make_workloads(groups, tools, runs_default):
    """The default profile fits in 15 minutes on a 2-CPU VM: the 100k
    scale cell gets 3 runs, the 1M cell (salvo and curl) 1. BENCH_FULL=1
    (about 30 minutes there): 100k with 5 runs; 1M with 3."""
    q = QUICK
    r = 1 if q else runs_default
    w = []
    n_small = 500 if q else 5000
    if "small" in groups:
        for j in (8, 64):
            w.append(Workload("small-j%d" % j, "small", "nginx", n_small, j,
                              4 * KIB, "f%05d", "/small/f%05d", r, 120, tools,
                              desc="%d x 4 KiB" % n_small))
    if "medium" in groups:
        n = 40 if q else 200
        w.append(Workload("medium-j8", "medium", "nginx", n, 8, MIB,
                          "m%03d", "/medium/m%03d", r, 120, tools,
                          desc="%d x 1 MiB" % n))
    if "large" in groups:
        n, size = (2, 32 * MIB) if q else (4, 256 * MIB)
        w.append(Workload("large-j4", "large", "nginx", n, 4, size,
                          "L%d", "/large/L%d", r, 180, tools,
                          desc="%d x %d MiB" % (n, size // MIB)))
    if "latency" in groups:
        n = 100 if q else 500
        for j in (8, 50):
            w.append(Workload("latency-j%d" % j, "latency", "latency", n, j,
                              64, "r%04d", "/lat/r%04d", r, 120, tools,
                              desc="%d x 50 ms" % n))
    want_1m = "scale1m" in groups and not q
    if "scale" in groups or want_1m:
        n = 10000 if q else 100000
        sr = r
        if not q and not FULL:
            sr = min(r, int(os.environ.get("BENCH_RUNS_100K", "3")))
        w.append(Workload("scale-%dk-j32" % (n // 1000), "scale", "nginx", n,
                          32, 16, "t%07d", "/s/t%07d", sr, 300, tools,
                          stdin=True, desc="%d x 16 B, stdin" % n))
    if want_1m:
        w.append(Workload("scale-1m-j32", "scale1m", "nginx", 1000000, 32, 16,
                          "t%07d", "/s/t%07d",
                          int(os.environ.get("BENCH_RUNS_1M",
                                             "3" if FULL else "1")), 1500,
                          [t for t in tools if t in ("salvo", "curl")],
                          stdin=True, desc="1,000,000 x 16 B, stdin"))
    return w


# ---------------------------------------------------------------- the tree

def write_random(path, size, rnd):
    h = hashlib.sha256()
    with open(path, "wb") as f:
        left = size
        while left:
            k = min(left, 16 * MIB)
            b = rnd(k)
            h.update(b)
            f.write(b)
            left -= k
    return h.hexdigest()


def build_tree(root, workloads):
    """Source files under root/www; returns {group: {i: sha256}}."""
    www = os.path.join(root, "www")
    os.makedirs(www, exist_ok=True)
    hashes = {}
    done = set()
    for w in workloads:
        if w.server != "nginx" or w.group in done:
            continue
        done.add(w.group)
        if w.group in ("scale", "scale1m"):
            tiny = os.path.join(www, "tiny")
            if not os.path.exists(tiny):
                with open(tiny, "wb") as f:
                    f.write(b"salvo-bench-16B\n")
            hashes[w.group] = sha256_file(tiny)
            continue
        d = os.path.join(www, w.url_path.split("/")[1])
        os.makedirs(d, exist_ok=True)
        hs = {}
        for i in range(1, w.n + 1):
            hs[i] = write_random(os.path.join(d, w.name(i)), w.size,
                                 os.urandom)
        hashes[w.group] = hs
    for dp, dn, fn in os.walk(root):
        os.chmod(dp, 0o755)
    return hashes


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(4 * MIB)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


# ---------------------------------------------------------------- servers

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port, proc, what, limit=10.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if proc.poll() is not None:
            sys.exit("bench: %s exited at startup (status %s)"
                     % (what, proc.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit("bench: %s did not start listening on %d" % (what, port))


NGINX_CONF = """\
worker_processes 2;
worker_rlimit_nofile 16384;
daemon off;
master_process on;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{
    worker_connections 8192;
}}
http {{
    log_format bench '$connection $status $body_bytes_sent';
    access_log {d}/access.log bench;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    default_type application/octet-stream;
    types {{ }}
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 100000;
    keepalive_timeout 60s;
    open_file_cache max=20000 inactive=120s;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        root {www};
        # 1M distinct URLs, one file on disk.
        location /s/ {{
            try_files /tiny =404;
        }}
    }}
}}
"""


class Nginx:
    def __init__(self, root):
        self.dir = os.path.join(root, "nginx")
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port()
        self.conf = os.path.join(self.dir, "nginx.conf")
        self.log = os.path.join(self.dir, "access.log")
        with open(self.conf, "w") as f:
            f.write(NGINX_CONF.format(d=self.dir, port=self.port,
                                      www=os.path.join(root, "www")))
        open(self.log, "w").close()
        self.proc = subprocess.Popen(
            ["nginx", "-p", self.dir, "-c", self.conf, "-e",
             os.path.join(self.dir, "error.log")],
            stdin=subprocess.DEVNULL, start_new_session=True)
        wait_port(self.port, self.proc, "nginx")

    def mark(self):
        return os.path.getsize(self.log)

    def slice(self, start, expect):
        """(distinct connections, requests, non-200) since mark start."""
        lines = settle_lines(self.log, start, expect)
        conns = set()
        bad = 0
        for ln in lines:
            p = ln.split(b" ")
            conns.add(p[0])
            if len(p) < 2 or p[1] != b"200":
                bad += 1
        return len(conns), len(lines), bad

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class LatencyServer:
    def __init__(self, root):
        self.dir = os.path.join(root, "latency")
        os.makedirs(self.dir, exist_ok=True)
        self.log = os.path.join(self.dir, "conns.log")
        pf = os.path.join(self.dir, "port")
        open(self.log, "w").close()
        args = ["--port-file", pf, "--conn-log", self.log,
                "--delay-ms", str(LAT_DELAY * 1000)]
        if LAT_MODE == "c":
            if not (LAT_BIN and os.access(LAT_BIN, os.X_OK)):
                sys.exit("bench: BENCH_LATENCY_SERVER=c needs "
                         "BENCH_LATENCY_SERVER_BIN (make bench builds it)")
            cmd = [LAT_BIN] + args
        else:
            cmd = [sys.executable, os.path.join(HERE, "latency_server.py")] \
                + args + ["--mode", LAT_MODE]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        t0 = time.monotonic()
        while not os.path.exists(pf):
            if self.proc.poll() is not None or time.monotonic() - t0 > 10:
                sys.exit("bench: the latency server did not start")
            time.sleep(0.05)
        with open(pf) as f:
            self.port = int(f.read())
        wait_port(self.port, self.proc, "latency server")
        # wait_port's own connection is logged when the server accepts
        # it, which may be a moment later: wait for that line, so that it
        # is not counted in the first run.
        t0 = time.monotonic()
        while os.path.getsize(self.log) == 0 and time.monotonic() - t0 < 5:
            time.sleep(0.01)

    def mark(self):
        return os.path.getsize(self.log)

    def slice(self, start, expect):
        lines = settle_lines(self.log, start, 0)
        return len(lines), None, 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def settle_lines(path, start, expect):
    """Lines appended since offset start, once the log stops growing (the
    server may log a request a moment after the client has its bytes)."""
    last = -1
    t0 = time.monotonic()
    while True:
        size = os.path.getsize(path)
        if size == last:
            break
        last = size
        time.sleep(0.05 if size - start else 0.02)
        if time.monotonic() - t0 > 5:
            break
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read()
    return data.splitlines()


# ---------------------------------------------------------------- tools

XARGS_S = 1048576  # xargs -s: command-line bytes (Linux allows ~2 MB)


def xargs_batch(w, out):
    """URLs per curl process: one process per slot, since process start-up
    is what xargs pays for (about 0.1 s per curl on a slow VM) and the
    files of a workload are all alike. Capped so that 3B arguments fit in
    -s bytes: otherwise xargs would split a command line in the middle of
    an "-o PATH URL" triple."""
    triple = (len("-o") + len(out) + 1 + len(w.name(w.n)) + len(w.base) +
              len(w.url_path % w.n) + 3)
    fit = (XARGS_S - 4096) // triple
    return max(1, min(math.ceil(w.n / w.j), fit))


def write_lists(w, base, lists_dir, out):
    """One input file per tool for workload w (same URLs, same names)."""
    os.makedirs(lists_dir, exist_ok=True)
    w.base = base
    paths = {}
    files = {t: open(os.path.join(lists_dir, t + ".txt"), "w",
                     buffering=4 * MIB)
             for t in w.tools}
    chunk = 20000
    for lo in range(1, w.n + 1, chunk):
        hi = min(w.n, lo + chunk - 1)
        parts = {t: [] for t in w.tools}
        for i in range(lo, hi + 1):
            url = base + (w.url_path % i)
            name = w.name(i)
            if "salvo" in parts:
                parts["salvo"].append("%s %s\n" % (url, name))
            if "curl" in parts:
                parts["curl"].append('url = "%s"\noutput = "%s/%s"\n'
                                     % (url, out, name))
            if "aria2c" in parts:
                parts["aria2c"].append("%s\n  out=%s\n" % (url, name))
            if "wget2" in parts:
                parts["wget2"].append(url + "\n")  # named by the URL path
            if "xargs-curl" in parts:
                parts["xargs-curl"].append("-o %s/%s %s\n" % (out, name, url))
        for t, p in parts.items():
            files[t].write("".join(p))
    for t, f in files.items():
        f.close()
        paths[t] = f.name
    return paths


def tool_cmd(tool, w, lst, out, salvo):
    src = "-" if w.stdin else lst
    j = str(w.j)
    if tool == "salvo":
        return [salvo, "-q", "-j", j, "-d", out, "-i", src]
    if tool == "curl":
        return ["curl", "--parallel", "--parallel-max", j,
                "--no-progress-meter", "-K", src]
    if tool == "aria2c":
        return ["aria2c", "-j", j, "-x1", "--file-allocation=none",
                "--auto-file-renaming=false", "--allow-overwrite=true",
                "--console-log-level=error", "--summary-interval=0",
                "--auto-save-interval=0", "-d", out, "-i", src]
    if tool == "wget2":
        # wget2 1.99.1 hangs on "-i -" (it never starts the downloads);
        # /dev/stdin reads the same pipe.
        return ["wget2", "--max-threads=" + j, "-q", "-P", out, "-i",
                "/dev/stdin" if w.stdin else lst]
    if tool == "xargs-curl":
        cmd = ["xargs"]
        if not w.stdin:
            cmd += ["-a", lst]
        return cmd + ["-P", j, "-s", str(XARGS_S),
                      "-n", str(3 * xargs_batch(w, out)), "curl", "-s"]
    raise ValueError(tool)


def tool_env(home):
    env = {k: v for k, v in os.environ.items()
           if not k.lower().endswith("_proxy")}
    env["HOME"] = home  # no ~/.curlrc, ~/.wgetrc, aria2.conf, hsts files
    env["no_proxy"] = "*"
    env["LC_ALL"] = "C"
    return env


def run_tool(cmd, stdin_file, timeout, env, errpath):
    """Run cmd under GNU time; returns (status, wall s, cpu s, maxrss KiB,
    timed_out). Wall is measured here; CPU (user+sys) and peak RSS come
    from GNU time's wait4 on the tool, so they cover the tool and the
    descendants it waited for (xargs's curls): CPU is summed, ru_maxrss
    is the largest single process. (wait4 from this Python process would
    report Python's own RSS: Linux carries the high-water mark of the
    forked image across exec.)"""
    tf = errpath + ".time"
    full = [GNU_TIME, "-f", "%x %U %S %M", "-o", tf, "--"] + cmd
    err = open(errpath, "wb")
    cat = None
    t0 = time.monotonic()
    if stdin_file:
        cat = subprocess.Popen(["cat", stdin_file], stdout=subprocess.PIPE,
                               start_new_session=True)
        stdin = cat.stdout
    else:
        stdin = subprocess.DEVNULL
    p = subprocess.Popen(full, stdin=stdin, stdout=subprocess.DEVNULL,
                         stderr=err, env=env, start_new_session=True)
    if cat:
        cat.stdout.close()
    timed_out = []

    def kill():
        timed_out.append(1)
        for pr in (p, cat):
            if pr:
                try:
                    os.killpg(pr.pid, signal.SIGKILL)
                except OSError:
                    pass
    timer = threading.Timer(timeout, kill)
    timer.daemon = True
    timer.start()
    try:
        p.wait()
    except BaseException:  # ^C: take the tool down with us
        kill()
        p.wait()
        raise
    t1 = time.monotonic()
    timer.cancel()
    if cat:
        cat.wait()
    err.close()
    # Any straggler of the tool's session (there should be none).
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except OSError:
        pass
    status, cpu, rss = p.returncode, 0.0, 0
    try:
        with open(tf) as f:
            last = f.read().strip().splitlines()[-1].split()
        status = int(last[0])
        cpu = float(last[1]) + float(last[2])
        rss = int(last[3])
    except (OSError, IndexError, ValueError):
        if not timed_out and status == 0:
            status = -1
    return status, t1 - t0, cpu, rss, bool(timed_out)


# ---------------------------------------------------------------- verify

def verify(w, out, sample_hash):
    """All n files present under their names with the right size, nothing
    else left in out, and a sha256 sample matching the source."""
    seen = bytearray(w.n + 1)
    prefix = w.name_fmt.split("%")[0]
    extra = []
    count = 0
    with os.scandir(out) as it:
        for e in it:
            nm = e.name
            i = -1
            if nm.startswith(prefix) and nm[len(prefix):].isdigit():
                i = int(nm[len(prefix):])
                if not (1 <= i <= w.n) or w.name(i) != nm:
                    i = -1
            if i < 0:
                if len(extra) < 3:
                    extra.append(nm)
                continue
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                return "cannot stat %s" % nm
            if st.st_size != w.size:
                return "%s: %d bytes, want %d" % (nm, st.st_size, w.size)
            seen[i] = 1
            count += 1
    if count != w.n:
        missing = next(i for i in range(1, w.n + 1) if not seen[i])
        return "%d of %d files (first missing: %s)" % (count, w.n,
                                                       w.name(missing))
    if extra:
        return "unexpected files: %s" % ", ".join(extra)
    picks = {1, w.n}
    rnd = random.Random()
    k = 2 if w.size >= 64 * MIB else 5
    while len(picks) < min(w.n, k + 2):
        picks.add(rnd.randint(1, w.n))
    if w.size >= 64 * MIB:
        picks = set(list(picks)[:2])
    for i in sorted(picks):
        got = sha256_file(os.path.join(out, w.name(i)))
        if got != sample_hash(i):
            return "%s: sha256 mismatch" % w.name(i)
    return None


def clean(path):
    if os.path.lexists(path):
        r = subprocess.run(["rm", "-rf", "--", path])
        if r.returncode or os.path.lexists(path):
            shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- report

def version_of(cmd):
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=10)
        for ln in r.stdout.decode(errors="replace").splitlines():
            if ln.strip():
                return ln.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    return "missing"


def startup_time(cmd, n=5):
    ts = []
    for _ in range(n):
        t0 = time.monotonic()
        subprocess.run(cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        ts.append(time.monotonic() - t0)
    return round(statistics.median(ts), 4)


def machine_info(salvo):
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    model = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f.readline().split(":", 1)[1].strip()
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "kernel": platform.release(),
        "memory": mem,
        "python": platform.python_version(),
        "versions": {
            "salvo": version_of([salvo, "--version"]),
            "curl": version_of(["curl", "--version"]),
            "aria2c": version_of(["aria2c", "--version"]),
            "wget2": version_of(["wget2", "--version"]),
            "xargs": version_of(["xargs", "--version"]),
            "nginx": version_of(["nginx", "-v"]),
        },
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "salvo_startup_s": startup_time([salvo, "--version"]),
        "quick": QUICK,
        "full": FULL,
    }


def fmt_s(x):
    if x is None:
        return "-"
    return "%.3f" % x if x < 10 else "%.2f" % x


def summarize(cell):
    ok = [r for r in cell["runs"] if r["ok"]]
    s = {"runs": len(cell["runs"]), "ok_runs": len(ok),
         "failed": len(ok) != len(cell["runs"]) or not ok}
    if ok:
        s["median_wall_s"] = statistics.median(r["wall_s"] for r in ok)
        s["median_cpu_s"] = statistics.median(r["cpu_s"] for r in ok)
        s["max_rss_kib"] = max(r["maxrss_kib"] for r in ok)
        cs = [r["conns"] for r in ok if r["conns"] is not None]
        s["max_conns"] = max(cs) if cs else None
    reasons = [r["error"] for r in cell["runs"] if not r["ok"]]
    if reasons:
        s["first_error"] = reasons[0]
    return s


def floor_s(w):
    return math.ceil(w.n / w.j) * LAT_DELAY


def best_peer(cells, key):
    peers = [(t, c["summary"]) for t, c in cells[key].items()
             if t != "salvo" and not c["summary"]["failed"]]
    if not peers:
        return None, None
    t, s = min(peers, key=lambda p: p[1]["median_wall_s"])
    return t, s["median_wall_s"]


def targets(workloads, cells):
    """[(target, value, met or None)]"""
    out = []
    by = {w.key: w for w in workloads}

    def sal(key):
        c = cells.get(key, {}).get("salvo")
        if not c or c["summary"]["failed"]:
            return None
        return c["summary"]

    def vs_best(key, s, limit):
        """salvo's wall time against the best peer's, at most limit x."""
        what = "%s: salvo <= %.1f x best peer" % (key, limit)
        bt, bv = best_peer(cells, key)
        if s and bv:
            r = s["median_wall_s"] / bv
            out.append((what, "%.2f x %s" % (r, bt), r <= limit))
        else:
            out.append((what, "no data", None))

    for key in ("small-j8", "small-j64"):
        if key not in cells:
            continue
        s = sal(key)
        vs_best(key, s, 0.9)
        c = cells[key].get("curl")
        if s and c and not c["summary"]["failed"]:
            n = by[key].n
            a = s["median_cpu_s"] / n * 1e6
            b = c["summary"]["median_cpu_s"] / n * 1e6
            out.append(("%s: CPU per file <= curl's" % key,
                        "%.0f us vs %.0f us" % (a, b), a <= b))
        else:
            out.append(("%s: CPU per file <= curl's" % key, "no data", None))
    for key in ("large-j4",):
        if key in cells:
            vs_best(key, sal(key), 1.0)
    for key in ("latency-j8", "latency-j50"):
        if key not in cells:
            continue
        s = sal(key)
        f = floor_s(by[key])
        if s:
            r = s["median_wall_s"] / f
            out.append(("%s: within 3%% of the %.2f s floor" % (key, f),
                        "%.3f s = %+.1f%%" % (s["median_wall_s"],
                                              (r - 1) * 100), r <= 1.03))
        else:
            out.append(("%s: within 3%% of the floor" % key, "no data", None))
    scale_keys = [w.key for w in workloads if w.group == "scale"]
    for key in scale_keys:
        s = sal(key)
        c = cells[key].get("curl")
        if s and c and not c["summary"]["failed"]:
            r = s["median_wall_s"] / c["summary"]["median_wall_s"]
            out.append(("%s: salvo <= 1.0 x curl" % key, "%.2f x" % r,
                        r <= 1.0))
        else:
            out.append(("%s: salvo <= 1.0 x curl" % key, "no data", None))
        if s:
            m = s["max_rss_kib"] / 1024.0
            out.append(("%s: salvo peak RSS <= 16 MiB" % key,
                        "%.1f MiB" % m, m <= 16))
    if "scale-1m-j32" in cells:
        s = sal("scale-1m-j32")
        s100 = sal(scale_keys[0]) if scale_keys else None
        if s and s100 and by.get(scale_keys[0]).n == 100000:
            r = s["median_wall_s"] / s100["median_wall_s"]
            out.append(("scale-1m-j32: <= 10.5 x the 100k time",
                        "%.2f x" % r, r <= 10.5))
        else:
            out.append(("scale-1m-j32: <= 10.5 x the 100k time",
                        "no data", None))
        if s:
            m = s["max_rss_kib"] / 1024.0
            out.append(("scale-1m-j32: salvo peak RSS <= 16 MiB",
                        "%.1f MiB" % m, m <= 16))
    worst = []
    met = True
    any_data = False
    for w in workloads:
        s = sal(w.key)
        if s and s.get("max_conns") is not None:
            any_data = True
            if s["max_conns"] > w.j:
                met = False
                worst.append("%s: %d > %d" % (w.key, s["max_conns"], w.j))
    out.append(("connections: salvo never more TCP connections than -j",
                "; ".join(worst) if worst else
                ("all within -j" if any_data else "no data"),
                met if any_data else None))
    return out


def render(info, workloads, cells, tgts):
    L = []
    v = info["versions"]
    L.append("# salvo benchmark results%s" % (" (BENCH_QUICK smoke test)"
                                              if info["quick"] else ""))
    L.append("")
    L.append("Machine: %d CPUs, %s, kernel %s, %s RAM; %s."
             % (info["nproc"], info["cpu_model"], info["kernel"],
                info["memory"], info["date"]))
    L.append("")
    L.append("Tools: " + "; ".join("%s: `%s`" % (k, v[k]) for k in v))
    L.append("")
    prof = ("BENCH_QUICK (1 run, small subsets, no 1M)" if info["quick"] else
            "BENCH_FULL (5 runs; 1M: salvo and curl, 3 runs)" if info["full"]
            else "default (5 runs; 100k: 3 runs; 1M: salvo and curl, 1 run)")
    L.append("Profile: %s; the whole bench took %.0f s. salvo binary sha256 "
             "%s." % (prof, info["elapsed_s"],
                      info.get("salvo_sha256", "?")[:16]))
    L.append("")
    L.append("All on 127.0.0.1: nginx (2 workers, keep-alive, sendfile) "
             "serving /dev/shm; the latency workload uses %s "
             "keep-alive server that waits 50 ms per request. Wall and CPU "
             "are medians over the verified runs, RSS and connections the "
             "largest; ratio = salvo time / that tool's time (below 1: "
             "salvo is faster)." % (
                 "a C (latency_server.c)" if LAT_MODE == "c" else
                 "a Python (latency_server.py, %s)" % LAT_MODE))
    L.append("")
    L.append("| workload | tool | wall s (median) | runs ok | CPU s | "
             "peak RSS MiB | TCP conns | salvo/tool |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for w in workloads:
        extra = ""
        if w.group == "latency":
            extra = ", floor %.2f s" % floor_s(w)
        label = "%s (%s, -j %d%s)" % (w.key, w.desc, w.j, extra)
        sal = cells[w.key].get("salvo", {}).get("summary")
        for t in w.tools:
            c = cells[w.key].get(t)
            if c is None:
                continue
            s = c["summary"]
            if c.get("missing"):
                L.append("| %s | %s | missing | - | - | - | - | - |"
                         % (label, t))
                continue
            if not s["ok_runs"]:
                L.append("| %s | %s | FAILED (%s) | 0/%d | - | - | - | - |"
                         % (label, t, s.get("first_error", "?")[:80],
                            s["runs"]))
                continue
            wall = fmt_s(s["median_wall_s"])
            if s["failed"]:
                wall = "FAILED (%s) %s" % (s.get("first_error", "?")[:60],
                                           wall)
            ratio = "-"
            if t != "salvo" and sal and not sal["failed"] and \
                    not s["failed"]:
                ratio = "%.2f" % (sal["median_wall_s"] / s["median_wall_s"])
            L.append("| %s | %s | %s | %d/%d | %s | %.1f | %s | %s |" % (
                label, t, wall, s["ok_runs"], s["runs"],
                fmt_s(s["median_cpu_s"]), s["max_rss_kib"] / 1024.0,
                "-" if s["max_conns"] is None else s["max_conns"], ratio))
    L.append("")
    L.append("## Targets")
    L.append("")
    L.append("| target | value | met |")
    L.append("|---|---|---|")
    for name, val, met in tgts:
        L.append("| %s | %s | %s |" % (name, val, "n/a" if met is None else
                                       ("met" if met else "NOT MET")))
    L.append("")
    L.append("xargs-curl runs `xargs -P J -n 3B curl -s` over "
             "`-o OUT/NAME URL` triples, B = ceil(N / J) URLs per curl "
             "process (one process per slot; fewer if 3B arguments would not "
             "fit in xargs -s 1 MiB); each curl process opens its own "
             "connection. salvo's start-up (`salvo --version`, median of 5) "
             "took %.3f s on this machine; it is part of every wall time."
             % info["salvo_startup_s"])
    L.append("")
    return "\n".join(L)


# ---------------------------------------------------------------- main

def main():
    salvo = os.path.abspath(os.environ.get("SALVO") or
                            os.path.join(TOP, "src", "salvo"))
    if len(sys.argv) > 1:
        salvo = os.path.abspath(sys.argv[1])
    if not os.access(salvo, os.X_OK):
        sys.exit("bench: no salvo binary at %s (build it first)" % salvo)
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit("bench: %s (GNU time) not found (apt-get install time)"
                 % GNU_TIME)
    if not shutil.which("nginx"):
        sys.exit("bench: nginx not found (apt-get install nginx-light)")
    groups = env_list("BENCH_ONLY", GROUPS)
    tools = env_list("BENCH_TOOLS", ALL_TOOLS)
    if "salvo" not in tools:
        tools.insert(0, "salvo")
    runs_default = int(os.environ.get("BENCH_RUNS", "5"))
    workloads = make_workloads(groups, tools, runs_default)
    if not workloads:
        sys.exit("bench: no workloads selected")
    missing = {t for t in tools if t != "salvo" and not shutil.which(
        {"curl": "curl", "aria2c": "aria2c", "wget2": "wget2",
         "xargs-curl": "xargs"}[t])}
    if "xargs-curl" in tools and not shutil.which("curl"):
        missing.add("xargs-curl")

    def on_term(sig, frame):
        raise SystemExit(128 + sig)  # so that finally: stops the servers
    signal.signal(signal.SIGTERM, on_term)

    t_start = time.monotonic()
    info = machine_info(salvo)
    info["latency_server"] = LAT_MODE
    log("bench: %d CPUs, %s, kernel %s" % (info["nproc"], info["cpu_model"],
                                           info["kernel"]))
    root = tempfile.mkdtemp(prefix="salvo-bench.", dir="/dev/shm")
    os.chmod(root, 0o755)
    nginx = lat = None
    cells = {}
    try:
        t0 = time.monotonic()
        hashes = build_tree(root, workloads)
        log("bench: source tree in %s (%.1f s)" % (root,
                                                   time.monotonic() - t0))
        if any(w.server == "nginx" for w in workloads):
            nginx = Nginx(root)
        if any(w.server == "latency" for w in workloads):
            lat = LatencyServer(root)
        # Run a copy: a rebuild of src/salvo during the bench must neither
        # break a run nor mix two builds in one table.
        bindir = os.path.join(root, "bin")
        os.makedirs(bindir)
        shutil.copy2(salvo, os.path.join(bindir, "salvo"))
        info["salvo_binary"] = salvo
        info["salvo_sha256"] = sha256_file(salvo)
        salvo = os.path.join(bindir, "salvo")
        out = os.path.join(root, "out")
        home = os.path.join(root, "home")
        os.makedirs(home, exist_ok=True)
        env = tool_env(home)
        for w in workloads:
            srv = nginx if w.server == "nginx" else lat
            base = "http://127.0.0.1:%d" % srv.port
            if w.server == "latency":
                def sh(i, w=w):
                    return hashlib.sha256(hashlib.sha256(
                        (w.url_path % i).encode()).hexdigest()
                        .encode()).hexdigest()
            elif w.group in ("scale", "scale1m"):
                def sh(i, h=hashes[w.group]):
                    return h
            else:
                def sh(i, h=hashes[w.group]):
                    return h[i]
            t0 = time.monotonic()
            lists = write_lists(w, base, os.path.join(root, "lists", w.key),
                                out)
            log("bench: [%.0f s] %s: %d URLs, -j %d, %d run(s), tools %s "
                "(lists %.1f s)" % (time.monotonic() - t_start, w.key, w.n,
                                    w.j, w.runs, ",".join(w.tools),
                                    time.monotonic() - t0))
            cells[w.key] = {}
            for t in w.tools:
                cells[w.key][t] = {"runs": [], "missing": t in missing}
            for r in range(w.runs):
                # Interleave, and rotate the order so no tool always
                # runs first.
                order = [t for t in w.tools if t not in missing]
                k = r % len(order)
                order = order[k:] + order[:k]
                for t in order:
                    clean(out)
                    os.makedirs(out)
                    cmd = tool_cmd(t, w, lists[t], out, salvo)
                    w.cmds[t] = cmd
                    errp = os.path.join(root, "stderr-%s-%s-%d.txt"
                                        % (w.key, t, r + 1))
                    mark = srv.mark()
                    st, wall, cpu, rss, to = run_tool(
                        cmd, lists[t] if w.stdin else None, w.timeout, env,
                        errp)
                    conns, reqs, bad = srv.slice(mark, w.n)
                    error = None
                    if to:
                        error = "timeout after %d s" % w.timeout
                    elif st != 0:
                        with open(errp, "rb") as f:
                            tail = f.read()[-300:].decode(errors="replace")
                        error = "exit %d: %s" % (
                            st, " ".join(tail.split())[-120:])
                    if error is None:
                        error = verify(w, out, sh)
                    run = {"run": r + 1, "ok": error is None,
                           "wall_s": round(wall, 4), "cpu_s": round(cpu, 4),
                           "maxrss_kib": rss, "conns": conns,
                           "requests": reqs, "non_200": bad,
                           "exit": st, "error": error}
                    cells[w.key][t]["runs"].append(run)
                    log("  %-14s run %d/%d %-10s %8.3f s  cpu %7.2f s  rss "
                        "%7.1f MiB  conns %6s  %s"
                        % (w.key, r + 1, w.runs, t, wall, cpu, rss / 1024.0,
                           conns, "ok" if error is None else
                           "FAILED: " + error))
                    clean(out)
            for t in w.tools:
                cells[w.key][t]["summary"] = summarize(cells[w.key][t])
            clean(os.path.join(root, "lists", w.key))
    finally:
        if nginx:
            nginx.stop()
        if lat:
            lat.stop()
        if os.environ.get("BENCH_KEEP", "") in ("", "0"):
            clean(root)
        else:
            log("bench: kept %s" % root)
    done = [w for w in workloads if w.key in cells and
            all("summary" in c for c in cells[w.key].values())]
    tgts = targets(done, cells)
    info["elapsed_s"] = round(time.monotonic() - t_start, 1)
    md = render(info, done, cells, tgts)
    res = {
        "machine": info,
        "workloads": [{
            "key": w.key, "group": w.group, "files": w.n, "size": w.size,
            "j": w.j, "stdin": w.stdin, "runs": w.runs, "description": w.desc,
            "latency_floor_s": floor_s(w) if w.group == "latency" else None,
            "cmd": w.cmds,
            "tools": cells[w.key]} for w in done],
        "targets": [{"target": a, "value": b, "met": c}
                    for a, b, c in tgts],
    }
    resdir = os.environ.get("BENCH_RESULTS_DIR", HERE)
    os.makedirs(resdir, exist_ok=True)
    with open(os.path.join(resdir, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    with open(os.path.join(resdir, "results.md"), "w") as f:
        f.write(md)
    print(md)
    log("bench: %.0f s in all; wrote %s/results.md and results.json"
        % (time.monotonic() - t_start, resdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
