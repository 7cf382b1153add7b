#!/usr/bin/env python3
"""Clients for bench/hostile-use (loopback only, bounded in count and time).

  hostile_use.py listing NAME PORT PID [N]   N connections ask for /big/ (a 10,000-name listing)
                                             and read one byte; then a normal client's latency
  hostile_use.py head-loop NAME PORT         two keep-alive clients loop HEAD /big/ while a
                                             normal client measures its latency
Each prints one line: what a person reads in docs/RELIABILITY.md."""
import os
import socket
import sys
import threading
import time


def rss_mib(pid, field='VmRSS:'):
    try:
        with open(f'/proc/{pid}/status') as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1]) // 1024
    except FileNotFoundError:
        return -1
    return -1


def fetch(port, path, timeout=10):
    """One GET on a fresh connection; returns (seconds, bytes received)."""
    t = time.monotonic()
    with socket.create_connection(('127.0.0.1', port), timeout=timeout) as s:
        s.sendall(f'GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'.encode())
        data = b''
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
    return time.monotonic() - t, data


def quantile(xs, p):
    return sorted(xs)[min(len(xs) - 1, int(len(xs) * p))] if xs else float('nan')


def latencies(port, n, stop_after_failures=3):
    ok, failed = [], 0
    for _ in range(n):
        if failed >= stop_after_failures:
            break
        try:
            d, body = fetch(port, '/small.txt', timeout=5)
            if b' 200 ' in body.split(b'\r\n')[0]:
                ok.append(d * 1000)
            else:
                failed += 1
        except OSError:
            failed += 1
    return ok, failed


def listing(name, port, pid, n=300):
    peak, stop = [0], [False]

    def sampler():
        while not stop[0]:
            peak[0] = max(peak[0], rss_mib(pid))
            time.sleep(0.05)
    threading.Thread(target=sampler, daemon=True).start()
    before, _ = latencies(port, 20)
    _, page = fetch(port, '/big/')
    rss_before = rss_mib(pid)
    socks, begun, misses, t0 = [], 0, 0, time.monotonic()
    for _ in range(n):
        if misses >= 3 or time.monotonic() - t0 > 90:
            break
        try:
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
            s.settimeout(5)
            s.connect(('127.0.0.1', port))
            s.sendall(b'GET /big/ HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n')
            socks.append(s)
            if s.recv(1):
                begun, misses = begun + 1, 0
            else:
                misses += 1
        except OSError:
            misses += 1
    took = time.monotonic() - t0
    during, failed = latencies(port, 50)
    stop[0] = True
    alive = os.path.exists(f'/proc/{pid}')
    print(f'{name}: listing page {len(page):,} bytes; {begun}/{n} responses begun in {took:.1f} s; '
          f'normal client p50 {quantile(before, .5):.1f} ms before, p50 {quantile(during, .5):.1f} / '
          f'p99 {quantile(during, .99):.1f} ms during, {failed} failed of {len(during) + failed}; '
          f'RSS {rss_before} MiB before the attack, peak {peak[0]} MiB; alive={alive}')
    for s in socks:
        s.close()


def head_loop(name, port, seconds=6):
    alone, _ = latencies(port, 100)
    stop, count = [False], [0]

    def looper():
        with socket.create_connection(('127.0.0.1', port), timeout=30) as s:
            while not stop[0]:
                s.sendall(b'HEAD /big/ HTTP/1.1\r\nHost: x\r\n\r\n')
                d = b''
                while b'\r\n\r\n' not in d:
                    b = s.recv(4096)
                    if not b:
                        return
                    d += b
                count[0] += 1
    for _ in range(2):
        threading.Thread(target=looper, daemon=True).start()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and count[0] == 0:
        time.sleep(0.05)
    t0, c0 = time.monotonic(), count[0]
    during, failed = latencies(port, 100)
    rate = (count[0] - c0) / (time.monotonic() - t0)
    stop[0] = True
    print(f'{name}: normal client p50/p99 {quantile(alone, .5):.1f}/{quantile(alone, .99):.1f} ms alone, '
          f'{quantile(during, .5):.1f}/{quantile(during, .99):.1f} ms beside 2 HEAD loops '
          f'({rate:,.0f} HEAD/s, {failed} normal requests failed)')


if __name__ == '__main__':
    a = sys.argv[1:]
    if len(a) >= 4 and a[0] == 'listing':
        listing(a[1], int(a[2]), int(a[3]), int(a[4]) if len(a) > 4 else 300)
    elif len(a) == 3 and a[0] == 'head-loop':
        head_loop(a[1], int(a[2]))
    else:
        sys.exit(__doc__)
