"""The results table: markdown on stdout, the same rows in a CSV file."""
import csv
import statistics

COLUMNS = ["id", "measure", "ours", "baseline", "baseline_tool", "ratio", "target", "holds"]


def median(xs):
    return statistics.median(xs) if xs else None


def percentile(xs, p):
    """Nearest-rank percentile (p in 0..100)."""
    if not xs:
        return None
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


class Row:
    def __init__(self, id, measure, ours, baseline=None, tool="none", ratio=None, target="", holds=None,
                 unit="", note=""):
        self.id, self.measure, self.ours, self.baseline = id, measure, ours, baseline
        self.tool, self.ratio, self.target, self.holds, self.unit, self.note = tool, ratio, target, holds, unit, note

    def cells(self):
        def num(v):
            if v is None:
                return "n/a"
            if isinstance(v, str):
                return v
            if abs(v) >= 100:
                return "%.0f" % v
            if abs(v) >= 10:
                return "%.1f" % v
            return "%.3g" % v
        unit = (" " + self.unit) if self.unit else ""
        ours = num(self.ours) + (unit if self.ours is not None and not isinstance(self.ours, str) else "")
        base = num(self.baseline) + (unit if self.baseline is not None and not isinstance(self.baseline, str) else "")
        holds = {True: "yes", False: "NO", None: "n/a"}[self.holds]
        measure = self.measure + (" (" + self.note + ")" if self.note else "")
        ratio = "n/a" if self.ratio is None else "%.2f" % self.ratio
        return [self.id, measure, ours, base, self.tool, ratio, self.target, holds]


def ratio_row(id, measure, ours, base, tool, limit, higher_is_better=False, unit="s", note=""):
    """A row whose target is `ours/base <= limit` (or `>= limit` when higher is better)."""
    if ours is None or base is None or base == 0:
        return Row(id, measure, ours, base, tool, None, ("ratio >= %g" if higher_is_better else "ratio <= %g") % limit,
                   None, unit, note)
    r = ours / base
    holds = r >= limit if higher_is_better else r <= limit
    return Row(id, measure, ours, base, tool, r, ("ratio >= %g" if higher_is_better else "ratio <= %g") % limit,
               holds, unit, note)


def markdown(rows):
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        lines.append("| " + " | ".join(c.replace("|", "/") for c in r.cells()) + " |")
    return "\n".join(lines)


def write_csv(path, rows, env):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS + ["unit", "ours_raw", "baseline_raw"])
        for r in rows:
            w.writerow(r.cells() + [r.unit, "" if r.ours is None else r.ours,
                                    "" if r.baseline is None else r.baseline])
        for k, v in env:
            w.writerow(["env", k, v, "", "", "", "", "", "", "", ""])
