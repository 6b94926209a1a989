"""Processes the benchmark starts: the packaged server, nginx and S3Proxy, all on 127.0.0.1, each stopped
by its own pid (also recorded in a pid file that bench/run's exit trap reads)."""
import http.client
import os
import signal
import socket
import subprocess
import time

PIDFILE = None  # set by the main module: bench/work/pids


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _record_pid(pid):
    if PIDFILE:
        with open(PIDFILE, "a") as f:
            f.write("%d\n" % pid)


def wait_http(port, path, deadline_s, proc, log):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("process exited with %s; see %s" % (proc.returncode, log))
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", path)
            c.getresponse().read()
            c.close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nothing answered on 127.0.0.1:%d within %ds; see %s" % (port, deadline_s, log))


class Proc:
    """A child process with a log file; `stop()` sends SIGTERM, then SIGKILL after `grace` seconds."""

    def __init__(self, name, argv, log, env=None, cwd=None):
        self.name, self.log = name, log
        self._logf = open(log, "ab")
        self.proc = subprocess.Popen(argv, stdout=self._logf, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                     stdin=subprocess.DEVNULL)
        self.pid = self.proc.pid
        _record_pid(self.pid)

    def stop(self, grace=20):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._logf.close()


class Server(Proc):
    """The packaged Snapkeep server with a `directory` participant named `data` on `dataset`."""

    def __init__(self, jar, workdir, dataset, password, heap="256m", s3=None, log_name="server.log",
                 extra_jvm=()):
        os.makedirs(workdir, exist_ok=True)
        self.port = free_port()
        self.data_dir = os.path.join(workdir, "data")
        self.archives = os.path.join(self.data_dir, "archives")
        lines = [
            "host: 127.0.0.1",
            "port: %d" % self.port,
            "data_dir: %s" % self.data_dir,
            "fs:",
            "  root: %s" % self.archives,
            "participants:",
            "  - name: data",
            "    type: directory",
            "    category: STATE",
            "    path: %s" % dataset,
        ]
        if s3:
            lines += [
                "storage:",
                "  type: s3",
                "s3:",
                "  endpoint: %s" % s3.endpoint,
                "  region: us-east-1",
                "  bucket: %s" % s3.bucket,
                "  access_key: %s" % s3.access_key,
                "  secret_key: %s" % s3.secret_key,
                "  create_bucket: true",
            ]
        else:
            lines += ["storage:", "  type: fs"]
        self.config = os.path.join(workdir, "snapkeep.yaml")
        with open(self.config, "w") as f:
            f.write("\n".join(lines) + "\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SNAPKEEP_")}
        env["SNAPKEEP_ADMIN_PASSWORD"] = password
        log = os.path.join(workdir, log_name)
        argv = ["java", "-Xmx" + heap, *extra_jvm, "-jar", jar, "--config", self.config]
        super().__init__("snapkeep", argv, log, env=env, cwd=workdir)
        try:
            wait_http(self.port, "/api/version", 60, self.proc, log)
        except Exception:
            self.stop()
            raise


class Nginx(Proc):
    """nginx serving `root` with sendfile on, one worker, on 127.0.0.1."""

    def __init__(self, workdir, root):
        os.makedirs(workdir, exist_ok=True)
        self.port = free_port()
        conf = os.path.join(workdir, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""
daemon off;
master_process on;
worker_processes 1;
user root;
pid %(w)s/nginx.pid;
error_log %(w)s/error.log warn;
events { worker_connections 64; }
http {
    sendfile on;
    tcp_nopush on;
    access_log off;
    default_type application/octet-stream;
    client_body_temp_path %(w)s/body;
    proxy_temp_path %(w)s/proxy;
    fastcgi_temp_path %(w)s/fastcgi;
    uwsgi_temp_path %(w)s/uwsgi;
    scgi_temp_path %(w)s/scgi;
    server {
        listen 127.0.0.1:%(port)d;
        root %(root)s;
    }
}
""" % {"w": workdir, "port": self.port, "root": root})
        log = os.path.join(workdir, "nginx.out")
        super().__init__("nginx", ["nginx", "-p", workdir, "-c", conf], log)
        try:
            wait_http(self.port, "/", 20, self.proc, log)
        except Exception:
            self.stop()
            raise


class S3Proxy(Proc):
    """S3Proxy with a filesystem blob store under `workdir`, AWS v2/v4 auth, on 127.0.0.1."""

    bucket = "snapbench"
    access_key = "snapbench"
    secret_key = "snapbench-secret-key"

    def __init__(self, workdir, classpath, logback_xml):
        os.makedirs(os.path.join(workdir, "blobs"), exist_ok=True)
        self.port = free_port()
        self.endpoint = "http://127.0.0.1:%d" % self.port
        props = os.path.join(workdir, "s3proxy.properties")
        with open(props, "w") as f:
            f.write("\n".join([
                "s3proxy.endpoint=%s" % self.endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=%s" % self.access_key,
                "s3proxy.credential=%s" % self.secret_key,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=%s" % os.path.join(workdir, "blobs"),
                "jclouds.identity=%s" % self.access_key,
                "jclouds.credential=%s" % self.secret_key,
            ]) + "\n")
        log = os.path.join(workdir, "s3proxy.log")
        argv = ["java", "-Dlogback.configurationFile=" + logback_xml, "-cp", classpath, "org.gaul.s3proxy.Main", "--properties", props]
        super().__init__("s3proxy", argv, log, cwd=workdir)
        try:
            wait_http(self.port, "/", 60, self.proc, log)
        except Exception:
            self.stop()
            raise
