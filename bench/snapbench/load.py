"""P12's clients, in a process of their own (several run at once, so that no one GIL limits the load):
`threads` keep-alive connections, each sending a mix of list, get, poll, download and upload requests one
after the other, as fast as they are answered, from a "go" line on stdin for `seconds`. Prints "ready" once
every connection answered one untimed list, and at the end one JSON line: per operation the latencies in
milliseconds and the count of each status, connection errors, and the process's CPU seconds."""
import json
import os
import random
import sys
import threading
import time

from .api import Client

# The mix: list, get, poll, download, upload (weights).
MIX = (("list", 30), ("get", 30), ("poll", 20), ("download", 10), ("upload", 10))


def main(argv):
    cfg = json.loads(argv[0])
    port, password, threads, seconds = cfg["port"], cfg["password"], cfg["threads"], cfg["seconds"]
    ids, tag, poll_file = cfg["ids"], cfg["tag"], cfg["poll_file"]
    with open(cfg["archive"], "rb") as f:
        archive = f.read()
    ops = [name for name, w in MIX for _ in range(w)]
    lock = threading.Lock()
    lat = {name: [] for name, _ in MIX}
    status = {name: {} for name, _ in MIX}
    errors = []
    current = {"eid": None, "read": 0.0}
    start = threading.Event()
    clients = [Client(port, password, timeout=120) for _ in range(threads)]
    for c in clients:
        c.expect(200, "GET", "/snapshots?_size=100")

    def execution():
        now = time.monotonic()
        if now - current["read"] > 0.2:
            try:
                with open(poll_file) as f:
                    current["eid"] = f.read().strip() or current["eid"]
            except OSError:
                pass
            current["read"] = now
        return current["eid"]

    def worker(n, c):
        rng = random.Random("%s-%d" % (tag, n))
        mine = {name: [] for name, _ in MIX}
        seen = {name: {} for name, _ in MIX}
        errs, k = [], 0
        start.wait()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            op = rng.choice(ops)
            if op == "list":
                args = ("GET", "/snapshots?_size=100")
            elif op == "get":
                args = ("GET", "/snapshots/" + rng.choice(ids))
            elif op == "poll":
                eid = execution()
                if not eid:
                    continue
                args = ("GET", "/executions/" + eid)
            elif op == "download":
                args = ("GET", "/snapshots/%s/archive" % rng.choice(ids))
            else:
                k += 1
                args = ("PUT", "/snapshots/load-%s-%d-%d/archive" % (tag, n, k), archive,
                        {"Content-Type": "application/zip"})
            t = time.perf_counter()
            try:
                code, _ = c.request(*args)
            except Exception as e:  # a connection error: counted, and the next request reconnects
                errs.append("%s: %r" % (op, e))
                c.close()
                continue
            mine[op].append((time.perf_counter() - t) * 1000)
            seen[op][code] = seen[op].get(code, 0) + 1
        with lock:
            for name in mine:
                lat[name].extend(mine[name])
                for code, v in seen[name].items():
                    status[name][code] = status[name].get(code, 0) + v
            errors.extend(errs)

    ts = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(clients)]
    for t in ts:
        t.start()
    print("ready", flush=True)
    sys.stdin.readline()
    t0, c0 = time.monotonic(), os.times()
    start.set()
    for t in ts:
        t.join()
    c1 = os.times()
    for c in clients:
        c.close()
    print(json.dumps({"latency": lat, "status": {k: {str(c): n for c, n in v.items()} for k, v in status.items()},
                      "errors": errors[:20], "error_count": len(errors), "wall": time.monotonic() - t0,
                      "cpu": c1.user - c0.user + c1.system - c0.system}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
