"""Helpers for bench/slow-attacks (Python 3 standard library only).

  probe HOST PORT PATH OUTFILE STOPFILE   GET PATH on a fresh connection every 200 ms (5 s
                                          timeout) until STOPFILE exists; one line per try:
                                          "<unix time> <seconds> <status or FAIL:reason>"
  summary PROBEFILE RSSFILE CSVFILE SHTLOG
                                          one tab-separated line: available throughout, probes,
                                          failures, worst s, median s, peak RSS KiB,
                                          slowhttptest's verdict, its peak connected, its exit status
"""
import http.client
import os
import re
import statistics
import sys
import time

INTERVAL = 0.2
TIMEOUT = 5.0


def probe(host, port, path, outfile, stopfile):
    with open(outfile, "w", buffering=1) as out:
        while not os.path.exists(stopfile):
            start = time.monotonic()
            try:
                conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
                try:
                    conn.request("GET", path, headers={"Connection": "close"})
                    resp = conn.getresponse()
                    body = resp.read()
                    result = str(resp.status) if resp.status == 200 and len(body) > 0 else "FAIL:status-%d" % resp.status
                finally:
                    conn.close()
            except Exception as e:  # noqa: BLE001 - every failure is a data point
                result = "FAIL:" + type(e).__name__
            elapsed = time.monotonic() - start
            out.write("%.3f %.4f %s\n" % (time.time(), elapsed, result))
            time.sleep(max(0.0, INTERVAL - elapsed))


def summary(probefile, rssfile, csvfile, shtlog):
    lat, fails = [], 0
    with open(probefile) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3:
                continue
            lat.append(float(parts[1]))
            if parts[2].startswith("FAIL"):
                fails += 1
    rss = 0
    if os.path.exists(rssfile):
        with open(rssfile) as f:
            rss = max((int(x) for x in f.read().split() if x.isdigit()), default=0)
    verdict, peak_conn = "?", 0
    if os.path.exists(csvfile):
        with open(csvfile) as f:
            rows = [r.strip().split(",") for r in f if r.strip() and r[0].isdigit()]
        if rows:
            verdict = "YES" if all(int(r[4]) > 0 for r in rows) else "NO"
            peak_conn = max(int(r[3]) for r in rows)
    exit_status = "?"
    if os.path.exists(shtlog):
        with open(shtlog, errors="replace") as f:
            text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", f.read())
        m = re.search(r"Exit status:\s*(.+)", text)
        if m:
            exit_status = m.group(1).strip()
        ended = re.search(r"Test ended on (\d+)", text)
        if ended:
            exit_status += " (%ss)" % ended.group(1)
    available = "yes" if lat and fails == 0 else "NO"
    worst = "%.3f" % max(lat) if lat else "-"
    median = "%.3f" % statistics.median(lat) if lat else "-"
    print("\t".join([available, str(len(lat)), str(fails), worst, median, str(rss), verdict,
                     str(peak_conn), exit_status]))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "probe":
        probe(*args)
    elif cmd == "summary":
        summary(*args)
    else:
        sys.exit("unknown command: " + cmd)
