"""P11's attacker, in a process of its own so that its threads never hold the measuring client's GIL:
`threads` keep-alive connections sending Basic requests with wrong passwords as fast as the server answers,
until a line (or the end) arrives on stdin. Prints the count of each HTTP status as JSON on stdout."""
import http.client
import json
import sys
import threading

from .api import PREFIX, basic


def main(argv):
    port, threads, user = int(argv[0]), int(argv[1]), argv[2]
    stop = threading.Event()
    counts, errors = {}, [0]
    lock = threading.Lock()

    def worker(n):
        conn, i = None, 0
        while not stop.is_set():
            i += 1
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", PREFIX + "/snapshots?_size=100",
                             headers={"Authorization": basic(user, "wrong-%d-%d" % (n, i))})
                r = conn.getresponse()
                r.read()
                with lock:
                    counts[r.status] = counts.get(r.status, 0) + 1
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()

    ts = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
    for t in ts:
        t.start()
    print(json.dumps({"started": threads}), flush=True)
    sys.stdin.readline()
    stop.set()
    for t in ts:
        t.join(30)
    print(json.dumps({"counts": {str(k): v for k, v in sorted(counts.items())}, "errors": errors[0]}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
