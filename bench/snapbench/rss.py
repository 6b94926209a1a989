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
