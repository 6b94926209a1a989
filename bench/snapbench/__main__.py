"""The benchmark: each Snapkeep figure next to a baseline tool's on the same data, in the same run.

Run through bench/run, which installs the baseline tools and builds the jar first. A measurement, not a
test: it exits 0 whatever the figures, and a part that fails becomes a row saying so.
"""
import argparse
import csv
import datetime
import http.client
import json
import os
import platform
import queue
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback

from . import api, datagen, report, rss, services
from .cache import Cache
from .report import Row, median, percentile, ratio_row

KIB, MIB, GIB = 1 << 10, 1 << 20, 1 << 30
PASSWORD = "bench-admin-password"
PARTS = ["P1", "P2", "P3", "P5", "P6", "P7", "P9", "P10", "P11", "P12", "P13", "P14"]
# P11: the login limits lifted, so that every failed attempt is really checked.
NO_THROTTLE = {"SNAPKEEP_AUTH_MAX_FAILURES_PER_ADDRESS": "1000000", "SNAPKEEP_AUTH_MAX_FAILURES_PER_USER": "1000000"}


def size(text):
    m = re.fullmatch(r"\s*(\d+)\s*([kmgt]i?b?)?\s*", text, re.I)
    if not m:
        raise argparse.ArgumentTypeError("a size like 64MiB, 1GiB or 16KiB, got " + text)
    unit = (m.group(2) or "").lower()[:1]
    return int(m.group(1)) << {"": 0, "k": 10, "m": 20, "g": 30, "t": 40}[unit]


