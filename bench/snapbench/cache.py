"""Cold page cache before a timed command: drop the whole cache where the kernel lets us, else evict the
files the command reads (posix_fadvise DONTNEED, after writing back dirty pages)."""
import os

DROP = "drop_caches"
EVICT = "fadvise-evict"
NONE = "none"


def _can_drop():
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


class Cache:
    """`method` is 'auto' (drop_caches if permitted, else eviction), 'drop', 'evict' or 'none'."""

    def __init__(self, method="auto"):
        if method == "auto":
            self.method = DROP if _can_drop() else EVICT
        elif method == "drop":
            if not _can_drop():
                raise SystemExit("--cache drop: writing /proc/sys/vm/drop_caches is not permitted here")
            self.method = DROP
        elif method == "evict":
            self.method = EVICT
        else:
            self.method = NONE

    def describe(self):
        return {
            DROP: "cold: page cache dropped before each timed command (sync; echo 3 > /proc/sys/vm/drop_caches)",
            EVICT: "cold: drop_caches not permitted; the command's input files evicted before each timed command "
                   "(posix_fadvise DONTNEED after fdatasync)",
            NONE: "cache NOT dropped (--cache none): figures are warm-cache",
        }[self.method]

    def cold(self, paths):
        """Makes `paths` (files or directory trees) cold; every timed cold command calls this first."""
        if self.method == NONE:
            return
        if self.method == DROP:
            os.sync()
            with open("/proc/sys/vm/drop_caches", "w") as f:
                f.write("3\n")
            return
        os.sync()
        for p in paths:
            for f in _files(p):
                evict(f)


def _files(path):
    if os.path.isdir(path):
        for base, _, names in os.walk(path):
            for n in names:
                yield os.path.join(base, n)
    elif os.path.exists(path):
        yield path


def evict(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fdatasync(fd)
    except OSError:
        pass
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
