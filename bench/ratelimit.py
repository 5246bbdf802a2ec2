#!/usr/bin/env python3
"""How exactly salvo holds --limit-rate: the worst 3-second window.

Starts tests/server.py on 127.0.0.1, runs salvo with --limit-rate=RATE and
4 transfers of 12 MiB, samples the bytes on disk every 50 ms, and reports
the largest deviation from RATE over any 3-second window (after the first
second: the bucket starts with a tenth of a second of burst), and how the
transfers shared it. Usage: bench/ratelimit.py [SALVO] (default src/salvo).
"""
import os, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
RATE = 2 * 1024 * 1024
SIZE = 12 * 1024 * 1024
N = 4


def main():
    salvo = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "src/salvo")
    tmp = tempfile.mkdtemp(prefix="salvo-rate.")
    portfile = os.path.join(tmp, "port")
    srv = subprocess.Popen([sys.executable, os.path.join(TOP, "tests/server.py"),
                            "--port-file", portfile])
    try:
        while not os.path.exists(portfile):
            time.sleep(0.05)
        port = open(portfile).read().strip()
        out = os.path.join(tmp, "out")
        urls = ["http://127.0.0.1:%s/bytes/%d/f%d.bin?seed=%d" % (port, SIZE, i, i)
                for i in range(N)]
        t0 = time.monotonic()
        p = subprocess.Popen([salvo, "-q", "-j", str(N), "--limit-rate=2M",
                              "-d", out] + urls)
        samples = []
        while p.poll() is None:
            sizes = []
            for i in range(N):
                for name in ("f%d.bin" % i, "f%d.bin.part" % i):
                    try:
                        sizes.append(os.path.getsize(os.path.join(out, name)))
                        break
                    except OSError:
                        pass
                else:
                    sizes.append(0)
            samples.append((time.monotonic() - t0, sum(sizes), sizes))
            time.sleep(0.05)
        total_t = time.monotonic() - t0
        worst = 0.0
        for i, (ta, ba, _) in enumerate(samples):
            if ta < 1.0:
                continue
            for tb, bb, _ in samples[i:]:
                if tb - ta >= 3.0:
                    rate = (bb - ba) / (tb - ta)
                    worst = max(worst, abs(rate - RATE) / RATE)
                    break
        mid = samples[len(samples) // 2][2]
        print("limit 2 MiB/s, %d x %d MiB: %.2f s in all (ideal %.2f s)"
              % (N, SIZE >> 20, total_t, N * SIZE / RATE))
        print("worst 3-second window: %.1f%% off the limit" % (100 * worst))
        print("shares at mid-run: %s" % ", ".join(
            "%.1f MiB" % (s / 1048576) for s in mid))
        return 0 if p.returncode == 0 else 1
    finally:
        srv.terminate()
        srv.wait()
        subprocess.call(["rm", "-rf", tmp])


if __name__ == "__main__":
    sys.exit(main())