def parse(argv):
    p = argparse.ArgumentParser(prog="bench/run", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small sizes (64 MiB, 2,000 files): a few minutes")
    p.add_argument("--a-size", type=size, help="dataset A, one random file (default 1GiB; quick 64MiB)")
    p.add_argument("--a-large-size", type=size, help="dataset A for P7's second size (default 4GiB; quick 256MiB)")
    p.add_argument("--no-large", action="store_true", help="skip P7's run at the large size")
    p.add_argument("--b-files", type=int, help="dataset B, JSON files (default 20000; quick 2000)")
    p.add_argument("--b-file-size", type=size, default=16 * KIB, help="approximate size of one B file (16KiB)")
    p.add_argument("--runs", type=int, default=3, help="timed runs per figure, the median is shown (3)")
    p.add_argument("--p9-snapshots", type=int, help="snapshots in the catalog for P9 (10000)")
    p.add_argument("--p9-requests", type=int, help="timed requests per P9 and P13 figure (default 200; quick 60)")
    p.add_argument("--p10-snapshots", type=int, help="P10: archives in the S3 store rebuilt into the catalog "
                   "(default 10000; quick 2000; the fs store holds P9's)")
    p.add_argument("--p12-seconds", type=int, help="P12: seconds of load (default 60; quick 20)")
    p.add_argument("--p12-clients", type=int, default=50, help="P12: concurrent keep-alive clients (50)")
    p.add_argument("--p12-processes", type=int, default=5, help="P12: client processes they are spread over (5)")
    p.add_argument("--p13-snapshots", type=int, help="snapshots in the cluster's catalog for P13 (as P9's; quick 2000)")
    p.add_argument("--p13-nodes", type=int, default=3, help="cluster nodes for P13 (3)")
    p.add_argument("--p11-attempts", type=int, help="P11: failed logins timed per user kind (default 200; quick 30)")
    p.add_argument("--p11-attackers", type=int, default=32, help="P11: attacking keep-alive connections (32)")
    p.add_argument("--p11-requests", type=int, help="P11: legitimate lists timed per kind and phase (default 300; quick 100)")
    p.add_argument("--p14-entries", type=int, help="P14: zip entries of the uploaded archive (default 1000000; quick 200000)")
    p.add_argument("--only", default=",".join(PARTS), help="comma-separated parts to run (%(default)s)")
    p.add_argument("--cache", choices=["auto", "drop", "evict", "none"], default="auto",
                   help="cold cache: drop_caches where permitted, else evict the files (auto)")
    p.add_argument("--keep-data", action="store_true", help="keep the generated data sets for the next run")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--heap", default="256m", help="the server's -Xmx (256m)")
    p.add_argument("--op-timeout", type=int, default=1800, help="seconds any one timed operation may take")
    p.add_argument("--jar", help=argparse.SUPPRESS)
    p.add_argument("--work", help="where data and scratch files go (bench/work)")
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--s3proxy-classpath-file", help=argparse.SUPPRESS)
    p.add_argument("--pidfile", help=argparse.SUPPRESS)
    p.add_argument("--rebuild", action="store_true", help="rebuild the server jar first")
    a = p.parse_args(argv)
    q = a.quick
    a.a_size = a.a_size or (64 * MIB if q else GIB)
    a.a_large_size = a.a_large_size or (4 * a.a_size if q else 4 * GIB)
    a.b_files = a.b_files or (2000 if q else 20000)
    a.p9_snapshots = a.p9_snapshots if a.p9_snapshots is not None else 10000
    a.p9_requests = a.p9_requests or (60 if q else 200)
    # The cluster seeds more slowly (every upload goes to S3): --quick keeps it small.
    if a.p13_snapshots is None:
        a.p13_snapshots = min(2000, a.p9_snapshots) if q else a.p9_snapshots
    if a.p10_snapshots is None:
        a.p10_snapshots = 2000 if q else 10000
    a.p12_seconds = a.p12_seconds or (20 if q else 60)
    if a.p12_clients < 1 or a.p12_processes < 1:
        p.error("--p12-clients and --p12-processes: at least 1")
    a.p11_attempts = a.p11_attempts or (30 if q else 200)
    a.p11_requests = a.p11_requests or (100 if q else 300)
    a.p14_entries = a.p14_entries or (200000 if q else 1000000)
    if a.p14_entries < 3:
        p.error("--p14-entries: at least 3 (metadata.json, one participant entry, MANIFEST.sha256)")
    if a.p13_nodes < 1:
        p.error("--p13-nodes: at least 1")
    a.only = {x.strip().upper() for x in a.only.split(",") if x.strip()}
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    a.work = os.path.abspath(a.work or os.path.join(here, "work"))
    a.out = os.path.abspath(a.out or os.path.join(here, "out"))
    a.jar = os.path.abspath(a.jar or os.path.join(os.path.dirname(here), "app", "target", "snapkeep.jar"))
    a.here = here
    return a


def log(msg):
    print("[bench] " + msg, file=sys.stderr, flush=True)


def human(n):
    for unit, s in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= s:
            v = n / s
            return ("%d %s" if v == int(v) else "%.1f %s") % (v, unit)
    return "%d B" % n


def first_line(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        text = (r.stdout + r.stderr).strip().splitlines()
        return text[0].strip() if text else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"


def zip_version():
    try:
        out = subprocess.run(["zip", "-v"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return "not installed"
    return next((l.strip() for l in out.splitlines() if l.startswith("This is Zip")), "?")


def cpu_note(ours, base):
    return "CPU: ours %.1f s, baseline %.1f s" % (median(ours) or 0, median(base) or 0)


def fsync(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def execution_seconds(ex):
    """An execution's own duration, from its started_at to its ended_at (milliseconds in the answer)."""
    def at(text):
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (at(ex["ended_at"]) - at(ex["started_at"])).total_seconds()


def fsync_tree(root):
    """fsync of every file and directory under `root` and of `root` itself: extracted data made durable one
    file at a time, as a restore does (a `syncfs` would also flush whatever else the shared machine wrote)."""
    for base, _, names in os.walk(root, topdown=False):
        for n in names:
            path = os.path.join(base, n)
            if not os.path.islink(path):
                fsync(path)
        fsync(base)


class Bench:
    def __init__(self, a):
        self.a = a
        self.cache = Cache(a.cache)
        self.rows = []
        self.procs = []
        self.data = os.path.join(a.work, "data")
        self.scratch = os.path.join(a.work, "run")
        self.rss = {}  # (operation, "small"|"large") -> peak bytes
        self.servers = {}
        self.snap = {}  # what was made for later parts: name -> snapshot id / path
        shutil.rmtree(self.scratch, ignore_errors=True)
        os.makedirs(self.scratch)
        os.makedirs(self.data, exist_ok=True)
        self.aws = shutil.which("aws")
        self.one_node = {}  # P9's figures, beside which P13 shows the cluster's
        self.pg_version = None

    # ---------------------------------------------------------------- helpers
    def run(self, argv, cwd=None, env=None):
        r = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=self.a.op_timeout)
        if r.returncode != 0:
            raise RuntimeError("%s exited %d: %s" % (" ".join(argv), r.returncode, r.stderr.decode()[-500:]))

    def timed_cmd(self, argv, cold, cwd=None, durable=None, env=None, before=None, cpu=None, durable_tree=None):
        """Seconds for `argv` from a cold cache, including an fsync of `durable` (the server fsyncs its archive)
        or of every file and directory under `durable_tree`; appends the command's CPU seconds to `cpu`."""
        if before:
            before()
        self.cache.cold(cold)
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        self.run(argv, cwd=cwd, env=env)
        if durable:
            fsync(durable)
        if durable_tree:
            fsync_tree(durable_tree)
        t = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if cpu is not None:
            cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        return t

    def timed_execution(self, server, start, cold, rss_key=None, cpu=None):
        """Seconds from the request that starts an execution until the server reports it terminated; appends
        the server's CPU seconds meanwhile to `cpu`."""
        c = api.Client(server.port, PASSWORD, timeout=self.a.op_timeout)
        try:
            self.cache.cold(cold)
            peak = rss.PeakRss(server.pid) if rss_key else None
            if peak:
                peak.__enter__()
            try:
                c0 = rss.cpu_seconds(server.pid)
                t0 = time.perf_counter()
                eid = start(c)
                c.wait(eid, self.a.op_timeout)
                t = time.perf_counter() - t0
                if cpu is not None:
                    cpu.append(rss.cpu_seconds(server.pid) - c0)
            finally:
                if peak:
                    peak.__exit__(None, None, None)
            if peak:
                self.rss[rss_key] = max(self.rss.get(rss_key, 0), peak.peak)
            return t
        finally:
            c.close()

    def server(self, name, dataset, s3=None, warm=True, env=None, workdir=None, start_timeout=60):
        if name in self.servers:
            return self.servers[name]
        s = services.Server(self.a.jar, workdir or os.path.join(self.scratch, "server-" + name), dataset, PASSWORD,
                            heap=self.a.heap, s3=s3, env=env, start_timeout=start_timeout)
        self.procs.append(s)
        self.servers[name] = s
        log("server %s: pid %d, port %d, participant on %s" % (name, s.pid, s.port, dataset))
        if warm:
            # A server runs for long: one untimed create first, so that no figure pays for class loading
            # and the JIT's first compilations.
            c = self.client(s)
            try:
                c.wait(c.create("warm-up"), self.a.op_timeout)
                c.delete("warm-up")
            finally:
                c.close()
        return s

    def stop_server(self, name):
        s = self.servers.pop(name, None)
        if s:
            s.stop()
            self.procs.remove(s)

    def client(self, s):
        return api.Client(s.port, PASSWORD, timeout=self.a.op_timeout)

    def archive_file(self, s, sid):
        """The stored archive of `sid` in a filesystem store: `archives/<id>.zip` under `fs.root` (the store
        layout), or `<id>.zip` at the root (the previous release's)."""
        for path in (os.path.join(s.archives, "archives", sid + ".zip"), os.path.join(s.archives, sid + ".zip")):
            if os.path.isfile(path):
                return path
        raise RuntimeError("no archive file for %s under %s" % (sid, s.archives))

    def fresh(self, *paths):
        def go():
            for p in paths:
                if os.path.isdir(p):
                    shutil.rmtree(p)
                elif os.path.exists(p):
                    os.remove(p)
        return go

    # ---------------------------------------------------------------- data
    def dataset_a(self):
        d = os.path.join(self.data, "A")
        t = time.time()
        datagen.random_file(d, self.a.a_size, self.a.seed)
        log("dataset A: %s random bytes in %s (%.1fs)" % (human(self.a.a_size), d, time.time() - t))
        return d

    def dataset_a_large(self):
        d = os.path.join(self.data, "A-large")
        t = time.time()
        datagen.random_file(d, self.a.a_large_size, self.a.seed + 1)
        log("dataset A-large: %s random bytes (%.1fs)" % (human(self.a.a_large_size), time.time() - t))
        return d

    def dataset_b(self):
        d = os.path.join(self.data, "B")
        t = time.time()
        total = datagen.json_tree(d, self.a.b_files, self.a.b_file_size, self.a.seed + 2)
        self.b_total = total
        log("dataset B: %d JSON files, %s in %s (%.1fs)" % (self.a.b_files, human(total), d, time.time() - t))
        return d

    # ---------------------------------------------------------------- parts
    def ensure_snapshot(self, key, server_name, dataset):
        if key not in self.snap:
            s = self.server(server_name, dataset)
            c = self.client(s)
            try:
                c.wait(c.create(key), self.a.op_timeout)
            finally:
                c.close()
            self.snap[key] = key
        return self.snap[key]

    def ensure_tar(self, name, dataset):
        out = os.path.join(self.scratch, name + ".tar")
        if not os.path.exists(out):
            self.run(["tar", "-cf", out, os.path.basename(dataset)], cwd=os.path.dirname(dataset))
        return out

    def p1(self, A):
        s = self.server("A", A)
        ours, z0, tr = [], [], []
        cpu = {"ours": [], "zip": [], "tar": []}
        zout, tout = os.path.join(self.scratch, "A-zip0.zip"), os.path.join(self.scratch, "A.tar")
        base, cwd = os.path.basename(A), os.path.dirname(A)
        for i in range(self.a.runs):
            sid = "p1-%d" % i
            ours.append(self.timed_execution(s, lambda c: c.create(sid), [A], rss_key=("create", "small"),
                                             cpu=cpu["ours"]))
            z0.append(self.timed_cmd(["zip", "-q", "-0", "-r", zout, base], [A], cwd=cwd, durable=zout,
                                     before=self.fresh(zout), cpu=cpu["zip"]))
            tr.append(self.timed_cmd(["tar", "-cf", tout, base], [A], cwd=cwd, durable=tout, before=self.fresh(tout),
                                     cpu=cpu["tar"]))
            log("P1 run %d: snapkeep %.2fs, zip -0 + fsync %.2fs, tar -cf + fsync %.2fs"
                % (i + 1, ours[-1], z0[-1], tr[-1]))
            if i < self.a.runs - 1:
                self.client(s).delete(sid)
        self.snap["A"] = "p1-%d" % (self.a.runs - 1)
        note = "%s random" % human(self.a.a_size)
        # The server fsyncs its archive before it commits: the baseline makes the same bytes durable.
        self.rows.append(ratio_row("P1", "create snapshot of A", median(ours), median(tr),
                                   "tar -cf, then fsync of the tar", 1.5,
                                   note=note + "; " + cpu_note(cpu["ours"], cpu["tar"])))
        r = ratio_row("P1", "create snapshot of A", median(ours), median(z0), "zip -0 -r, then fsync of the zip", 0.3,
                      note=note + "; " + cpu_note(cpu["ours"], cpu["zip"]))
        r.target, r.holds = "(info)", None
        self.rows.append(r)

    def p2(self, B):
        s = self.server("B", B)
        ours, z6, py = [], [], []
        cpu = {"ours": [], "zip": [], "py": []}
        zout = os.path.join(self.scratch, "B-zip6.zip")
        pybase = os.path.join(self.scratch, "B-py")
        base, cwd = os.path.basename(B), os.path.dirname(B)
        script = "import shutil, sys; shutil.make_archive(sys.argv[1], 'zip', sys.argv[2])"
        size_ours = None
        for i in range(self.a.runs):
            sid = "p2-%d" % i
            ours.append(self.timed_execution(s, lambda c: c.create(sid), [B], cpu=cpu["ours"]))
            size_ours = self.client(s).snapshot(sid)["archive_size"]
            z6.append(self.timed_cmd(["zip", "-q", "-6", "-r", zout, base], [B], cwd=cwd, durable=zout,
                                     before=self.fresh(zout), cpu=cpu["zip"]))
            py.append(self.timed_cmd([sys.executable, "-c", script, pybase, B], [B], durable=pybase + ".zip",
                                     before=self.fresh(pybase + ".zip"), cpu=cpu["py"]))
            log("P2 run %d: snapkeep %.2fs, zip -6 %.2fs, make_archive %.2fs" % (i + 1, ours[-1], z6[-1], py[-1]))
            if i < self.a.runs - 1:
                self.client(s).delete(sid)
        self.snap["B"] = "p2-%d" % (self.a.runs - 1)
        note = "%d files, %s" % (self.a.b_files, human(self.b_total))
        self.rows.append(ratio_row("P2", "create snapshot of B", median(ours), median(z6), "zip -6 -r", 0.6,
                                   note=note + "; " + cpu_note(cpu["ours"], cpu["zip"])))
        r = ratio_row("P2", "create snapshot of B", median(ours), median(py), "python shutil.make_archive", 0.6,
                      note=note + "; " + cpu_note(cpu["ours"], cpu["py"]))
        r.target, r.holds = "(info)", None
        self.rows.append(r)
        self.rows.append(ratio_row("P2", "archive size of B", size_ours / MIB, os.path.getsize(zout) / MIB,
                                   "zip -6 -r", 1.05, unit="MiB"))
        r = ratio_row("P2", "archive size of B", size_ours / MIB, os.path.getsize(pybase + ".zip") / MIB,
                      "python shutil.make_archive", 1.05, unit="MiB")
        r.target, r.holds = "(info)", None
        self.rows.append(r)

    def p3(self, name, dataset, rss_key, info_unzip):
        s = self.server(name, dataset)
        sid = self.ensure_snapshot(name, name, dataset)
        archive = self.archive_file(s, sid)
        tar = self.ensure_tar(name, dataset)
        out = os.path.join(self.scratch, "extract-" + name)
        ours, uz, tx = [], [], []
        cpu = {"ours": [], "unzip": [], "tar": []}
        for i in range(self.a.runs):
            ours.append(self.timed_execution(s, lambda c: c.restore(sid), [archive, dataset],
                                             rss_key=("restore", "small") if rss_key else None, cpu=cpu["ours"]))
            uz.append(self.timed_cmd(["unzip", "-q", "-o", archive, "-d", out], [archive],
                                     before=lambda: (self.fresh(out)(), os.makedirs(out)), cpu=cpu["unzip"]))
            tx.append(self.timed_cmd(["tar", "-xf", tar, "-C", out], [tar], durable_tree=out,
                                     before=lambda: (self.fresh(out)(), os.makedirs(out)), cpu=cpu["tar"]))
            log("P3 %s run %d: snapkeep %.2fs, unzip %.2fs, tar -xf + fsync %.2fs"
                % (name, i + 1, ours[-1], uz[-1], tx[-1]))
        self.fresh(out)()
        # The restore leaves its data durable: the tar baseline fsyncs every extracted file and directory.
        self.rows.append(ratio_row("P3." + name, "restore of " + name, median(ours), median(tx),
                                   "tar -xf (same data), then fsync of every extracted file and directory", 1.5,
                                   note=cpu_note(cpu["ours"], cpu["tar"]) + " (CPU of tar only)"))
        r = ratio_row("P3." + name, "restore of " + name, median(ours), median(uz), "unzip (same archive), no sync", 0.5,
                      note=cpu_note(cpu["ours"], cpu["unzip"]))
        if info_unzip:
            r.target, r.holds = "(info)", None
        self.rows.append(r)

    def curl(self, url, auth=None):
        argv = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_starttransfer} %{time_total} "
                "%{size_download}", url]
        if auth:
            argv[1:1] = ["-u", auth]
        r = subprocess.run(argv, capture_output=True, text=True, timeout=self.a.op_timeout)
        code, ttfb, total, n = r.stdout.split()
        if code != "200":
            raise RuntimeError("curl %s: HTTP %s %s" % (url, code, r.stderr))
        return float(ttfb), float(total), int(n)

    def p6(self, A):
        s = self.server("A", A)
        sid = self.ensure_snapshot("A", "A", A)
        archive = self.archive_file(s, sid)
        root = os.path.join(self.scratch, "nginx-root")
        os.makedirs(root, exist_ok=True)
        served = os.path.join(root, "archive.zip")
        try:
            os.link(archive, served)  # the same inode: the same bytes and the same page cache
        except OSError:
            shutil.copyfile(archive, served)
        ng = services.Nginx(os.path.join(self.scratch, "nginx"), root)
        self.procs.append(ng)
        ours_url = "http://127.0.0.1:%d/api/v3.1/snapshots/%s/archive" % (s.port, sid)
        ng_url = "http://127.0.0.1:%d/archive.zip" % ng.port
        auth = "admin:" + PASSWORD
        res = {("ours", "cold"): [], ("nginx", "cold"): [], ("ours", "warm"): [], ("nginx", "warm"): []}
        for i in range(self.a.runs):
            self.cache.cold([archive, served])
            with rss.PeakRss(s.pid) as peak:
                res[("ours", "cold")].append(self.curl(ours_url, auth))
            self.rss[("download", "small")] = max(self.rss.get(("download", "small"), 0), peak.peak)
            self.cache.cold([archive, served])
            res[("nginx", "cold")].append(self.curl(ng_url))
        self.curl(ours_url, auth)
        self.curl(ng_url)
        for i in range(self.a.runs):
            res[("ours", "warm")].append(self.curl(ours_url, auth))
            res[("nginx", "warm")].append(self.curl(ng_url))
        ng.stop()
        self.procs.remove(ng)
        for temp in ("cold", "warm"):
            o, n = res[("ours", temp)], res[("nginx", temp)]
            o_tp = median([x[2] / x[1] / MIB for x in o])
            n_tp = median([x[2] / x[1] / MIB for x in n])
            log("P6 %s: snapkeep %.0f MiB/s, nginx %.0f MiB/s" % (temp, o_tp, n_tp))
            self.rows.append(ratio_row("P6", "download throughput, %s cache" % temp, o_tp, n_tp,
                                       "curl from nginx (sendfile on)", 0.9, higher_is_better=True, unit="MiB/s",
                                       note=human(o[0][2])))
            o_ttfb, n_ttfb = median([x[0] * 1000 for x in o]), median([x[0] * 1000 for x in n])
            self.rows.append(Row("P6", "time to first byte, %s cache" % temp, o_ttfb, n_ttfb,
                                 "curl from nginx (sendfile on)", o_ttfb / n_ttfb if n_ttfb else None, "< 100 ms",
                                 o_ttfb < 100, unit="ms"))

    def p5(self, A):
        s3 = self.start_s3proxy("s3proxy")
        try:
            self.p5_on(A, s3, "S3Proxy 4.1.0, filesystem store", "A-s3")
        finally:
            self.stop_proc(s3)
        if not services.moto_available():
            self.rows.append(Row("P5", "create snapshot of A, storage s3 on moto: skipped: moto not installed", None,
                                 None, "aws s3 cp to moto", None, "ratio <= 0.8", None))
            return
        moto = services.Moto(os.path.join(self.scratch, "moto"))
        self.procs.append(moto)
        log("P5: moto %s on %s (pid %d)" % (services.moto_version(), moto.endpoint, moto.pid))
        try:
            self.p5_on(A, moto, "moto %s, in memory" % services.moto_version(), "A-moto", plain_put=True)
        finally:
            self.stop_proc(moto)

    def p5_on(self, A, s3, what, name, plain_put=False):
        """P5 on one S3 server (its own bucket, which the Snapkeep server creates): the server's create of A
        against `aws s3 cp` of A; with `plain_put`, also one signed PUT of A with curl, as an (info) row."""
        env = dict(os.environ, AWS_ACCESS_KEY_ID=s3.access_key, AWS_SECRET_ACCESS_KEY=s3.secret_key,
                   AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
        data = os.path.join(A, "data.bin")

        def put(path, key):
            return ["curl", "-sSf", "-o", "/dev/null", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user",
                    s3.access_key + ":" + s3.secret_key, "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                    "--upload-file", path, "%s/%s/%s" % (s3.endpoint, s3.bucket, key)]
        try:
            s = self.server(name, A, s3=s3)
            # Warm the S3 server once, untimed, so neither side pays for its first requests.
            warm = os.path.join(self.scratch, "s3-warm.bin")
            if not os.path.exists(warm):
                with open(warm, "wb") as f:
                    f.write(os.urandom(32 * MIB))
            if self.aws:
                tool = "aws s3 cp (%s)" % first_line(["aws", "--version"]).split()[0]

                def upload(key):
                    return ["aws", "--endpoint-url", s3.endpoint, "s3", "cp", "--only-show-errors", data,
                            "s3://%s/%s" % (s3.bucket, key)]
            else:
                tool = "curl --upload-file (aws not installed: one PUT, unsigned payload)"

                def upload(key):
                    return put(data, key)
            c = self.client(s)
            self.run([a if a != data else warm for a in upload("warm")], env=env)
            ours, base, single = [], [], []
            cpu = {"ours": [], "base": [], "s3": [], "put": []}
            for i in range(self.a.runs):
                sid = "p5-%d" % i
                c0 = rss.cpu_seconds(s3.pid)
                ours.append(self.timed_execution(s, lambda c: c.create(sid), [A], cpu=cpu["ours"]))
                cpu["s3"].append(rss.cpu_seconds(s3.pid) - c0)
                base.append(self.timed_cmd(upload("baseline-%d" % i), [A], env=env, cpu=cpu["base"]))
                if plain_put:
                    single.append(self.timed_cmd(put(data, "put-%d" % i), [A], cpu=cpu["put"]))
                log("P5 %s run %d: snapkeep %.2fs, %s %.2fs%s" % (name, i + 1, ours[-1], tool.split(" (")[0], base[-1],
                                                                ", curl PUT %.2fs" % single[-1] if single else ""))
                c.delete(sid)
                if plain_put:
                    # moto keeps every object in memory: drop what this run wrote.
                    for key in ("baseline-%d" % i, "put-%d" % i):
                        self.run(["curl", "-sSf", "-o", "/dev/null", "-X", "DELETE", "--aws-sigv4",
                                  "aws:amz:us-east-1:s3", "--user", s3.access_key + ":" + s3.secret_key,
                                  "%s/%s/%s" % (s3.endpoint, s3.bucket, key)])
            c.close()
            self.rows.append(ratio_row("P5", "create snapshot of A, storage s3 on %s" % what.split(",")[0],
                                       median(ours), median(base), tool + " to the same server", 0.8,
                                       note="%s, bucket %s; %s; %s CPU %.1f s during ours"
                                       % (what, s3.bucket, cpu_note(cpu["ours"], cpu["base"]), s3.name,
                                          median(cpu["s3"]))))
            if plain_put:
                tp = self.a.a_size / MIB / median(single)
                ours_tp = self.a.a_size / MIB / median(ours)
                self.rows.append(Row("P5", "%s itself: one signed PUT of A with curl, throughput"
                                     % what.split(",")[0], tp, None, "none", None, "(info)", None, unit="MiB/s",
                                     note="curl --aws-sigv4, UNSIGNED-PAYLOAD, median %.2f s; snapkeep's create "
                                          "%.0f MiB/s of data; %s" % (median(single), ours_tp, what)))
        finally:
            self.stop_server(name)

    def p7_large(self, AL):
        s = self.server("A-large", AL)
        self.timed_execution(s, lambda c: c.create("large"), [AL], rss_key=("create", "large"))
        archive = self.archive_file(s, "large")
        self.timed_execution(s, lambda c: c.restore("large"), [archive, AL], rss_key=("restore", "large"))
        url = "http://127.0.0.1:%d/api/v3.1/snapshots/large/archive" % s.port
        self.cache.cold([archive])
        with rss.PeakRss(s.pid) as peak:
            self.curl(url, "admin:" + PASSWORD)
        self.rss[("download", "large")] = peak.peak
        self.stop_server("A-large")

    def p7_rows(self, large_done):
        for op, part in (("create", "P1"), ("restore", "P3"), ("download", "P6")):
            small = self.rss.get((op, "small"))
            large = self.rss.get((op, "large"))
            note = "during %s; %s vs %s" % (part, human(self.a.a_large_size), human(self.a.a_size))
            if small is None or large is None:
                why = "not run" if large_done or small is None else "large size skipped"
                self.rows.append(Row("P7", "peak RSS, " + op, None if large is None else large / MIB,
                                     None if small is None else small / MIB, "same server at %s" % human(self.a.a_size),
                                     None, "growth < 64 MiB", None, unit="MiB", note=note + "; " + why))
                continue
            growth = (large - small) / MIB
            self.rows.append(Row("P7", "peak RSS, " + op, large / MIB, small / MIB,
                                 "same server at %s" % human(self.a.a_size), large / small, "growth < 64 MiB",
                                 growth < 64, unit="MiB", note=note + "; growth %.1f MiB" % growth))

    def tiny_dataset(self):
        tiny = os.path.join(self.scratch, "tiny")
        os.makedirs(tiny, exist_ok=True)
        with open(os.path.join(tiny, "settings.json"), "w") as f:
            f.write('{"a": 1}\n')
        return tiny

    def list_latency(self, c, count):
        """Milliseconds of each of `count` GET /snapshots?_size=1000 through `c`; and the page's total."""
        lat, page = [], None
        for _ in range(count):
            t = time.perf_counter()
            page = c.expect(200, "GET", "/snapshots?_size=1000")
            lat.append((time.perf_counter() - t) * 1000)
        total = page["metadata"]["pagination"]["total"]
        if len(page["items"]) != min(1000, total):
            raise RuntimeError("a page of %d items, expected %d" % (len(page["items"]), min(1000, total)))
        return lat, total

    def poll_latency(self, c, count, cpu_of, durations=None):
        """GET /executions/{id} through `c` while creates run back to back (at most 20), until `count` polls of
        a running execution were timed. Returns (milliseconds, creates, {name: cores used}) where
        `cpu_of` maps a name to a function reading CPU seconds so far (a number or a `rss.tree_cpu` reading).
        `durations`, when given, gets each create's own duration (its execution's ended_at - started_at)."""
        lat, wall, creates = [], 0.0, 0
        cpu = {k: 0.0 for k in cpu_of}
        deadline = time.monotonic() + self.a.op_timeout
        while len(lat) < count and creates < 20 and time.monotonic() < deadline:
            sid = "busy-%d" % creates
            creates += 1
            eid = c.create(sid)
            cpu0, w0 = {k: f() for k, f in cpu_of.items()}, time.perf_counter()
            while True:
                t = time.perf_counter()
                ex = c.expect(200, "GET", "/executions/" + eid)
                ms = (time.perf_counter() - t) * 1000
                if ex["status"] in api.ENDED:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("create %s still %s after %ds" % (sid, ex["status"], self.a.op_timeout))
                lat.append(ms)
                time.sleep(0.005)
            for k, f in cpu_of.items():
                now = f()
                cpu[k] += rss.tree_cpu_delta(cpu0[k], now) if isinstance(now, dict) else now - cpu0[k]
            wall += time.perf_counter() - w0
            if ex["status"] != "terminated":
                raise RuntimeError("create %s ended %s: %s" % (sid, ex["status"], ex.get("error")))
            if durations is not None:
                durations.append(execution_seconds(ex))
            c.delete(sid)
        return lat, creates, {k: (v / wall if wall else 0.0) for k, v in cpu.items()}

    def p9(self, B):
        tiny = self.tiny_dataset()
        name = "p9"
        s = self.server(name, tiny, warm=False)
        c = self.client(s)
        c.wait(c.create("seed"), 120)
        status, body = c.request("GET", "/snapshots/seed/archive")
        c.close()
        if status != 200:
            raise RuntimeError("download of the seed archive: HTTP %d" % status)
        n = self.a.p9_snapshots
        t0 = time.time()
        done = self.upload_many(lambda: self.client(s), body, n, deadline_s=max(600, self.a.op_timeout))
        log("P9: %d snapshots uploaded in %.1fs (%.0f/s, %d-byte archive)" % (done, time.time() - t0,
                                                                            done / (time.time() - t0), len(body)))
        # The same catalog, now with the participant on dataset B so that a create has real work to do.
        self.stop_server(name)
        s = self.server(name, B)
        c = self.client(s)
        for _ in range(3):
            c.expect(200, "GET", "/snapshots?_size=1000")
        lat, total = self.list_latency(c, self.a.p9_requests)
        p50, p99 = percentile(lat, 50), percentile(lat, 99)
        self.one_node["list"] = (p99, p50, total)
        log("P9 list: p50 %.1f ms, p99 %.1f ms over %d requests (%d snapshots)" % (p50, p99, len(lat), total))
        self.rows.append(Row("P9", "GET /snapshots?_size=1000, p99", p99, None, "none", None, "< 50 ms", p99 < 50,
                             unit="ms", note="%d snapshots in the catalog, p50 %.1f ms, %d requests"
                             % (total, p50, len(lat))))
        # GET /executions/{id} while creates of B run back to back.
        polled = []
        lat, creates, cores = self.poll_latency(c, self.a.p9_requests, {"server": lambda: rss.cpu_seconds(s.pid)},
                                                durations=polled)
        # The same creates with nobody polling: each looked at once every half second, its duration its own.
        quiet = []
        for i in range(max(1, min(creates, self.a.runs))):
            ex = c.wait(c.create("quiet-%d" % i), self.a.op_timeout, poll_s=0.5)
            quiet.append(execution_seconds(ex))
            c.delete("quiet-%d" % i)
        c.close()
        p50, p99 = percentile(lat, 50), percentile(lat, 99)
        self.one_node["poll"] = (p99, p50, total)
        log("P9 execution: p50 %.2f ms, p99 %.2f ms over %d requests during %d creates, server used %.2f cores"
            % (p50, p99, len(lat), creates, cores["server"]))
        self.rows.append(Row("P9", "GET /executions/{id} during a create, p99", p99, None, "none", None, "< 5 ms",
                             p99 < 5, unit="ms", note="p50 %.2f ms, %d requests, %d creates of B; the server used "
                             "%.2f of %d cores meanwhile" % (p50, len(lat), creates, cores["server"],
                                                             os.cpu_count())))
        log("P9 create of B: %s s while polled, %s s unpolled" % (" ".join("%.2f" % x for x in polled),
                                                                  " ".join("%.2f" % x for x in quiet)))
        self.rows.append(ratio_row("P9", "create of B while polled (the creates above)", median(polled),
                                   median(quiet), "the same create unpolled (one look every 0.5 s)", 1.1,
                                   note="each create's own duration, its execution's started_at to ended_at; "
                                        "median of %d polled, %d unpolled; same server, %d snapshots"
                                        % (len(polled), len(quiet), total)))
        self.p9_catalog = (s.workdir, total)
        self.stop_server(name)

    def start_s3proxy(self, name):
        cp_file = self.a.s3proxy_classpath_file
        if not cp_file or not os.path.isfile(cp_file):
            raise RuntimeError("S3Proxy's class path was not resolved (see bench/run's output)")
        with open(cp_file) as f:
            cp = f.read().strip()
        s3 = services.S3Proxy(os.path.join(self.scratch, name), cp, os.path.join(self.a.here, "s3proxy", "logback.xml"))
        self.procs.append(s3)
        return s3

    def stop_proc(self, p):
        if p in self.procs:
            p.stop()
            self.procs.remove(p)

    def fill_documents(self, pg, B):
        """Table `documents` of the database `app` holds dataset B: one row per file (its path and text), so
        that a create of the cluster's jdbc_tables participant reads what P9's directory participant reads."""
        csv_path = os.path.join(self.scratch, "documents.csv")
        with open(csv_path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            for i, path in enumerate(sorted(datagen.tree_files(B))):
                with open(path, encoding="utf-8") as doc:
                    w.writerow([i + 1, os.path.relpath(path, B), doc.read()])
        pg.psql("app", "TRUNCATE documents")
        with open(csv_path, "rb") as f:
            pg.psql("app", "COPY documents (id, path, body) FROM STDIN WITH (FORMAT csv)", stdin=f)
        os.remove(csv_path)
        pg.psql("app", "VACUUM ANALYZE documents")
        rows, size = pg.psql("app", "SELECT count(*), pg_total_relation_size('documents') FROM documents").split("|")
        if int(rows) == 0:
            raise RuntimeError("dataset B is empty: nothing to put in table documents")
        return int(rows), int(size)

    def p13(self, B):
        """P9's two figures through a cluster: nodes on one PostgreSQL catalog and one S3 bucket, the client
        spreading its requests round-robin over them."""
        n_nodes = self.a.p13_nodes
        work = os.path.join(self.scratch, "cluster")
        os.makedirs(work, exist_ok=True)
        s3 = pg = None
        names = []
        try:
            s3 = self.start_s3proxy("cluster-s3proxy")
            pg = services.Postgres(os.path.join(work, "postgres"), fsync=True)
            self.procs.append(pg)
            self.pg_version = pg.version
            log("P13: %s on 127.0.0.1:%d (pid %d), S3Proxy on %s" % (pg.version, pg.port, pg.postmaster_pid,
                                                                     s3.endpoint))
            pg.psql("postgres", "CREATE DATABASE snapkeep")
            pg.psql("postgres", "CREATE DATABASE app")
            pg.psql("app", "CREATE TABLE documents (id bigint PRIMARY KEY, path text NOT NULL, body text NOT NULL)")
            pg.psql("app", "INSERT INTO documents VALUES (0, 'seed.json', '{\"a\": 1}')")
            settings = {
                "SNAPKEEP_CATALOG_URL": pg.jdbc_url("snapkeep"),
                "SNAPKEEP_CATALOG_USER": pg.user,
                "SNAPKEEP_CATALOG_PASSWORD": pg.password,
                "SNAPKEEP_STORAGE_TYPE": "s3",
                "SNAPKEEP_S3_ENDPOINT": s3.endpoint,
                "SNAPKEEP_S3_REGION": "us-east-1",
                "SNAPKEEP_S3_BUCKET": s3.bucket,
                "SNAPKEEP_S3_ACCESS_KEY": s3.access_key,
                "SNAPKEEP_S3_SECRET_KEY": s3.secret_key,
                "SNAPKEEP_S3_CREATE_BUCKET": "true",
                "SNAPKEEP_PARTICIPANTS": "[{name: documents, type: jdbc_tables, category: state, url: '%s', "
                                         "user: %s, password: '%s', tables: [documents]}]"
                                         % (pg.jdbc_url("app"), pg.user, pg.password),
            }
            nodes = []
            for i in range(n_nodes):
                node_id = "node-%d" % (i + 1)
                # One after the other: the first one migrates the fresh catalog.
                node = services.Node(self.a.jar, os.path.join(work, node_id), node_id, PASSWORD, settings,
                                     heap=self.a.heap)
                self.procs.append(node)
                names.append("P13 " + node_id)
                self.servers[names[-1]] = node
                nodes.append(node)
                log("P13 %s: pid %d, port %d" % (node_id, node.pid, node.port))
            ports = [nd.port for nd in nodes]

            def rr():
                return api.RoundRobin(ports, PASSWORD, timeout=self.a.op_timeout)

            c = rr()
            c.wait(c.create("seed"), 120)
            status, body = c.request("GET", "/snapshots/seed/archive")
            if status != 200:
                raise RuntimeError("download of the seed archive: HTTP %d" % status)
            cpu_of = {"nodes": lambda: sum(rss.cpu_seconds(nd.pid) for nd in nodes),
                      "postgres": lambda: rss.tree_cpu(pg.postmaster_pid),
                      "s3proxy": lambda: rss.cpu_seconds(s3.pid)}
            n = self.a.p13_snapshots
            t0, cpu0 = time.time(), {k: f() for k, f in cpu_of.items()}
            done = self.upload_many(rr, body, n, deadline_s=max(600, self.a.op_timeout), threads=2 * n_nodes)
            wall, cpu1 = time.time() - t0, {k: f() for k, f in cpu_of.items()}
            used = {k: (rss.tree_cpu_delta(cpu0[k], cpu1[k]) if isinstance(cpu1[k], dict) else cpu1[k] - cpu0[k]) / wall
                    for k in cpu_of}
            log("P13: %d snapshots uploaded round-robin in %.1fs (%.0f/s); cores used: nodes %.2f, PostgreSQL %.2f, "
                "S3Proxy %.2f" % (done, wall, done / wall, used["nodes"], used["postgres"], used["s3proxy"]))
            t0 = time.time()
            rows, table_bytes = self.fill_documents(pg, B)
            log("P13: table documents holds dataset B: %d rows, %s on disk (%.1fs)" % (rows, human(table_bytes),
                                                                                       time.time() - t0))
            # Each node gets what P9's server gets: one untimed create taken by it (polled round-robin), three
            # untimed lists of its own, then --p9-requests timed requests of each kind, the client going
            # round-robin (so n_nodes times as many in all).
            for i, node_client in enumerate(c.clients):
                sid = "warm-up-%d" % i
                c.wait(node_client.create(sid), self.a.op_timeout)
                node_client.delete(sid)
                for _ in range(3):
                    node_client.expect(200, "GET", "/snapshots?_size=1000")
            count = n_nodes * self.a.p9_requests
            lat, total = self.list_latency(c, count)
            p50, p99 = percentile(lat, 50), percentile(lat, 99)
            log("P13 list: p50 %.1f ms, p99 %.1f ms over %d requests round-robin (%d snapshots)"
                % (p50, p99, len(lat), total))
            where = "%d nodes on PostgreSQL" % n_nodes
            shared = "PostgreSQL %s (fsync on) and S3Proxy; all on %d cores" % (pg.version.split()[2], os.cpu_count())
            self.rows.append(self.cluster_row(
                "list", "cluster: GET /snapshots?_size=1000, p99, through " + where, p99, p50, "< 50 ms", 50,
                "%d snapshots, %d requests round-robin" % (total, len(lat)), shared, total))
            lat, creates, cores = self.poll_latency(c, count, cpu_of)
            c.close()
            p50, p99 = percentile(lat, 50), percentile(lat, 99)
            log("P13 execution: p50 %.2f ms, p99 %.2f ms over %d requests during %d creates; cores used: nodes "
                "%.2f, PostgreSQL %.2f, S3Proxy %.2f" % (p50, p99, len(lat), creates, cores["nodes"],
                                                         cores["postgres"], cores["s3proxy"]))
            self.rows.append(self.cluster_row(
                "poll", "cluster: GET /executions/{id} during a create, p99, through " + where, p99, p50, "< 5 ms",
                5, "%d requests round-robin, %d creates of table documents (B as %d rows, %s) to S3"
                % (len(lat), creates, rows, human(table_bytes)),
                "cores used: nodes %.2f, PostgreSQL %.2f, S3Proxy %.2f; %s" % (cores["nodes"], cores["postgres"],
                                                                             cores["s3proxy"], shared), total))
        finally:
            for name in names:
                self.stop_server(name)
            if pg:
                self.stop_proc(pg)
            if s3:
                self.stop_proc(s3)

    def cluster_row(self, key, measure, p99, p50, target, limit, what, setup, total):
        """A P13 row with P9's one-node figure of the same measurement as its baseline."""
        one = self.one_node.get(key)
        fmt = "%.1f" if key == "list" else "%.2f"
        if not one:
            note = "%s; p50 %s ms; %s; the one-node figure needs P9 in the same run" % (what, fmt % p50, setup)
            return Row("P13", measure, p99, None, "P9 not run", None, target, p99 < limit, unit="ms", note=note)
        base, base_p50, base_total = one
        note = "%s; p50 %s ms, one node %s ms; %s" % (what, fmt % p50, fmt % base_p50, setup)
        if base_total != total:
            # A page of 1000 costs more in a larger catalog: no ratio across catalog sizes.
            return Row("P13", measure, p99, base, "P9: one node on H2, %d snapshots (no ratio: other size)"
                       % base_total, None, target, p99 < limit, unit="ms", note=note)
        return Row("P13", measure, p99, base, "P9: one node on H2", p99 / base if base else None, target,
                   p99 < limit, unit="ms", note=note)

    def upload_many(self, make_client, body, n, deadline_s, threads=4):
        ids = queue.Queue()
        for i in range(n):
            ids.put("s%05d" % i)
        errors, count = [], [0]
        lock = threading.Lock()
        end = time.monotonic() + deadline_s

        def worker():
            c = make_client()
            try:
                while not errors and time.monotonic() < end:
                    try:
                        sid = ids.get_nowait()
                    except queue.Empty:
                        return
                    status, data = c.request("PUT", "/snapshots/%s/archive" % sid, body=body,
                                             headers={"Content-Type": "application/zip"})
                    if status != 201:
                        errors.append("upload %s: HTTP %d %.300s" % (sid, status, data))
                        return
                    with lock:
                        count[0] += 1
            except Exception as e:  # reported below, with the count reached
                errors.append(repr(e))
            finally:
                c.close()

        ts = [threading.Thread(target=worker) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        if errors:
            raise RuntimeError("after %d uploads: %s" % (count[0], errors[0]))
        return count[0]

    # ---------------------------------------------------------------- P11, P14
    def failed_logins(self, s, n, tag):
        """`n` wrong-password Basic requests for `admin` and `n` for an unknown name, interleaved (which kind
        goes first alternates) and one at a time, each with a new password. Per kind: the server's CPU seconds
        over its requests, each request's wall milliseconds, and the statuses answered."""
        kinds = (("admin", "admin"), ("unknown", "no-such-user"))
        out = {k: {"cpu": 0.0, "wall": [], "status": {}} for k, _ in kinds}
        c = self.client(s)
        try:
            for i in range(n):
                for kind, user in (kinds if i % 2 == 0 else kinds[::-1]):
                    hdr = {"Authorization": api.basic(user, "wrong-%s-%s-%d" % (tag, kind, i))}
                    c0, t0 = rss.cpu_seconds(s.pid), time.perf_counter()
                    status, _ = c.request("GET", "/snapshots?_size=1", headers=hdr)
                    wall = (time.perf_counter() - t0) * 1000
                    o = out[kind]
                    o["cpu"] += rss.cpu_seconds(s.pid) - c0
                    o["wall"].append(wall)
                    o["status"][status] = o["status"].get(status, 0) + 1
        finally:
            c.close()
        for kind, o in out.items():
            if set(o["status"]) - {401, 429}:
                raise RuntimeError("failed logins (%s, %s) answered %s" % (tag, kind, o["status"]))
        return out

    def legit_lists(self, c, count):
        """Milliseconds of `count` GET /snapshots?_size=100 through `c`, and how many did not answer 200."""
        lat, bad = [], 0
        for _ in range(count):
            t = time.perf_counter()
            status, _ = c.request("GET", "/snapshots?_size=100")
            lat.append((time.perf_counter() - t) * 1000)
            bad += status != 200
        return lat, bad

    def p11(self):
        a = self.a
        n = a.p11_attempts
        tiny = self.tiny_dataset()
        # Throttle off: every failed login is checked (PBKDF2-SHA256, 600,000 iterations).
        s = self.server("p11", tiny, env=NO_THROTTLE)
        c = self.client(s)
        c.wait(c.create("seed"), 120)
        status, seed = c.request("GET", "/snapshots/seed/archive")
        c.close()
        if status != 200:
            raise RuntimeError("download of the seed archive: HTTP %d" % status)
        # 100 snapshots, so that a page of 100 is full.
        self.upload_many(lambda: self.client(s), seed, 99, deadline_s=600, threads=2)
        raw = self.failed_logins(s, n, "raw")
        per = {k: raw[k]["cpu"] / n * 1000 for k in raw}
        raw_cpu = (raw["admin"]["cpu"] + raw["unknown"]["cpu"]) / (2 * n) * 1000
        wall = {k: median(raw[k]["wall"]) for k in raw}
        log("P11 throttle off: CPU per failed login %.0f ms (admin %.0f, unknown %.0f); wall median admin %.0f ms, "
            "unknown %.0f ms; statuses %s / %s" % (raw_cpu, per["admin"], per["unknown"], wall["admin"],
                                                   wall["unknown"], raw["admin"]["status"], raw["unknown"]["status"]))

        # The legitimate client: a token, and Basic with the right password (checked once, then remembered).
        c = self.client(s)
        token = c.expect(200, "GET", "/tokens")["value"]
        c.close()
        tok = api.Client(s.port, PASSWORD, timeout=a.op_timeout, token=token)
        bas = self.client(s)
        for cl in (tok, bas):
            page = cl.expect(200, "GET", "/snapshots?_size=100")
            if len(page["items"]) != 100:
                raise RuntimeError("a page of %d items, expected 100" % len(page["items"]))
            self.legit_lists(cl, 20)  # untimed
        quiet = {"token": self.legit_lists(tok, a.p11_requests), "basic": self.legit_lists(bas, a.p11_requests)}
        env = dict(os.environ, PYTHONPATH=a.here)
        attack = subprocess.Popen([sys.executable, "-m", "snapbench.attack", str(s.port), str(a.p11_attackers),
                                   "admin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
        services._record_pid(attack.pid)
        try:
            attack.stdout.readline()
            # Until the attack is steady: every check slot busy and attackers queued for the whole check_wait.
            time.sleep(3)
            cpu0, w0 = rss.cpu_seconds(s.pid), time.perf_counter()
            loud = {"token": self.legit_lists(tok, a.p11_requests), "basic": self.legit_lists(bas, a.p11_requests)}
            cores = (rss.cpu_seconds(s.pid) - cpu0) / (time.perf_counter() - w0)
            attack.stdin.write("stop\n")
            attack.stdin.flush()
            result = json.loads(attack.stdout.readline() or "{}")
            attack.wait(60)
        finally:
            if attack.poll() is None:
                attack.kill()
                attack.wait(10)
        tok.close()
        bas.close()
        self.stop_server("p11")
        counts = result.get("counts", {})
        outcome = "%d attackers: %d answered 401, %d answered 429, %d other, %d connection errors" % (
            a.p11_attackers, counts.get("401", 0), counts.get("429", 0),
            sum(v for k, v in counts.items() if k not in ("401", "429")), result.get("errors", 0))
        log("P11 attack: %s; the server used %.2f cores meanwhile" % (outcome, cores))
        for kind, label in (("token", "Authentication-Token"), ("basic", "Basic, remembered")):
            (ql, qbad), (ll, lbad) = quiet[kind], loud[kind]
            q99, l99 = percentile(ql, 99), percentile(ll, 99)
            log("P11 list, %s: quiet p50 %.1f p99 %.1f max %.1f ms; under attack p50 %.1f p99 %.1f max %.1f ms; "
                "non-200: %d, %d" % (label, percentile(ql, 50), q99, max(ql), percentile(ll, 50), l99, max(ll),
                                     qbad, lbad))
            r = l99 / q99 if q99 else None
            self.rows.append(Row(
                "P11", "GET /snapshots?_size=100 with %s, p99 under attack" % label, l99, q99,
                "same requests, no attack", r, "<= 3x and < 100 ms", r is not None and r <= 3 and l99 < 100
                and lbad == 0, unit="ms",
                note="under attack p50 %.1f / max %.1f ms, without p50 %.1f / max %.1f ms; %d requests each, "
                     "%d and %d not 200; throttle off; %s; server used %.2f of %d cores"
                     % (percentile(ll, 50), max(ll), percentile(ql, 50), max(ql), len(ll), qbad, lbad, outcome,
                        cores, os.cpu_count())))
        r = wall["unknown"] / wall["admin"] if wall["admin"] else None
        self.rows.append(Row(
            "P11", "failed login wall time, unknown user vs admin, median", wall["unknown"], wall["admin"],
            "the same for user admin", r, "ratio 0.9..1.1", r is not None and 0.9 <= r <= 1.1, unit="ms",
            note="%d each, interleaved, throttle off; p90 unknown %.0f ms, admin %.0f ms"
                 % (n, percentile(raw["unknown"]["wall"], 90), percentile(raw["admin"]["wall"], 90))))

        # Default limits: after 10 failures from one address it is answered 429 before any check.
        s = self.server("p11-default", tiny, warm=False)
        dflt = self.failed_logins(s, n, "default")
        self.stop_server("p11-default")
        d_cpu = (dflt["admin"]["cpu"] + dflt["unknown"]["cpu"]) / (2 * n) * 1000
        statuses = {}
        for o in dflt.values():
            for k, v in o["status"].items():
                statuses[k] = statuses.get(k, 0) + v
        log("P11 default limits: CPU per failed login %.1f ms (admin %.1f, unknown %.1f); statuses %s"
            % (d_cpu, dflt["admin"]["cpu"] / n * 1000, dflt["unknown"]["cpu"] / n * 1000, statuses))
        r = d_cpu / raw_cpu if raw_cpu else None
        self.rows.append(Row(
            "P11", "server CPU per failed login, default limits", d_cpu, raw_cpu,
            "limits off: every attempt checked (PBKDF2, 600k iterations)", r, "(info) far below: <= 0.1x",
            r is not None and r <= 0.1, unit="ms",
            note="%d wrong passwords for admin and %d for an unknown name; default: %d answered 401, %d 429 "
                 "(the first 10 are checked, so the ratio cannot fall below about 10/%d); limits off: admin %.0f ms, "
                 "unknown %.0f ms" % (n, n, statuses.get(401, 0), statuses.get(429, 0), 2 * n, per["admin"],
                                      per["unknown"])))

    def many_entries_path(self):
        return os.path.join(self.data, "many-entries-%d.zip" % self.a.p14_entries)

    def p14(self):
        a = self.a
        n = a.p14_entries
        path = self.many_entries_path()
        t = time.time()
        size = datagen.many_entries_archive(path, n, a.seed + 3)
        log("P14: archive of %d entries, %s (%.1fs)" % (n, human(size), time.time() - t))
        s = self.server("p14", self.tiny_dataset(), warm=False)
        c = self.client(s)
        for _ in range(3):
            c.expect(200, "GET", "/snapshots")
        idle = rss._status(s.pid)["VmRSS"]
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=a.op_timeout, blocksize=1 << 20)
        with rss.PeakRss(s.pid, interval=0.1) as peak:
            t0 = time.perf_counter()
            with open(path, "rb") as f:
                # A file and no Content-Length: http.client sends it chunked.
                conn.request("PUT", api.PREFIX + "/snapshots/many-entries/archive", body=f,
                             headers={"Authorization": api.basic("admin", PASSWORD),
                                      "Content-Type": "application/zip"})
            r = conn.getresponse()
            body = r.read()
            took = time.perf_counter() - t0
        conn.close()
        status = r.status
        health, _ = c.request("GET", "/snapshots")
        snap_status = None
        if status == 201:
            snap_status = c.snapshot("many-entries").get("status")
            c.delete("many-entries")
        c.close()
        alive = s.proc.poll() is None
        self.stop_server("p14")
        outcome = "HTTP %d%s" % (status, ", snapshot %s" % snap_status if snap_status else
                                 ": %.200s" % body.decode(errors="replace"))
        log("P14: upload of %d entries in %.1fs: %s; RSS idle %s, peak %s (growth %s); GET /snapshots after: %d"
            % (n, took, outcome, human(idle), human(peak.peak), human(max(0, peak.peak - idle)), health))
        quick = " (fewer entries: --quick)" if a.quick and a.p14_entries < 1000000 else ""
        self.rows.append(Row(
            "P14", "peak RSS while validating an upload of %d entries%s" % (n, quick), peak.peak / MIB, idle / MIB,
            "same server idle before the upload", peak.peak / idle if idle else None,
            "< 512 MiB, upload uploaded, server healthy", peak.peak < 512 * MIB and status == 201
            and snap_status == "uploaded" and health == 200 and alive, unit="MiB",
            note="-Xmx%s; %s archive, %d-byte names; growth %.1f MiB; upload %.1f s, %s; GET /snapshots after: %d"
                 % (a.heap, human(size), datagen.NAME_BYTES, (peak.peak - idle) / MIB, took, outcome, health)))
        if not a.keep_data:
            datagen.remove_file(path)

    # ---------------------------------------------------------------- P10, P12
    def fill_fs_catalog(self):
        """P9's catalog when P9 did not run: a `storage: fs` server on the tiny data set holding its seed and
        --p9-snapshots uploads of the seed's archive. Returns (workdir, snapshots listed)."""
        s = self.server("p10-fill", self.tiny_dataset(), warm=False)
        c = self.client(s)
        c.wait(c.create("seed"), 120)
        status, body = c.request("GET", "/snapshots/seed/archive")
        if status != 200:
            raise RuntimeError("download of the seed archive: HTTP %d" % status)
        t0 = time.time()
        done = self.upload_many(lambda: self.client(s), body, self.a.p9_snapshots,
                                deadline_s=max(600, self.a.op_timeout))
        log("P10: %d snapshots uploaded in %.1fs (fs)" % (done, time.time() - t0))
        total = c.expect(200, "GET", "/snapshots?_size=1")["metadata"]["pagination"]["total"]
        c.close()
        self.stop_server("p10-fill")
        return s.workdir, total

    def timed_start(self, name, workdir, s3=None, expect=None):
        """Starts the server of `workdir` from a dropped page cache and times it from the spawn of `java -jar`
        to its first 200 of `GET /snapshots` with credentials (the port opens after start-up recovery and
        reconciliation). With `expect`, also until the list holds that many snapshots. Returns
        (seconds to serving, seconds to the port's first answer, seconds until `expect` were listed, total)."""
        self.cache.cold([self.a.jar, os.path.join(workdir, "data")])
        s = self.server(name, self.tiny_dataset(), s3=s3, warm=False, workdir=workdir,
                        start_timeout=max(300, self.a.op_timeout))
        c = self.client(s)
        end = time.monotonic() + self.a.op_timeout
        serving = full = None
        try:
            while time.monotonic() < end:
                try:
                    status, page = c.request("GET", "/snapshots?_size=1")
                except OSError:
                    c.close()
                    status, page = None, None
                now = time.perf_counter()
                if status == 200:
                    serving = serving or now
                    total = page["metadata"]["pagination"]["total"]
                    if expect is None or total >= expect:
                        full = now
                        break
                time.sleep(0.02)
        finally:
            c.close()
        if serving is None:
            raise RuntimeError("server %s did not answer GET /snapshots with 200 within %ds" % (name, self.a.op_timeout))
        return (serving - s.spawned, s.port_open - s.spawned, None if full is None else full - s.spawned,
                total, s)

    def rebuilt_line(self, s):
        """The server log's line saying the catalog was rebuilt from the store, if any."""
        try:
            with open(s.log, errors="replace") as f:
                lines = [l.strip() for l in f if "rebuilt from the records" in l]
        except OSError:
            return None
        return lines[-1] if lines else None

    def rebuild_row(self, where, workdir, s3, expect):
        catalog = os.path.join(workdir, "data", "catalog")
        if not os.path.isdir(catalog):
            raise RuntimeError("no H2 catalog under %s" % catalog)
        shutil.rmtree(catalog)  # the H2 database files (catalog.url: jdbc:h2:file:<data_dir>/catalog/snapkeep)
        serving, port, full, total, s = self.timed_start("p10", workdir, s3=s3, expect=expect)
        line = self.rebuilt_line(s)
        self.stop_server("p10")
        log("P10 rebuild (%s): serving after %.2fs (port open %.2fs), %d of %d listed after %s; log: %s"
            % (where, serving, port, total, expect, "%.2fs" % full if full else "never", line))
        first_full = full is not None and full == serving
        said = line.split(" - ", 1)[-1] if line else "no 'rebuilt' line"
        self.rows.append(Row(
            "P10", "start with the catalog removed: rebuild from a store of %d archives (%s), until all are listed"
                   % (expect, where), full, None, "none", None, "< 30 s", full is not None and full < 30,
            unit="s", note="H2 catalog files deleted, server started from a dropped page cache; first 200 of "
                           "GET /snapshots after %.2f s%s; port open after %.2f s; the log: %s"
                           % (serving, "" if first_full else " (not all listed yet: the port opened before the "
                              "import ended)", port, said)))

    def p10(self):
        a = self.a
        workdir, total = getattr(self, "p9_catalog", None) or self.fill_fs_catalog()
        starts = []
        for i in range(a.runs):
            serving, port, _, listed, s = self.timed_start("p10", workdir)
            self.stop_server("p10")
            starts.append((serving, port, listed))
            log("P10 start %d: serving after %.2fs (port open %.2fs), %d snapshots" % (i + 1, serving, port, listed))
        med = median([x[0] for x in starts])
        self.rows.append(Row(
            "P10", "start to serving with %d snapshots in the catalog" % total, med, None, "none", None, "< 3 s",
            med < 3 and all(x[2] == total for x in starts), unit="s",
            note="spawn of java -jar (page cache dropped) to the first 200 of GET /snapshots with Basic (one "
                 "password check); port open after %.2f s (median); %d starts; storage fs, H2"
                 % (median([x[1] for x in starts]), len(starts))))
        self.rebuild_row("storage fs", workdir, None, total)

        s3 = self.start_s3proxy("p10-s3proxy")
        try:
            s = self.server("p10-s3-fill", self.tiny_dataset(), s3=s3, warm=False)
            c = self.client(s)
            c.wait(c.create("seed"), 120)
            status, body = c.request("GET", "/snapshots/seed/archive")
            if status != 200:
                raise RuntimeError("download of the seed archive: HTTP %d" % status)
            t0 = time.time()
            done = self.upload_many(lambda: self.client(s), body, a.p10_snapshots - 1,
                                    deadline_s=max(600, a.op_timeout), threads=8)
            log("P10: %d snapshots uploaded to S3Proxy in %.1fs (%.0f/s)" % (done, time.time() - t0,
                                                                         done / (time.time() - t0)))
            expect = c.expect(200, "GET", "/snapshots?_size=1")["metadata"]["pagination"]["total"]
            c.close()
            self.stop_server("p10-s3-fill")
            self.rebuild_row("storage s3, S3Proxy", s.workdir, s3, expect)
        finally:
            self.stop_server("p10")
            self.stop_server("p10-s3-fill")
            self.stop_proc(s3)

    def small_archive(self):
        """A valid snapkeep/1 archive of a few KiB (P12's uploads and downloads)."""
        path = os.path.join(self.scratch, "small.zip")
        datagen.many_entries_archive(path, 50, self.a.seed + 4)
        return path

    def p12(self, A):
        a = self.a
        s = self.server("p12", A)
        small = self.small_archive()
        with open(small, "rb") as f:
            body = f.read()
        n_ids = 1000
        self.upload_many(lambda: self.client(s), body, n_ids, deadline_s=600)
        ids = ["s%05d" % i for i in range(n_ids)]
        poll_file = os.path.join(self.scratch, "p12-execution")
        c = self.client(s)
        c.expect(200, "GET", "/snapshots?_size=100")  # the password checked once, then remembered
        procs, per = [], [a.p12_clients // a.p12_processes + (1 if i < a.p12_clients % a.p12_processes else 0)
                          for i in range(a.p12_processes)]
        env = dict(os.environ, PYTHONPATH=a.here)
        creates, create_s = 0, []
        try:
            for i, threads in enumerate(t for t in per if t):
                cfg = {"port": s.port, "password": PASSWORD, "threads": threads, "seconds": a.p12_seconds,
                       "ids": ids, "tag": "p%d" % i, "poll_file": poll_file, "archive": small}
                pr = subprocess.Popen([sys.executable, "-m", "snapbench.load", json.dumps(cfg)], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, env=env, text=True)
                services._record_pid(pr.pid)
                procs.append(pr)
            for pr in procs:
                if pr.stdout.readline().strip() != "ready":
                    raise RuntimeError("a P12 client process did not start")

            def start_create():
                nonlocal creates
                sid = "load-a-%d" % creates
                creates += 1
                eid = c.create(sid)
                with open(poll_file + ".tmp", "w") as f:
                    f.write(eid)
                os.replace(poll_file + ".tmp", poll_file)
                return sid, eid

            sid, eid = start_create()
            cpu0, t0 = rss.cpu_seconds(s.pid), time.monotonic()
            with rss.PeakRss(s.pid, interval=0.1) as peak:
                for pr in procs:
                    pr.stdin.write("go\n")
                    pr.stdin.flush()
                end = t0 + a.p12_seconds
                while True:
                    ex = c.wait(eid, a.op_timeout, poll_s=0.05)
                    create_s.append(execution_seconds(ex))
                    c.delete(sid)
                    if time.monotonic() >= end:
                        break
                    sid, eid = start_create()
                results = [json.loads(pr.stdout.readline() or "{}") for pr in procs]
            wall = time.monotonic() - t0
            server_cores = (rss.cpu_seconds(s.pid) - cpu0) / wall
            for pr in procs:
                pr.wait(30)
        finally:
            for pr in procs:
                if pr.poll() is None:
                    pr.kill()
                    pr.wait(10)
            c.close()
        alive = s.proc.poll() is None
        self.stop_server("p12")
        lat = {k: [] for k in ("list", "get", "poll", "download", "upload")}
        status, errors, cpu, samples = {}, 0, 0.0, []
        for r in results:
            for k, v in r.get("latency", {}).items():
                lat[k].extend(v)
            for k, v in r.get("status", {}).items():
                for code, count in v.items():
                    status.setdefault(k, {})
                    status[k][code] = status[k].get(code, 0) + count
            errors += r.get("error_count", 0)
            samples += r.get("errors", [])
            cpu += r.get("cpu", 0.0)
        bad = {k: {c: n for c, n in v.items() if not 200 <= int(c) < 300} for k, v in status.items()}
        bad_count = sum(sum(v.values()) for v in bad.values())
        total = sum(len(v) for v in lat.values())
        rate = total / wall if wall else 0
        client_cores = cpu / wall if wall else 0
        counts = ", ".join("%s %d" % (k, len(v)) for k, v in lat.items())
        log("P12: %d requests in %.1fs (%.0f/s; %s); non-2xx %s; connection errors %d %s; client processes used "
            "%.2f cores, the server %.2f; %d creates of A (%s s); RSS peak %s"
            % (total, wall, rate, counts, {k: v for k, v in bad.items() if v}, errors, samples[:3], client_cores,
               server_cores, len(create_s), " ".join("%.1f" % x for x in create_s), human(peak.peak)))
        setup = ("%d clients in %d processes, %.0f s, creates of A (%s) back to back: %d ran, median %.1f s; "
                 "%d requests (%.0f/s: %s); client processes used %.2f cores, the server %.2f, of %d"
                 % (a.p12_clients, len(procs), wall, human(a.a_size), len(create_s), median(create_s) or 0, total,
                    rate, counts, client_cores, server_cores, os.cpu_count()))
        self.rows.append(Row("P12", "load: errors (non-2xx or connection errors)", bad_count + errors, None, "none",
                             None, "= 0", bad_count + errors == 0 and alive,
                             note="non-2xx %s; connection errors %d%s; none expected; uploads (new ids) left in place; "
                                  "%s" % ({k: v for k, v in bad.items() if v} or "none", errors,
                                          " (%s)" % "; ".join(samples[:2]) if samples else "", setup)))
        self.rows.append(Row("P12", "load: requests answered per second", rate, None, "none", None, "(info)", None,
                             unit="req/s", note="%s; the client processes used %.2f cores in all (%.1f ms of CPU per "
                                                "request), the server %.2f" % (counts, client_cores,
                                                                              cpu / total * 1000 if total else 0,
                                                                              server_cores)))
        for k, label in (("list", "GET /snapshots?_size=100"), ("get", "GET /snapshots/<id>")):
            p99 = percentile(lat[k], 99)
            self.rows.append(Row("P12", "load: %s, p99" % label, p99, None, "none", None, "< 50 ms",
                                 p99 is not None and p99 < 50, unit="ms",
                                 note="p50 %s ms, %d requests" % ("%.1f" % percentile(lat[k], 50) if lat[k] else "n/a",
                                                                   len(lat[k]))))
        for k, label in (("poll", "GET /executions/<running create>"), ("download", "download of a %s archive"
                                                                        % human(len(body))),
                         ("upload", "upload of a %s archive (new id)" % human(len(body)))):
            p99 = percentile(lat[k], 99)
            self.rows.append(Row("P12", "load: %s, p99" % label, p99, None, "none", None, "(info)", None, unit="ms",
                                 note="p50 %s ms, %d requests" % ("%.1f" % percentile(lat[k], 50) if lat[k] else "n/a",
                                                                   len(lat[k]))))
        self.rows.append(Row("P12", "load: server peak RSS", peak.peak / MIB, None, "none", None, "< 350 MiB",
                             peak.peak < 350 * MIB, unit="MiB",
                             note="-Xmx%s; VmRSS sampled every 100 ms over the load" % a.heap))

    # ---------------------------------------------------------------- all
    def wanted(self, pid):
        """Whether --only asks for `pid`; P3 stands for both P3.A and P3.B."""
        return pid in self.a.only or pid.split(".")[0] in self.a.only

    def part(self, pid, label, fn, *args):
        if not self.wanted(pid):
            return
        log("--- %s: %s" % (pid, label))
        t = time.time()
        try:
            fn(*args)
        except Exception as e:
            traceback.print_exc(file=sys.stderr)
            self.rows.append(Row(pid, "%s: FAILED: %s" % (label, str(e).splitlines()[0][:200]), None))
            for name, srv in list(self.servers.items()):
                log("server %s log: %s" % (name, srv.log))
        log("%s took %.0fs" % (pid, time.time() - t))

    def main(self):
        a = self.a
        log(self.cache.describe())
        unknown = a.only - set(PARTS) - {"P3.A", "P3.B"}
        if unknown:
            log("--only: no part %s (the parts: %s, and P3.A, P3.B)" % (", ".join(sorted(unknown)), ", ".join(PARTS)))
        A = self.dataset_a() if any(self.wanted(p) for p in ("P1", "P3.A", "P5", "P6", "P7", "P12")) else None
        B = self.dataset_b() if any(self.wanted(p) for p in ("P2", "P3.B", "P9", "P13")) else None
        self.part("P1", "create of A", self.p1, A)
        self.part("P2", "create of B", self.p2, B)
        self.part("P3.A", "restore of A", self.p3, "A", A, True, True)
        self.part("P3.B", "restore of B", self.p3, "B", B, False, False)
        self.part("P6", "download", self.p6, A)
        self.stop_server("B")
        self.part("P5", "create of A on S3", self.p5, A)
        large = "P7" in a.only and not a.no_large
        if large:
            self.stop_server("A")
            AL = self.dataset_a_large()
            self.part("P7", "peak RSS at %s" % human(a.a_large_size), self.p7_large, AL)
            if not a.keep_data:
                datagen.remove(AL)
        if "P7" in a.only:
            self.p7_rows(large)
        self.stop_server("A")
        self.part("P9", "catalog and execution latency", self.p9, B)
        self.part("P10", "start and reconcile", self.p10)
        self.part("P11", "logins under attack", self.p11)
        self.part("P12", "load: %d clients for %d s beside creates of A" % (a.p12_clients, a.p12_seconds), self.p12, A)
        self.part("P13", "P9 through a cluster of %d nodes" % a.p13_nodes, self.p13, B)
        self.part("P14", "RSS while validating an upload of %d entries" % a.p14_entries, self.p14)

    def close(self):
        for p in reversed(self.procs):
            try:
                p.stop()
            except Exception as e:
                log("could not stop %s (pid %d): %s" % (p.name, p.pid, e))
        self.procs = []
        shutil.rmtree(self.scratch, ignore_errors=True)
        if not self.a.keep_data:
            for d in ("A", "A-large", "B"):
                datagen.remove(os.path.join(self.data, d))
            datagen.remove_file(self.many_entries_path())

    def environment(self):
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        java = first_line(["java", "-version"])
        return [
            ("cores", str(os.cpu_count())),
            ("memory", human(mem)),
            ("kernel", platform.release()),
            ("cache", self.cache.describe()),
            ("runs", "%d per figure, median shown" % self.a.runs),
            ("dataset A", "%s random bytes (P7 large: %s%s)" % (human(self.a.a_size), human(self.a.a_large_size),
                                                                ", skipped" if self.a.no_large else "")),
            ("dataset B", "%d JSON files of about %s" % (self.a.b_files, human(self.a.b_file_size))),
            ("server", "java -Xmx%s -jar %s (%s)" % (self.a.heap, os.path.relpath(self.a.jar), java)),
            ("zip", zip_version()),
            ("unzip", first_line(["unzip", "-v"])),
            ("tar", first_line(["tar", "--version"])),
            ("nginx", first_line(["nginx", "-v"])),
            ("aws", first_line(["aws", "--version"]) if self.aws else "not installed (curl PUT fallback)"),
            ("curl", first_line(["curl", "--version"])),
            ("python", "Python " + platform.python_version()),
            ("s3 servers", "S3Proxy 4.1.0 (filesystem store); %s" % ("moto %s (in memory)" % services.moto_version()
                                                                    if services.moto_available()
                                                                    else "moto not installed")),
            ("catalog (P13)", "%s, fsync on; %d nodes, -Xmx%s each" % (self.pg_version, self.a.p13_nodes, self.a.heap)
             if self.pg_version else "PostgreSQL not started"),
            ("P11", "%d failed logins per user kind; %d attackers; %d lists per kind and phase"
             % (self.a.p11_attempts, self.a.p11_attackers, self.a.p11_requests)),
            ("P14", "upload of %d zip entries of %d-byte names" % (self.a.p14_entries, datagen.NAME_BYTES)),
            ("timing", "each server warmed by one untimed create; create: PUT until the execution is terminated "
                       "(polled every 10 ms); archive-writing baselines: the command plus an fsync of the archive "
                       "it wrote (the server fsyncs its archive); tar -xf: plus an fsync of every extracted file "
                       "and directory; unzip: no sync"),
            ("P10", "start: spawn of java -jar to the first 200 of GET /snapshots with Basic, page cache dropped; "
                    "rebuild: H2 catalog removed, %d archives on fs (P9's), %d on S3Proxy"
                    % (self.a.p9_snapshots + 1, self.a.p10_snapshots)),
            ("P12", "%d clients in %d processes for %d s; creates of A back to back"
             % (self.a.p12_clients, self.a.p12_processes, self.a.p12_seconds)),
        ]


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv):
    signal.signal(signal.SIGTERM, _interrupt)
    a = parse(argv)
    services.PIDFILE = a.pidfile
    os.makedirs(a.out, exist_ok=True)
    if not os.path.isfile(a.jar):
        log("no server jar at %s: build it with mvn -B -DskipTests package" % a.jar)
        return 0
    b = Bench(a)
    started = time.time()
    try:
        b.main()
    except KeyboardInterrupt:
        log("interrupted: stopping what was started")
        b.rows.append(Row("-", "interrupted", None))
    finally:
        b.close()
    env = b.environment()
    env.append(("duration", "%.0f s" % (time.time() - started)))
    csv_path = os.path.join(a.out, "results.csv")
    report.write_csv(csv_path, b.rows, env)
    print("## Snapkeep benchmark%s\n" % (" (--quick)" if a.quick else ""))
    for k, v in env:
        print("- %s: %s" % (k, v))
    print()
    print(report.markdown(b.rows))
    print("\nCSV: %s" % os.path.relpath(csv_path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
