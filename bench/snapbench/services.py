"""Processes the benchmark starts: the packaged server (alone or as cluster nodes), nginx, S3Proxy and
PostgreSQL, all on 127.0.0.1, each stopped by its own pid (also recorded in a pid file that bench/run's exit
trap reads)."""
import glob
import http.client
import os
import pwd
import re
import shutil
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
            time.sleep(0.02)
    raise RuntimeError("nothing answered on 127.0.0.1:%d within %ds; see %s" % (port, deadline_s, log))


class Proc:
    """A child process with a log file; `stop()` sends SIGTERM, then SIGKILL after `grace` seconds."""

    def __init__(self, name, argv, log, env=None, cwd=None):
        self.name, self.log = name, log
        self._logf = open(log, "ab")
        self.spawned = time.perf_counter()  # P10 times a start from here
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
    """The packaged Snapkeep server with a `directory` participant named `data` on `dataset`; `env` adds
    SNAPKEEP_ variables (P11's login limits)."""

    def __init__(self, jar, workdir, dataset, password, heap="256m", s3=None, log_name="server.log",
                 extra_jvm=(), env=None, start_timeout=60):
        os.makedirs(workdir, exist_ok=True)
        self.workdir = workdir
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
        settings = env or {}
        env = {k: v for k, v in os.environ.items() if not k.startswith("SNAPKEEP_")}
        env.update(settings)
        env["SNAPKEEP_ADMIN_PASSWORD"] = password
        log = os.path.join(workdir, log_name)
        argv = ["java", "-Xmx" + heap, *extra_jvm, "-jar", jar, "--config", self.config]
        super().__init__("snapkeep", argv, log, env=env, cwd=workdir)
        try:
            wait_http(self.port, "/api/version", start_timeout, self.proc, log)
        except Exception:
            self.stop()
            raise
        self.port_open = time.perf_counter()


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


class Node(Proc):
    """One node of a Snapkeep cluster, configured by environment variables only: `settings` maps the
    SNAPKEEP_ variables beyond port, data directory, admin password and node id."""

    def __init__(self, jar, workdir, node_id, password, settings, heap="256m"):
        os.makedirs(workdir, exist_ok=True)
        self.node_id = node_id
        self.port = free_port()
        self.data_dir = os.path.join(workdir, "data")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SNAPKEEP_")}
        env.update(settings)
        env.update({
            "SNAPKEEP_HOST": "127.0.0.1",
            "SNAPKEEP_PORT": str(self.port),
            "SNAPKEEP_DATA_DIR": self.data_dir,
            "SNAPKEEP_ADMIN_PASSWORD": password,
            "SNAPKEEP_NODE_ID": node_id,
        })
        log = os.path.join(workdir, "node.log")
        super().__init__("snapkeep " + node_id, ["java", "-Xmx" + heap, "-jar", jar], log, env=env, cwd=workdir)
        try:
            wait_http(self.port, "/api/version", 90, self.proc, log)
        except Exception:
            self.stop()
            raise


def postgres_bin():
    """The newest Debian PostgreSQL's bin directory, or None."""
    found = []
    for d in glob.glob("/usr/lib/postgresql/*/bin"):
        m = re.search(r"/(\d+)(?:\.(\d+))?/bin$", d)
        if m and os.path.isfile(os.path.join(d, "postgres")):
            found.append(((int(m.group(1)), int(m.group(2) or 0)), d))
    return max(found)[1] if found else None


