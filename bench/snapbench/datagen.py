"""Deterministic data sets: the same seed and sizes give the same bytes on every machine.

Dataset A is random bytes (nothing to compress); dataset B is many small JSON-like files (compressible,
many entries). A finished data set carries a marker naming its parameters, so a second run reuses it.
"""
import json
import os
import random
import shutil

MIB = 1 << 20
_MARKER = ".dataset.json"


def _marker(directory):
    # Beside the data set, not in it: the data set is exactly what a snapshot or an archive holds.
    return os.path.normpath(directory) + _MARKER


def _reuse(directory, params):
    marker = _marker(directory)
    if not os.path.isdir(directory):
        return False
    try:
        with open(marker) as f:
            return json.load(f) == params
    except (OSError, ValueError):
        return False


def _mark(directory, params):
    with open(_marker(directory), "w") as f:
        json.dump(params, f)


def random_file(directory, size, seed):
    """One file `data.bin` of `size` random bytes under `directory`; returns its path."""
    params = {"kind": "random", "size": size, "seed": seed}
    path = os.path.join(directory, "data.bin")
    if _reuse(directory, params) and os.path.getsize(path) == size:
        return path
    _clear(directory)
    rng = random.Random(seed)
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, 4 * MIB)
            f.write(rng.randbytes(n))
            left -= n
    _mark(directory, params)
    return path


_WORDS = ("deployment node instance blueprint plugin workflow execution tenant secret agent "
          "compute network subnet volume router port floating security group keypair image "
          "flavor region zone cluster service endpoint policy trigger scaling healthy failed "
          "started terminated pending install uninstall heal update scale relationship").split()
_STATES = ("started", "terminated", "failed", "pending", "cancelled", "queued")
_TYPES = ("cloudify.nodes.Compute", "cloudify.nodes.Root", "cloudify.nodes.SoftwareComponent",
          "cloudify.openstack.nodes.Server", "cloudify.aws.nodes.Instance", "cloudify.nodes.Database")


def _record(rng, prefix, i):
    words = " ".join(rng.choices(_WORDS, k=rng.randint(4, 14)))
    props = ", ".join('"%s": %d' % (w, rng.randint(0, 99999)) for w in rng.choices(_WORDS, k=rng.randint(2, 6)))
    return ('{"id": "%s_%06d", "type": "%s", "state": "%s", "created_at": "2024-%02d-%02dT%02d:%02d:%02d.%03dZ", '
            '"version": %d, "host_id": "%s_%04x", "description": "%s", "runtime_properties": {%s}, '
            '"visibility": "tenant", "tenant_name": "default_tenant", "created_by": "admin"}'
            % (prefix, i, rng.choice(_TYPES), rng.choice(_STATES), rng.randint(1, 12), rng.randint(1, 28),
               rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999),
               rng.randint(1, 40), rng.choice(_WORDS), rng.randint(0, 0xFFFF), words, props))


def json_tree(directory, count, approx_size, seed, per_dir=500):
    """`count` JSON documents of about `approx_size` bytes, `per_dir` to a sub-directory; returns the total size."""
    params = {"kind": "json", "count": count, "approx_size": approx_size, "seed": seed, "per_dir": per_dir}
    if _reuse(directory, params):
        return _tree_size(directory)
    _clear(directory)
    rng = random.Random(seed)
    total = 0
    for n in range(count):
        sub = os.path.join(directory, "d%04d" % (n // per_dir))
        if n % per_dir == 0:
            os.makedirs(sub, exist_ok=True)
        prefix = rng.choice(_WORDS)
        parts, size, i = [], 2, 0
        while size < approx_size:
            r = _record(rng, prefix, i)
            parts.append(r)
            size += len(r) + 4
            i += 1
        text = '{"items": [\n  ' + ",\n  ".join(parts) + "\n]}\n"
        data = text.encode()
        with open(os.path.join(sub, "doc-%06d.json" % n), "wb") as f:
            f.write(data)
        total += len(data)
    _mark(directory, params)
    return total


def _clear(directory):
    try:
        os.remove(_marker(directory))
    except FileNotFoundError:
        pass
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)


def remove(directory):
    """Removes a data set and its marker."""
    shutil.rmtree(directory, ignore_errors=True)
    try:
        os.remove(_marker(directory))
    except FileNotFoundError:
        pass


def _tree_size(directory):
    total = 0
    for base, _, files in os.walk(directory):
        for name in files:
            total += os.path.getsize(os.path.join(base, name))
    return total


def tree_files(directory):
    """Every file under `directory`, for cache eviction."""
    out = []
    for base, _, files in os.walk(directory):
        for name in files:
            out.append(os.path.join(base, name))
    return out


NAME_BYTES = 120
_EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
_ZIP_TIME = (2024, 6, 1, 0, 0, 0)


def many_entries_archive(path, entries, seed):
    """A valid `snapkeep/1` archive of `entries` zip entries in all: metadata.json, `entries - 2` empty
    entries of participant `p` whose full names are NAME_BYTES bytes long, and MANIFEST.sha256 last (the
    layout the core's ArchiveWriter writes). Returns the archive's size. Reused when its marker matches."""
    import zipfile
    params = {"kind": "many-entries", "entries": entries, "seed": seed, "name_bytes": NAME_BYTES}
    marker = path + _MARKER
    try:
        with open(marker) as f:
            if json.load(f) == params and os.path.isfile(path):
                return os.path.getsize(path)
    except (OSError, ValueError):
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    for p in (marker, path):
        if os.path.exists(p):
            os.remove(p)
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    meta = json.dumps({"format": "snapkeep/1", "snapshot_version": 1, "snapshot_id": "many-entries",
                       "execution_id": None, "created_at": "2024-06-01T00:00:00Z", "create_options": {},
                       "participants": [{"name": "p", "category": "state"}]}, separators=(",", ":")) + "\n"
    meta = meta.encode()
    import hashlib
    manifest = [("%s  %d  metadata.json\n" % (hashlib.sha256(meta).hexdigest(), len(meta))).encode()]
    tmp = path + ".part"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as z:
        z.writestr(zipfile.ZipInfo("metadata.json", _ZIP_TIME), meta)
        folder = "participants/p/"
        for i in range(entries - 2):
            # The shape of the core's UploadMemoryTest names, filled to length with seeded letters.
            head = "%sd%d/entry-%d-" % (folder, i % 1000, i)
            name = head + "".join(rng.choices(letters, k=NAME_BYTES - len(head)))
            z.writestr(zipfile.ZipInfo(name, _ZIP_TIME), b"")
            manifest.append(("%s  0  %s\n" % (_EMPTY_SHA256, name)).encode())
        info = zipfile.ZipInfo("MANIFEST.sha256", _ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w") as m:
            for k in range(0, len(manifest), 4096):
                m.write(b"".join(manifest[k:k + 4096]))
        manifest = None
    os.replace(tmp, path)
    with open(marker, "w") as f:
        json.dump(params, f)
    return os.path.getsize(path)


def remove_file(path):
    """Removes a generated file and its marker."""
    for p in (path, path + _MARKER, path + ".part"):
        try:
            os.remove(p)
        except FileNotFoundError:
            pass
