"""A small keep-alive client for the server's REST API (Basic auth as admin)."""
import base64
import http.client
import json
import time

PREFIX = "/api/v3.1"
ENDED = {"terminated", "failed", "cancelled"}


class ApiError(Exception):
    pass


def basic(user, password):
    return "Basic " + base64.b64encode((user + ":" + password).encode()).decode()


class Client:
    """`token` given: every request carries it as `Authentication-Token` instead of Basic auth."""

    def __init__(self, port, password, timeout=600, user="admin", token=None):
        self.port, self.timeout = port, timeout
        self.auth = {"Authentication-Token": token} if token else {"Authorization": basic(user, password)}
        self.conn = None

    def _connect(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self.conn

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None):
        """Returns (status, parsed JSON or raw bytes); reconnects once if the kept-alive socket was closed.
        `headers` may replace the authentication header."""
        h = dict(self.auth)
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        for attempt in (0, 1):
            c = self._connect()
            try:
                c.request(method, PREFIX + path, body=body, headers=h)
                r = c.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt:
                    raise
        if r.getheader("Content-Type", "").startswith("application/json"):
            try:
                return r.status, json.loads(data)
            except ValueError:
                pass
        return r.status, data

    def expect(self, status, method, path, body=None, headers=None):
        got, data = self.request(method, path, body, headers)
        if got != status:
            raise ApiError("%s %s: expected %d, got %d: %.500s" % (method, path, status, got, data))
        return data

    def create(self, snapshot_id, queue=False):
        return self.expect(201, "PUT", "/snapshots/" + snapshot_id, {"queue": queue})["id"]

    def restore(self, snapshot_id):
        return self.expect(200, "POST", "/snapshots/%s/restore" % snapshot_id, {"force": True})["id"]

    def delete(self, snapshot_id):
        status, _ = self.request("DELETE", "/snapshots/" + snapshot_id)
        return status

    def snapshot(self, snapshot_id):
        return self.expect(200, "GET", "/snapshots/" + snapshot_id)

    def wait(self, execution_id, deadline_s, poll_s=0.01):
        """Polls the execution until it ends; returns it. Raises when it fails or the deadline passes."""
        end = time.monotonic() + deadline_s
        while True:
            ex = self.expect(200, "GET", "/executions/" + execution_id)
            if ex["status"] in ENDED:
                if ex["status"] != "terminated":
                    raise ApiError("execution %s ended %s: %s" % (execution_id, ex["status"], ex.get("error")))
                return ex
            if time.monotonic() > end:
                raise ApiError("execution %s still %s after %ds" % (execution_id, ex["status"], deadline_s))
            time.sleep(poll_s)


class RoundRobin:
    """Clients of several nodes behind one face: each request goes to the next node in turn, as a client
    spreading its load over a cluster does. Every node keeps its own keep-alive connection."""

    def __init__(self, ports, password, timeout=600):
        self.clients = [Client(p, password, timeout) for p in ports]
        self.turn = 0
        self.timeout = timeout

    def next(self):
        c = self.clients[self.turn % len(self.clients)]
        self.turn += 1
        return c

    def close(self):
        for c in self.clients:
            c.close()

    def request(self, method, path, body=None, headers=None):
        return self.next().request(method, path, body, headers)

    def expect(self, status, method, path, body=None, headers=None):
        return self.next().expect(status, method, path, body, headers)

    def create(self, snapshot_id, queue=False):
        return self.next().create(snapshot_id, queue)

    def delete(self, snapshot_id):
        return self.next().delete(snapshot_id)

    def wait(self, execution_id, deadline_s, poll_s=0.01):
        """Polls the execution through the nodes in turn until it ends (see Client.wait)."""
        end = time.monotonic() + deadline_s
        while True:
            ex = self.expect(200, "GET", "/executions/" + execution_id)
            if ex["status"] in ENDED:
                if ex["status"] != "terminated":
                    raise ApiError("execution %s ended %s: %s" % (execution_id, ex["status"], ex.get("error")))
                return ex
            if time.monotonic() > end:
                raise ApiError("execution %s still %s after %ds" % (execution_id, ex["status"], deadline_s))
            time.sleep(poll_s)
