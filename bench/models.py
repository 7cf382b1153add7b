#!/usr/bin/python3
"""Runs every tenk concurrency model, and nginx, through the same wrk loads and writes
docs/MODELS.md and docs/models.png. Started by bench/models (which installs what is missing,
takes the benchmark lock and raises the fd limit); see that script for the knobs.

For each server and load: a fresh server pinned to CPU 0, WARMUP s of the same load (at most
100 connections), then DUR s measured with wrk pinned to CPU 1 while RSS and thread count of
every process in the server's session are sampled every 0.5 s. After the last load the server
is left alone for IDLE s and the CPU it uses is measured. Every child is bounded by `timeout`.
"""
import datetime
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HOST = '127.0.0.1'
SERVER_CPU, CLIENT_CPU = '0', '1'
KNOBS = ('DUR', 'WARMUP', 'LOADS', 'NGINX', 'IDLE', 'CLOSE_CONNS', 'PORT')
FALLBACK_MODELS = ['iterative', 'threads', 'pool', 'virtual', 'polling', 'selector', 'reactor', 'prefork']
CLK_TCK = os.sysconf('SC_CLK_TCK')
PAGE = os.sysconf('SC_PAGE_SIZE')


def log(msg):
    print(f'[{time.strftime("%H:%M:%S")}] {msg}', file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ wrk output --

def to_ms(v):
    m = re.fullmatch(r'([\d.]+)(us|ms|s|m|h)', v)
    if not m:
        return None
    return float(m.group(1)) * {'us': 1e-3, 'ms': 1.0, 's': 1e3, 'm': 6e4, 'h': 3.6e6}[m.group(2)]


def parse_wrk(text):
    """wrk 4.x text output -> dict(rps, p50, p99 (ms), requests, connect, read, write, timeout,
    non2xx, errors). Missing numbers are None; missing error lines count as 0."""
    r = dict(rps=None, p50=None, p99=None, requests=None,
             connect=0, read=0, write=0, timeout=0, non2xx=0)
    m = re.search(r'Requests/sec:\s+([\d.]+)', text)
    if m:
        r['rps'] = float(m.group(1))
    m = re.search(r'^\s+50%\s+(\S+)', text, re.M)
    if m:
        r['p50'] = to_ms(m.group(1))
    m = re.search(r'^\s+99%\s+(\S+)', text, re.M)
    if m:
        r['p99'] = to_ms(m.group(1))
    m = re.search(r'(\d+) requests in', text)
    if m:
        r['requests'] = int(m.group(1))
    m = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', text)
    if m:
        r['connect'], r['read'], r['write'], r['timeout'] = map(int, m.groups())
    m = re.search(r'Non-2xx or 3xx responses: (\d+)', text)
    if m:
        r['non2xx'] = int(m.group(1))
    r['errors'] = r['connect'] + r['read'] + r['write'] + r['timeout'] + r['non2xx']
    return r


def parse_models(text):
    """Model names from `tenk models`: the first word of each indented line."""
    names = []
    for line in text.splitlines():
        m = re.match(r'\s+([a-z][a-z0-9_-]*)(\s|$)', line)
        if m and m.group(1) not in names:
            names.append(m.group(1))
    return names


# ------------------------------------------------------------------------ /proc sampling --

def session_pids(sid):
    pids = []
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open(f'/proc/{d}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == sid:  # state ppid pgrp session ...
            pids.append(int(d))
    return pids


def proc_stat(pid):
    """(cpu ticks, rss bytes, threads) of one process, or None once it is gone."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            fields = f.read().rsplit(')', 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12]), int(fields[21]) * PAGE, int(fields[17])


def session_totals(sid):
    ticks = rss = threads = 0
    for p in session_pids(sid):
        s = proc_stat(p)
        if s:
            ticks, rss, threads = ticks + s[0], rss + s[1], threads + s[2]
    return ticks, rss, threads


def machine_busy_ticks():
    with open('/proc/stat') as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v) - v[3] - v[4]  # all but idle and iowait


class Sampler(threading.Thread):
    """Peak RSS and thread count of the server's session, every 0.5 s."""

    def __init__(self, sid):
        super().__init__(daemon=True)
        self.sid, self.peak_rss, self.peak_threads = sid, 0, 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            _, rss, th = session_totals(self.sid)
            self.peak_rss, self.peak_threads = max(self.peak_rss, rss), max(self.peak_threads, th)
            self.done.wait(0.5)

    def stop(self):
        self.done.set()
        self.join()


# ---------------------------------------------------------------------------------- servers --

def port_busy(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


def answers(port):
    try:
        with socket.create_connection((HOST, port), timeout=1) as s:
            s.sendall(b'GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')
            return s.recv(64).startswith(b'HTTP/1.1 200')
    except OSError:
        return False


class Server:
    def __init__(self, name, cmd, logfile):
        self.name, self.cmd, self.logfile = name, cmd, logfile
        self.proc = None

    def start(self, port):
        if port_busy(port):
            raise RuntimeError(f'port {port} is in use before the start; not benchmarking a stale server')
        with open(self.logfile, 'ab') as lf:
            self.proc = subprocess.Popen(['taskset', '-c', SERVER_CPU] + self.cmd, stdout=lf, stderr=lf,
                                         stdin=subprocess.DEVNULL, start_new_session=True, cwd=ROOT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.proc = None
                return False
            if answers(port):
                time.sleep(0.5)
                return True
            time.sleep(0.2)
        self.stop(port)
        return False

    @property
    def sid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, port):
        if self.proc is None:
            return
        sid = self.proc.pid
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(sid, sig)
            except ProcessLookupError:
                pass
            end = time.time() + wait
            while time.time() < end and (self.proc.poll() is None or session_pids(sid)):
                time.sleep(0.1)
            if self.proc.poll() is not None and not session_pids(sid):
                break
        self.proc.wait(timeout=5)
        self.proc = None
        end = time.time() + 15
        while time.time() < end and port_busy(port):
            time.sleep(0.2)
        time.sleep(1)


def tenk_models(tenk):
    try:
        p = subprocess.run(['timeout', '-k', '5', '120', tenk, 'models'], capture_output=True, text=True, cwd=ROOT)
    except OSError:
        return None
    names = parse_models(p.stdout) if p.returncode == 0 else []
    return names or None


def tenk_supports_model_flag(tenk):
    p = subprocess.run(['timeout', '-k', '5', '300', tenk, '--help'], capture_output=True, text=True, cwd=ROOT)
    if p.returncode != 0:
        raise SystemExit(f'bench/models: `{tenk} --help` failed:\n{p.stdout}{p.stderr}')
    return '--model' in p.stdout


def tenk_cmd(tenk, model, port, site, raw, model_flag):
    if model_flag:
        return [tenk, '--model', model, '-q', '-p', str(port), '-d', site]
    # a build without --model: the config file's [server] model key chooses it
    cfg = os.path.join(raw, f'tenk-{model}.toml')
    with open(cfg, 'w') as f:
        f.write(f'[server]\nlisten = ["{HOST}:{port}"]\nmodel = "{model}"\naccess_log = false\n')
    return [tenk, '-c', cfg, '-q', '-p', str(port), '-d', site]


def nginx_cmd(port, site, raw):
    tmp = os.path.join(raw, 'nginx')
    for d in ('client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'):
        os.makedirs(os.path.join(tmp, d), exist_ok=True)
    with open(os.path.join(HERE, 'nginx.conf')) as f:
        conf = f.read().replace('@PORT@', str(port)).replace('@ROOT@', site).replace('@TMP@', tmp)
    path = os.path.join(tmp, 'nginx.conf')
    with open(path, 'w') as f:
        f.write(conf)
    return ['/usr/sbin/nginx', '-p', tmp, '-c', path, '-e', os.path.join(tmp, 'error.log')]


def make_site(site):
    """A 1 KiB index.html (exactly 1024 bytes), as in the team's harness."""
    os.makedirs(site, exist_ok=True)
    head = '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>tenk bench</title></head>\n<body>\n<h1>tenk benchmark page</h1>\n'
    tail = '</body>\n</html>\n'
    filler = '<p>' + ('x' * 70) + '</p>\n'
    body = head
    while len(body) + len(filler) + len(tail) + 8 <= 1024:
        body += filler
    body += '<!--' + ' ' * (1024 - len(body) - len(tail) - 8) + '-->\n' + tail
    assert len(body.encode()) == 1024, len(body)
    with open(os.path.join(site, 'index.html'), 'w') as f:
        f.write(body)


# ------------------------------------------------------------------------------------- loads --

def load_spec(load, close_conns):
    """'10' -> (10, False); 'close' -> (CLOSE_CONNS, True)."""
    if load == 'close':
        return close_conns, True
    return int(load), False


def wrk_args(conns, close, dur, port):
    a = ['wrk', '-t1', f'-c{conns}', f'-d{dur}s', '--timeout', '10s', '--latency']
    if close:
        a += ['-H', 'Connection: close']
    return a + [f'http://{HOST}:{port}/index.html']


def run_wrk(args, dur, out):
    """Runs wrk on CLIENT_CPU, bounded; returns (text, wrk CPU s)."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, 'w') as f:
        subprocess.run(['timeout', '-k', '5', str(dur + 60), 'taskset', '-c', CLIENT_CPU] + args,
                       stdout=f, stderr=subprocess.STDOUT)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out) as f:
        return f.read(), (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)


def established(port):
    n = 0
    for path in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(path) as f:
                next(f)
                for line in f:
                    p = line.split()
                    if p[3] == '01' and int(p[1].rsplit(':', 1)[1], 16) == port:
                        n += 1
        except OSError:
            pass
    return n


def measure(server, port, load, cfg, raw, last):
    """One fresh server through one load. Returns a result dict."""
    conns, close = load_spec(load, cfg['close_conns'])
    res = dict(server=server.name, load=load, conns=conns, close=close)
    tag = f'{server.name}-{load}'
    if not server.start(port):
        res['status'] = 'not available' if load == cfg['loads'][0] else 'did not start'
        with open(server.logfile, errors='replace') as f:
            lines = [l.strip() for l in f if l.strip()]
        res['note'] = lines[-1][:200] if lines else ''
        return res
    try:
        warm = cfg['warmup_nginx'] if server.name == 'nginx' else cfg['warmup']
        if warm > 0:
            log(f'{tag}: warm-up {warm}s')
            run_wrk(wrk_args(min(conns, 100), close, warm, port), warm, os.path.join(raw, f'{tag}-warmup.txt'))
        end = time.time() + 15
        while established(port) and time.time() < end and server.alive():  # warm-up's connections gone
            time.sleep(0.2)
        log(f'{tag}: {cfg["dur"]}s of wrk -c{conns}{" Connection: close" if close else ""}')
        smp = Sampler(server.sid)
        smp.start()
        t0, c0, b0, s0 = time.time(), session_totals(server.sid)[0], machine_busy_ticks(), os.times()
        args = wrk_args(conns, close, cfg['dur'], port)
        text, wrk_cpu = run_wrk(args, cfg['dur'], os.path.join(raw, f'{tag}.txt'))
        t1, c1, b1, s1 = time.time(), session_totals(server.sid)[0], machine_busy_ticks(), os.times()
        smp.stop()
        secs = t1 - t0
        self_cpu = (s1.user + s1.system) - (s0.user + s0.system)
        srv_cpu = (c1 - c0) / CLK_TCK
        other = max(0.0, (b1 - b0) / CLK_TCK - srv_cpu - wrk_cpu - self_cpu)
        res.update(parse_wrk(text))
        res.update(status='ok' if res['rps'] is not None else 'no wrk result',
                   peak_rss_mib=smp.peak_rss / 2**20, peak_threads=smp.peak_threads,
                   server_cpu_pct=100 * srv_cpu / secs, wrk_cpu_pct=100 * wrk_cpu / secs,
                   other_cpu_pct=100 * other / secs, alive_after=server.alive(),
                   wrk_cmd=' '.join(a if ' ' not in a else f"'{a}'" for a in args))
        if res['rps'] is None:
            res['note'] = text.strip().splitlines()[-1][:200] if text.strip() else 'wrk printed nothing'
        if not res['alive_after']:
            res['note'] = (res.get('note', '') + ' server died during the run').strip()
        if last and server.alive():
            end = time.time() + 15
            while established(port) and time.time() < end:
                time.sleep(0.2)
            time.sleep(2)
            log(f'{server.name}: idle CPU over {cfg["idle"]}s')
            c0, t0 = session_totals(server.sid)[0], time.time()
            time.sleep(cfg['idle'])
            c1, t1 = session_totals(server.sid)[0], time.time()
            res['idle_cpu_pct'] = 100 * (c1 - c0) / CLK_TCK / (t1 - t0)
        return res
    finally:
        server.stop(port)


# ------------------------------------------------------------------------------------ report --

def machine_info(java_exe):
    info = dict(nproc=os.cpu_count(), kernel=platform.release(), cpu='?', jdk='?', wrk='?', nginx='?')
    try:
        with open('/proc/cpuinfo') as f:
            info['cpu'] = re.search(r'model name\s*:\s*(.*)', f.read()).group(1)
    except (OSError, AttributeError):
        pass
    if java_exe:
        p = subprocess.run([java_exe, '-version'], capture_output=True, text=True)
        info['jdk'] = (p.stderr.splitlines() or ['?'])[0] + f' ({java_exe})'
    p = subprocess.run(['wrk', '-v'], capture_output=True, text=True)
    info['wrk'] = (p.stdout + p.stderr).splitlines()[0].split(' Copyright')[0] if (p.stdout + p.stderr) else '?'
    if os.path.exists('/usr/sbin/nginx'):
        p = subprocess.run(['/usr/sbin/nginx', '-v'], capture_output=True, text=True)
        info['nginx'] = p.stderr.strip()
    return info


def fmt(v, spec='{:,.0f}', none='—'):
    return none if v is None else spec.format(v)


def load_label(load, close_conns):
    return f'close (c{close_conns})' if load == 'close' else f'{int(load):,}'


def write_chart(results, cfg, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    servers = list(dict.fromkeys(r['server'] for r in results))
    colors = dict(iterative='#d62728', polling='#ff7f0e', threads='#8c564b', pool='#e377c2',
                  virtual='#2ca02c', selector='#1f77b4', reactor='#17becf', prefork='#9467bd', nginx='black')
    ka = [l for l in cfg['loads'] if l != 'close']
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    (a_rps, a_err), (a_rss, a_close) = axes
    for s in servers:
        rows = {r['load']: r for r in results if r['server'] == s}
        xs = [int(l) for l in ka if rows.get(l, {}).get('status') == 'ok']
        if not rows or all(r.get('status') == 'not available' for r in rows.values()):
            continue
        style = dict(color=colors.get(s), marker='o', lw=2, label=s,
                     ls='--' if s == 'nginx' else '-')
        a_rps.plot(xs, [rows[str(x)]['rps'] for x in xs], **style)
        a_err.plot(xs, [100 * rows[str(x)]['errors'] / max(1, rows[str(x)]['errors'] + (rows[str(x)]['requests'] or 0))
                        for x in xs], **style)
        a_rss.plot(xs, [rows[str(x)]['peak_rss_mib'] for x in xs], **style)
        failed = [int(l) for l in ka if l in rows and rows[l].get('status') != 'ok']
        if failed:  # no result at all (server died, did not start, wrk gave nothing): an x on the axis
            a_rps.plot(failed, [0] * len(failed), 'x', color=colors.get(s), ms=12, mew=3, clip_on=False)
    for ax in (a_rps, a_err, a_rss):
        ax.set_xscale('log')
        ax.set_xticks([int(l) for l in ka])
        ax.set_xticklabels([f'{int(l):,}' for l in ka])
        ax.set_xlabel('keep-alive connections (wrk -t1, log scale)')
        ax.grid(True, which='major', alpha=.3)
    a_rps.set_title('Requests per second (higher is better; x: no result)')
    a_rps.set_ylim(bottom=0)
    a_rps.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f'{v:,.0f}'))
    a_err.set_title('Errors, % of attempts (lower is better)')
    a_err.set_ylim(-2, 102)
    a_rss.set_title('Peak server memory, RSS MiB (lower is better)')
    a_rss.set_yscale('log')
    a_rss.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f'{v:,.0f}'))
    a_rss.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    a_rss.yaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1, 2, 5)))
    close = [(s, r['rps']) for s in servers for r in results
             if r['server'] == s and r['load'] == 'close' and r.get('status') == 'ok']
    if close:
        a_close.barh([s for s, _ in close], [v for _, v in close], color=[colors.get(s, 'grey') for s, _ in close])
        for i, (_, v) in enumerate(close):
            a_close.text(v, i, f' {v:,.0f}', va='center')
        a_close.invert_yaxis()
        a_close.set_title(f'Connection: close, {cfg["close_conns"]} connections: requests per second')
        a_close.set_xlim(0, max(v for _, v in close) * 1.2)
        a_close.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f'{v:,.0f}'))
    else:
        a_close.axis('off')
    handles, labels = a_rps.get_legend_handles_labels()
    if handles:  # one legend for the three line plots, below them: it never covers data
        fig.legend(handles, labels, loc='lower center', ncol=len(labels), fontsize=10, frameon=False)
    fig.suptitle(f'tenk concurrency models and nginx: 1 KiB file, server on one core, wrk on the other, '
                 f'{cfg["dur"]} s per load', fontsize=12)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


DISTURBED_PCT = 25  # other load (% of a core) above which a run is flagged as disturbed


def disturbed(r):
    return r.get('status') == 'ok' and (r.get('other_cpu_pct') or 0) > DISTURBED_PCT


def write_report(data, out):
    cfg, results, info = data['cfg'], data['results'], data['machine']
    png_name = 'models.png'
    png_path = os.path.join(os.path.dirname(os.path.abspath(out)), png_name)
    os.makedirs(os.path.dirname(png_path), exist_ok=True)
    write_chart(results, cfg, png_path)
    servers = list(dict.fromkeys(r['server'] for r in results))
    L = []
    L.append('# Concurrency models side by side\n')
    L.append('Written by `bench/models`: every tenk model (`--model NAME`) and nginx (one worker) serve '
             'a 1 KiB `index.html` under the same wrk loads. Rerun it rather than editing the tables.\n')
    L.append(f'![requests/s, errors and memory per model against connections]({png_name})\n')
    L.append('## Requests per second\n')
    loads = cfg['loads']
    L.append('| server | ' + ' | '.join(load_label(l, cfg['close_conns']) for l in loads) + ' | idle CPU |')
    L.append('|---|' + '---:|' * (len(loads) + 1))
    by = {(r['server'], r['load']): r for r in results}
    unavailable = [s for s in servers if all(r.get('status') == 'not available' for r in results if r['server'] == s)]
    why = {r['server']: r.get('note', '').replace(data['raw'] + '/', '') for r in results if r.get('note') and r['server'] in unavailable}
    shown = [r for r in results if r['server'] not in unavailable]
    idle = {r['server']: r.get('idle_cpu_pct') for r in results if r.get('idle_cpu_pct') is not None}
    for s in servers:
        if s in unavailable:
            L.append(f'| {s} | not available |' + ' |' * len(loads))
            continue
        cells = []
        for l in loads:
            r = by.get((s, l), {})
            if r.get('status') == 'ok':
                cells.append(fmt(r['rps']) + (' ⚠' if r['errors'] else '') + (' †' if disturbed(r) else ''))
            else:
                cells.append(r.get('status', '—'))
        L.append(f'| {s} | ' + ' | '.join(cells) + f' | {fmt(idle.get(s), "{:.1f} %")} |')
    if unavailable:
        L.append('\nNot available in this build: ' + ', '.join(f'{s} (`{why.get(s, "")}`)' for s in unavailable) + '.')
    flags = ('⚠: the run had errors (see below). ' if any(r.get('errors') for r in results) else '')
    if any(disturbed(r) for r in results):
        flags += (f'†: disturbed, other load on the machine above {DISTURBED_PCT} % of a core during the run '
                  '(see the last table): read it as a lower bound, or rerun that model. ')
    L.append('\n' + flags + 'Idle CPU: % of one core used by the whole server '
             f'(all processes of its session) over {cfg["idle"]} s with no load, after its last load; '
             'the goal is < 2 %.\n')
    L.append('## Every model and load\n')
    L.append('| server | load | req/s | p99 ms | errors | peak RSS MiB | peak threads | server CPU % |')
    L.append('|---|---|---:|---:|---:|---:|---:|---:|')
    for r in shown:
        lab = load_label(r['load'], cfg['close_conns'])
        if r.get('status') != 'ok':
            L.append(f'| {r["server"]} | {lab} | {r.get("status")} | | | | | |')
            continue
        L.append(f'| {r["server"]} | {lab} | {fmt(r["rps"])}{" †" if disturbed(r) else ""} | {fmt(r["p99"], "{:,.2f}")} | {fmt(r["errors"])} '
                 f'| {fmt(r["peak_rss_mib"], "{:,.1f}")} | {fmt(r["peak_threads"])} | {fmt(r["server_cpu_pct"])} |')
    L.append('\nerrors = wrk socket errors (connect + read + write + timeout, with `--timeout 10s`) + '
             'non-2xx responses. RSS and threads are the peaks of samples taken every 0.5 s during the '
             'measured run, summed over every process in the server\'s session (prefork\'s workers, '
             'nginx\'s master and worker). Server CPU: % of a core over the run (its core is the limit).\n')
    L.append('## How it was measured\n')
    L.append(f'- Date: {data["date"]}')
    L.append(f'- Machine: {info["nproc"]} CPUs ({info["cpu"]}), Linux {info["kernel"]}; {info["jdk"]}; '
             f'{info["wrk"]}; {info["nginx"]}')
    L.append(f'- Command: `{data["command"]}`')
    L.append(f'- Each load on a fresh server pinned to CPU {SERVER_CPU} (`taskset`); wrk pinned to CPU '
             f'{CLIENT_CPU}; {cfg["warmup"]} s warm-up for tenk ({cfg["warmup_nginx"]} s for nginx) with the '
             f'same load at most 100 connections, then {cfg["dur"]} s measured, once.')
    L.append(f'- Document root: a 1,024-byte `index.html` in `{cfg["site"]}`, over 127.0.0.1 only.')
    L.append('- Servers:')
    for s, c in data['server_cmds'].items():
        if s in unavailable:
            continue
        L.append(f'  - {s}: `{c}`')
    L.append('- Loads (PORT as above):')
    seen = set()
    for r in results:
        if r.get('wrk_cmd') and r['load'] not in seen:
            seen.add(r['load'])
            L.append(f'  - {load_label(r["load"], cfg["close_conns"])}: `{re.sub(r":[0-9]+/", ":PORT/", r["wrk_cmd"])}`')
    L.append(f'- Raw wrk output and server logs: `{data["raw"]}` on the machine that ran it; every figure of '
             f'every run is kept beside this file in `{os.path.basename(results_path(out))}` '
             f'(`bench/models --report` rewrites this page from it).\n')
    L.append('## Reading the figures\n')
    L.append('_Interpretation to be written by a person. Raw numbers per run:_\n')
    L.append('| server | load | requests | req/s | p50 ms | p99 ms | connect | read | write | timeout | non-2xx '
             '| wrk CPU % | other load % | note |')
    L.append('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|')
    for r in shown:
        lab = load_label(r['load'], cfg['close_conns'])
        if r.get('status') != 'ok':
            L.append(f'| {r["server"]} | {lab} | {r.get("status")} | | | | | | | | | | | {r.get("note", "")} |')
            continue
        L.append(f'| {r["server"]} | {lab} | {fmt(r["requests"])} | {fmt(r["rps"])} | {fmt(r["p50"], "{:,.2f}")} '
                 f'| {fmt(r["p99"], "{:,.2f}")} | {r["connect"]} | {r["read"]} | {r["write"]} | {r["timeout"]} '
                 f'| {r["non2xx"]} | {fmt(r["wrk_cpu_pct"])} | {fmt(r["other_cpu_pct"])} '
                 f'| {"; ".join(x for x in (r.get("note", ""), "disturbed" if disturbed(r) else "") if x)} |')
    L.append('\nother load: CPU used on the machine during the run by anything but the server, wrk and this '
             'script (other people\'s work on a shared machine); above ~25 % the run was disturbed.\n')
    kept = written_by_hand(out)
    with open(out, 'w') as f:
        f.write('\n'.join(L))
        if kept:
            f.write('\n' + kept)
    with open(results_path(out), 'w') as f:
        json.dump(data, f, indent=1)
    return png_path


GENERATED = ('# Concurrency models side by side', '## Requests per second', '## Every model and load',
             '## How it was measured', '## Reading the figures')


def written_by_hand(out):
    """The sections of the page at out that this script does not write (from the first heading that
    is not one of its own to the end), which a rewrite keeps: the event mechanisms, the process model.
    The reading of the figures belongs to one run: a new run leaves a person to write it again."""
    try:
        with open(out) as f:
            lines = f.read().split('\n')
    except FileNotFoundError:
        return ''
    for i, line in enumerate(lines):
        if line.startswith('#') and not line.startswith(GENERATED):
            return '\n'.join(lines[i:])
    return ''


def results_path(out):
    """Where the figures behind a report are kept: docs/MODELS.md -> docs/models-results.json."""
    return os.path.join(os.path.dirname(os.path.abspath(out)), 'models-results.json')


# -------------------------------------------------------------------------------------- main --

def env_int(name, default):
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        raise SystemExit(f'bench/models: {name} must be a whole number of seconds')


def main(argv):
    if argv and argv[0] == '--self-test':
        r = unittest.main(argv=['models'], module=__name__, exit=False, verbosity=1).result
        return 0 if r.wasSuccessful() else 1
    out = os.environ.get('OUT', os.path.join(ROOT, 'docs', 'MODELS.md'))
    if argv and argv[0] == '--report':
        with open(argv[1]) as f:
            data = json.load(f)
        print(f'wrote {out} and {write_report(data, out)}')
        return 0
    if any(a.startswith('-') for a in argv):
        raise SystemExit('usage: bench/models [MODEL...] | --report RESULTS.json | --self-test | --help')
    stamp = time.strftime('%Y%m%d-%H%M%S')
    cfg = dict(dur=env_int('DUR', 10), warmup=env_int('WARMUP', 20), warmup_nginx=min(3, env_int('WARMUP', 20)),
               idle=env_int('IDLE', 10), close_conns=env_int('CLOSE_CONNS', 100),
               loads=os.environ.get('LOADS', '10 100 1000 10000 close').split(),
               site=os.environ.get('SITE', '/tmp/tenk-models-site'))
    for l in cfg['loads']:
        if l != 'close' and not l.isdigit():
            raise SystemExit(f'bench/models: LOADS takes connection counts and "close", not {l!r}')
    port = env_int('PORT', 18950)
    raw = os.environ.get('RAW_DIR', f'/tmp/tenk-models-raw/{stamp}')
    os.makedirs(raw, exist_ok=True)
    tenk = os.environ.get('TENK', os.path.join(ROOT, 'tenk'))
    try:
        os.sched_setaffinity(0, {int(CLIENT_CPU)})  # this script's sampling stays off the server's core
    except OSError:
        pass
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < 2 * 10000 + 100 and any(l.isdigit() and int(l) >= 10000 for l in cfg['loads']):
        log(f'warning: the fd hard limit is {hard}; 10,000 connections need more on both sides')
    make_site(cfg['site'])

    log('building tenk if needed (./tenk --help)')
    model_flag = tenk_supports_model_flag(tenk)
    listed = tenk_models(tenk)
    models = argv or listed or FALLBACK_MODELS
    log(f'models: {" ".join(models)} ({"from `tenk models`" if listed and not argv else "given" if argv else "fixed list; `tenk models` not available"}); '
        f'model chosen by {"--model" if model_flag else "config file ([server] model)"}')

    servers, cmds = [], {}
    for m in models:
        c = tenk_cmd(tenk, m, port, cfg['site'], raw, model_flag)
        servers.append(Server(m, c, os.path.join(raw, f'server-{m}.log')))
        cmds[m] = ' '.join(c).replace(ROOT + '/', './').replace(raw, 'RAW').replace(str(port), 'PORT')
    if os.environ.get('NGINX', '1') == '1':
        c = nginx_cmd(port, cfg['site'], raw)
        servers.append(Server('nginx', c, os.path.join(raw, 'server-nginx.log')))
        cmds['nginx'] = ' '.join(c).replace(raw, 'RAW') + '   (config: bench/nginx.conf)'

    java = None
    jh = subprocess.run(['bash', '-c', f'. "{ROOT}/scripts/java-env.sh" && tenk_find_java >/dev/null 2>&1 && echo "$JAVA_HOME"'],
                        capture_output=True, text=True).stdout.strip()
    if jh and os.path.exists(os.path.join(jh, 'bin', 'java')):
        java = os.path.join(jh, 'bin', 'java')
    data = dict(date=datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z'),
                machine=machine_info(java), cfg=cfg, raw=raw, server_cmds=cmds, results=[],
                command=' '.join([f'{k}="{os.environ[k]}"' for k in KNOBS if k in os.environ] + ['bench/models'] + argv))
    started = time.time()
    results_json = os.path.join(raw, 'results.json')

    def save():
        with open(results_json, 'w') as f:
            json.dump(data, f, indent=1)

    def on_signal(signum, _frame):
        for s in servers:
            s.stop(port)
        raise SystemExit(130)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    try:
        for s in servers:
            for i, load in enumerate(cfg['loads']):
                r = measure(s, port, load, cfg, raw, last=(i == len(cfg['loads']) - 1))
                data['results'].append(r)
                save()
                if r.get('status') == 'not available':
                    log(f'{s.name}: not available ({r.get("note", "")}); skipped')
                    for l in cfg['loads'][i + 1:]:
                        data['results'].append(dict(server=s.name, load=l, status='not available'))
                    break
                if r.get('status') == 'ok':
                    log(f'{s.name} {load}: {r["rps"]:,.0f} req/s, p99 {fmt(r["p99"], "{:,.2f}")} ms, '
                        f'{r["errors"]} errors, {r["peak_rss_mib"]:.0f} MiB, {r["peak_threads"]} threads')
                else:
                    log(f'{s.name} {load}: {r.get("status")} {r.get("note", "")}')
    finally:
        for s in servers:
            s.stop(port)
    save()
    png = write_report(data, out)
    log(f'done in {time.time() - started:.0f} s: wrote {out}, {png} (raw: {raw})')
    return 0


class ParserTest(unittest.TestCase):
    SAMPLE = """Running 10s test @ http://127.0.0.1:18950/index.html
  1 threads and 10000 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   187.45ms  342.10ms   1.99s    91.20%
    Req/Sec    41.57k     3.10k   45.01k    72.00%
  Latency Distribution
     50%   95.12ms
     75%  130.40ms
     90%  410.00ms
     99%    1.62s
  413829 requests in 10.01s, 493.50MB read
  Socket errors: connect 0, read 12, write 3, timeout 245
  Non-2xx or 3xx responses: 7
Requests/sec:  41343.27
Transfer/sec:     49.30MB
"""

    def test_full_output(self):
        r = parse_wrk(self.SAMPLE)
        self.assertAlmostEqual(r['rps'], 41343.27)
        self.assertAlmostEqual(r['p50'], 95.12)
        self.assertAlmostEqual(r['p99'], 1620.0)
        self.assertEqual(r['requests'], 413829)
        self.assertEqual((r['connect'], r['read'], r['write'], r['timeout'], r['non2xx']), (0, 12, 3, 245, 7))
        self.assertEqual(r['errors'], 267)

    def test_clean_run_has_no_errors(self):
        text = re.sub(r'  Socket errors.*\n  Non-2xx.*\n', '', self.SAMPLE)
        r = parse_wrk(text)
        self.assertEqual(r['errors'], 0)
        self.assertEqual(r['requests'], 413829)

    def test_units(self):
        self.assertAlmostEqual(to_ms('512.00us'), 0.512)
        self.assertAlmostEqual(to_ms('2.50ms'), 2.5)
        self.assertAlmostEqual(to_ms('1.20m'), 72000)
        self.assertIsNone(to_ms('n/a'))

    def test_no_result(self):
        r = parse_wrk('unable to connect to 127.0.0.1:18950 Connection refused\n')
        self.assertIsNone(r['rps'])
        self.assertIsNone(r['p99'])

    def test_models_listing(self):
        text = ('tenk models (choose one with --model NAME):\n'
                '  iterative  one connection at a time\n  selector   one thread, one Selector\n'
                '  prefork    N processes\n')
        self.assertEqual(parse_models(text), ['iterative', 'selector', 'prefork'])
        self.assertEqual(parse_models('Unknown option: models\n'), [])

    def test_load_spec(self):
        self.assertEqual(load_spec('10000', 100), (10000, False))
        self.assertEqual(load_spec('close', 100), (100, True))
        a = wrk_args(100, True, 5, 1234)
        self.assertEqual(a[-1], 'http://127.0.0.1:1234/index.html')
        self.assertIn('Connection: close', a)
        self.assertIn('--timeout', a)

    def test_site_is_1_kib(self):
        d = f'/tmp/tenk-models-selftest-{os.getpid()}'
        try:
            make_site(d)
            self.assertEqual(os.path.getsize(os.path.join(d, 'index.html')), 1024)
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def test_report_from_results(self):
        d = f'/tmp/tenk-models-selftest-{os.getpid()}'
        ok = dict(status='ok', rps=1000.0, p50=1.0, p99=2.0, requests=10000, connect=0, read=0, write=0,
                  timeout=0, non2xx=0, errors=0, peak_rss_mib=50.0, peak_threads=20, server_cpu_pct=99.0,
                  wrk_cpu_pct=50.0, other_cpu_pct=1.0, wrk_cmd='wrk -t1 -c10 http://127.0.0.1:1/index.html')
        res = [dict(ok, server='selector', load='10', conns=10, close=False),
               dict(ok, server='selector', load='close', conns=100, close=True, idle_cpu_pct=0.1),
               dict(server='iterative', load='10', status='not available', note='unknown model'),
               dict(server='iterative', load='close', status='not available')]
        data = dict(cfg=dict(dur=1, warmup=1, warmup_nginx=1, idle=1, close_conns=100, loads=['10', 'close'], site='/x'),
                    results=res, date='today', raw='/tmp/raw', server_cmds={'selector': './tenk --model selector'},
                    command='bench/models', machine=dict(nproc=2, cpu='cpu', kernel='k', jdk='j', wrk='w', nginx='n'))
        try:
            os.makedirs(d)
            png = write_report(data, os.path.join(d, 'MODELS.md'))
            self.assertTrue(os.path.getsize(png) > 1000)
            with open(os.path.join(d, 'MODELS.md')) as f:
                md = f.read()
            self.assertIn('| selector | 1,000 | 1,000 | 0.1 % |', md)
            self.assertIn('| iterative | not available | | |', md)
            self.assertIn('Not available in this build: iterative (`unknown model`)', md)
            self.assertNotIn('⚠', md)
            self.assertNotIn('†', md)
            self.assertIn('## Reading the figures', md)
            self.assertTrue(os.path.exists(os.path.join(d, 'models-results.json')))
            res[0]['other_cpu_pct'] = 40.0
            write_report(data, os.path.join(d, 'MODELS.md'))
            with open(os.path.join(d, 'MODELS.md')) as f:
                md = f.read()
            self.assertIn('| selector | 1,000 † | 1,000 | 0.1 % |', md)
            self.assertIn('| 50 | 40 | disturbed |', md)
            with open(os.path.join(d, 'MODELS.md'), 'a') as f:
                f.write('\n## Event mechanisms (`--selector`)\n\nWritten by hand.\n')
            res[0]['rps'] = 2000.0
            write_report(data, os.path.join(d, 'MODELS.md'))
            with open(os.path.join(d, 'MODELS.md')) as f:
                md = f.read()
            self.assertIn('| selector | 2,000 † |', md)
            self.assertEqual(1, md.count('## Event mechanisms'), 'a section written by hand is kept, once')
            self.assertTrue(md.endswith('Written by hand.\n'))
        finally:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