class Postgres(Proc):
    """A throwaway PostgreSQL server under `workdir`, on 127.0.0.1 only (TCP with a password, and a socket
    in its own directory). PostgreSQL refuses to run as root: as root, its programs run as the `postgres`
    user, which then owns the directories. `fsync` stays on unless asked otherwise."""

    user = "snapkeep"
    password = "snapbench-catalog-password"

    def __init__(self, workdir, fsync=True):
        self.bin = postgres_bin()
        if not self.bin:
            raise RuntimeError("no PostgreSQL under /usr/lib/postgresql (Debian package postgresql)")
        self.fsync = fsync
        self.data = os.path.join(workdir, "pg")
        self.sock = os.path.join(workdir, "pg-sock")
        os.makedirs(workdir, exist_ok=True)
        for d in (self.data, self.sock):
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            os.chmod(d, 0o700)
        pwfile = os.path.join(workdir, "pg-password")
        with open(pwfile, "w") as f:
            f.write(self.password + "\n")
        self.as_user = []
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")  # created by the Debian package
            for p in (self.data, self.sock, pwfile):
                os.chown(p, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
            self._check_reachable(workdir, pw.pw_uid)
        self.version = _first_line([os.path.join(self.bin, "postgres"), "--version"])
        self._pg(["initdb", "-D", self.data, "-U", self.user, "--pwfile", pwfile, "--auth-host=scram-sha-256",
                  "--auth-local=trust", "-E", "UTF8", "--no-locale"], os.path.join(workdir, "initdb.log"))
        os.remove(pwfile)
        self.port = free_port()
        log = os.path.join(workdir, "postgres.log")
        argv = self.as_user + [os.path.join(self.bin, "postgres"), "-D", self.data, "-p", str(self.port),
                               "-c", "listen_addresses=127.0.0.1", "-k", self.sock,
                               "-c", "fsync=%s" % ("on" if fsync else "off")]
        super().__init__("postgres", argv, log, cwd=workdir)
        try:
            self._wait_ready(60, log)
            # runuser stays the parent of the server: record the postmaster's own pid too, for bench/run's trap.
            with open(os.path.join(self.data, "postmaster.pid")) as f:
                self.postmaster_pid = int(f.readline())
            _record_pid(self.postmaster_pid)
        except Exception:
            self.stop()
            raise

    def _check_reachable(self, workdir, uid):
        d = os.path.abspath(workdir)
        while d != os.path.dirname(d):
            d = os.path.dirname(d)
            st = os.stat(d)
            if not (st.st_mode & 0o001 or (st.st_uid == uid and st.st_mode & 0o100)):
                raise RuntimeError("the postgres user cannot reach %s (no search permission on %s): choose "
                                   "another --work" % (workdir, d))

    def _pg(self, argv, log, timeout=120):
        with open(log, "ab") as f:
            r = subprocess.run(self.as_user + [os.path.join(self.bin, argv[0])] + argv[1:], stdout=f,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=os.path.dirname(self.data),
                               timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError("%s exited %d; see %s" % (argv[0], r.returncode, log))

    def _wait_ready(self, deadline_s, log):
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("postgres exited with %s; see %s" % (self.proc.returncode, log))
            r = subprocess.run([os.path.join(self.bin, "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port),
                                "-t", "2"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=30)
            if r.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL not ready on 127.0.0.1:%d within %ds; see %s" % (self.port, deadline_s, log))

    def jdbc_url(self, database):
        return "jdbc:postgresql://127.0.0.1:%d/%s" % (self.port, database)

    def psql(self, database, sql=None, stdin=None, timeout=1800):
        """Runs `sql` (or the script on `stdin`, bytes or a file) as the server's user over TCP; stops on the
        first error."""
        argv = [os.path.join(self.bin, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", str(self.port), "-U", self.user, "-d", database]
        if sql is not None:
            argv += ["-c", sql]
        env = dict(os.environ, PGPASSWORD=self.password, PGCONNECT_TIMEOUT="10")
        if stdin is None:
            kw = {"stdin": subprocess.DEVNULL}
        else:
            kw = {"input": stdin} if isinstance(stdin, bytes) else {"stdin": stdin}
        r = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, **kw)
        if r.returncode != 0:
            raise RuntimeError("psql %s: %s" % (sql or "script", r.stderr.decode(errors="replace")[-500:]))
        return r.stdout.decode()

    def stop(self, grace=30):
        if self.proc.poll() is None:
            try:
                self._pg(["pg_ctl", "stop", "-D", self.data, "-m", "fast", "-w", "-t", str(grace)],
                         os.path.join(os.path.dirname(self.data), "pg_ctl.log"), timeout=grace + 10)
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
        super().stop(grace=10)


def _first_line(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return ((r.stdout + r.stderr).strip().splitlines() or ["?"])[0].strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def moto_available():
    """Whether moto's server can run in this Python (it is never installed by the bench)."""
    try:
        import importlib.util
        return importlib.util.find_spec("moto.server") is not None
    except (ImportError, ValueError):
        return False


def moto_version():
    try:
        from importlib.metadata import version
        return version("moto")
    except Exception:
        return "?"


class Moto(Proc):
    """moto's S3 server (in memory), on 127.0.0.1, in the Python that runs the bench. It takes any key pair;
    the bucket is made by whoever writes first (the server, with create_bucket)."""

    bucket = "snapbench-moto"
    access_key = "snapbench"
    secret_key = "snapbench-secret-key"

    def __init__(self, workdir):
        import sys
        os.makedirs(workdir, exist_ok=True)
        self.port = free_port()
        self.endpoint = "http://127.0.0.1:%d" % self.port
        log = os.path.join(workdir, "moto.log")
        argv = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        super().__init__("moto", argv, log, cwd=workdir)
        try:
            wait_http(self.port, "/", 60, self.proc, log)
        except Exception:
            self.stop()
            raise
