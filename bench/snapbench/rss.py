"""Peak resident memory of a process during an operation: VmHWM is reset before (clear_refs 5) and read
after, and VmRSS is sampled meanwhile in case the reset is not permitted."""
import threading
import time


def _status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0]) * 1024
    return out


class PeakRss:
    """`with PeakRss(pid) as p: ...` then `p.peak` (bytes)."""

    def __init__(self, pid, interval=0.02):
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.hwm_reset = False
        self._stop = threading.Event()

    def __enter__(self):
        try:
            with open("/proc/%d/clear_refs" % self.pid, "w") as f:
                f.write("5")
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, _status(self.pid).get("VmRSS", 0))
            except OSError:
                return
            time.sleep(self.interval)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)
        try:
            s = _status(self.pid)
            self.peak = max(self.peak, s.get("VmRSS", 0))
            if self.hwm_reset:
                self.peak = max(self.peak, s.get("VmHWM", 0))
        except OSError:
            pass
        return False


def cpu_seconds(pid):
    """User + system CPU seconds the process has used so far."""
    import os
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def _ppid_and_cpu(pid):
    import os
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu(pid):
    """CPU seconds so far of `pid` and each of its direct children, by pid (PostgreSQL's server processes are
    children of the postmaster). A child that ended is no longer counted."""
    import os
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            ppid, cpu = _ppid_and_cpu(int(name))
        except (OSError, ValueError, IndexError):
            continue
        if int(name) == pid or ppid == pid:
            out[int(name)] = cpu
    return out


def tree_cpu_delta(before, after):
    """CPU seconds used between two `tree_cpu` readings, counting children that started meanwhile."""
    return sum(cpu - before.get(p, 0.0) for p, cpu in after.items())
