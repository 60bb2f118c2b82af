#!/usr/bin/python3
"""baseline_eval.py: `make eval-baseline`: the figures of docs/baseline.md, all made by the
shellwatch binary itself (`baseline learn` and `baseline score`); this script only prepares the
inputs and counts.

1. The tutorial's experiment on our data: the python lines of the benign training corpus (python
   run as a command anywhere in the line), each repeated 100 times, plus one instance of each python
   reverse-shell template; one baseline of all of them (--group all, contamination 0.02), scored on
   itself: shells isolated, benign lines flagged; then the benign-prefix evasion (a benign python
   line of the corpus and `; ` in front of each shell).
2. Per interpreter group, learnt on one split of the benign lines (folds 0-1 of
   tools/gen_commands.py: real lines by line, generated ones by template), measured on the other
   (folds 2-3) and on every instance of the group's malicious templates: the detection rate at a
   false-positive rate of 1e-3 of the group's held-out benign lines, and at the learnt threshold;
   and the in-code prefix evasion for the python -c shells.
3. Learn and score speed (lines per CPU second, one process, best of 3) and the file size for
   100,000 lines: the grouped benign lines repeated (a host: the same commands again and again)
   and 100,000 fresh instances of the grouped benign templates (every line different).

Reads the shared data at run time, never copies it into the repository.
Usage: baseline_eval.py DATA_DIR WORK_DIR --bin build/shellwatch
"""
import argparse
import os
import random
import re
import subprocess
import resource
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_benign_net  # noqa: E402
import gen_commands  # noqa: E402

SEED = 20261122
PY_RE = re.compile(r"(^|[\s;|&(`])(\S*/)?python[0-9.]*(\s|$)")
MIN_LINES = 20   # the groups of this corpus are small: learn those with 20 lines or more
MALICIOUS = ("revshell", "revshell-extra", "download", "privesc", "persist", "recon")
CONFIGS = [("tokens, isolate (default)", []), ("tokens, ignore", ["--unseen", "ignore"]),
           ("hashed, isolate", ["--features", "hashed"]),
           ("hashed, ignore", ["--features", "hashed", "--unseen", "ignore"])]


class Bin:
    def __init__(self, path, work):
        self.path, self.work = path, work

    def write(self, name, lines):
        p = os.path.join(self.work, name)
        with open(p, "w", encoding="utf-8") as f:
            for line in lines:
                f.write(line + "\n")
        return p

    def learn(self, lines_file, out, *opts):
        r = subprocess.run([self.path, "baseline", "learn", "-o", out, *opts, lines_file],
                           capture_output=True, text=True, check=True)
        return r.stderr

    def score(self, baseline, lines_file):
        """[(score or None, group or None)] in input order."""
        r = subprocess.run([self.path, "baseline", "score", baseline, lines_file],
                           capture_output=True, text=True, check=True)
        out = []
        for line in r.stdout.splitlines():
            s, g, _ = line.split("\t", 2)
            out.append((None if s == "-" else float(s), None if g == "-" else g))
        return out


def thresholds(path):
    """{group: threshold} of the learnt groups of a baseline file, rounded as `baseline score`
    prints scores (6 decimals), so `score > threshold` is the binary's own outlier test."""
    th, group = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("group "):
                group = line.split()[1]
            elif line.startswith("threshold "):
                th[group] = round(float(line.split()[1]), 6)
    return th


def instantiate(templates, rng):
    vals = gen_commands.Values(rng)
    return [gen_commands.clean(vals.fill(t)) for t in templates]


# ---- 1. the tutorial's experiment --------------------------------------------------------------

def tutorial_lines(data):
    """The python lines of the benign corpus, and one instance of each python shell template."""
    benign = [gen_commands.clean(l.rstrip("\n")) for l in open(
        os.path.join(data, "benign-train.txt"), encoding="utf-8", errors="replace") if l.strip()]
    templates = [l.rstrip("\n") for l in open(os.path.join(data, "revshell-templates.txt"),
                                              encoding="utf-8") if l.startswith("python")]
    py = [l for l in benign if PY_RE.search(l)]
    rng = random.Random(SEED)
    return py, instantiate(templates, rng), rng


def study(b, data):
    """The inputs of the baseline figure: the tutorial's benign lines and shells."""
    py, shells, _ = tutorial_lines(data)
    b.write("study-benign.txt", py * 100)
    b.write("study-shells.txt", shells)


def tutorial(b, data):
    py, shells, rng = tutorial_lines(data)
    prefixed = ["%s; %s" % (rng.choice(py), s) for s in shells]
    long_prefixed = ["%s; %s" % ("; ".join(py), s) for s in shells]
    print("\n## 1. The tutorial's experiment\n")
    print("%d python lines of benign-train.txt (python run as a command), each 100 times (%d "
          "lines), plus %d shells (one per python template of revshell-templates.txt); "
          "`baseline learn --group all --contamination 0.02`, scored on the same lines. The "
          "evasion: a benign python line of the corpus and `; ` in front of each shell, or all "
          "of them.\n" %
          (len(py), 100 * len(py), len(shells)))
    print("Learnt with the shells in (the tutorial's way):\n")
    print("| features, unseen tokens | shells isolated | benign lines flagged (distinct) | "
          "prefixed shells isolated | benign flagged | shells after every benign line isolated "
          "| benign flagged |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, opts in CONFIGS:
        row = []
        for sh in (shells, prefixed, long_prefixed):
            lines = py * 100 + sh
            f = b.write("tutorial.txt", lines)
            out = os.path.join(b.work, "tutorial.swb")
            b.learn(f, out, "--group", "all", "--contamination", "0.02", "--min-lines", "1",
                    *opts)
            th = thresholds(out)["all"]
            res = b.score(out, f)
            flagged = [i for i, (s, _) in enumerate(res) if s is not None and s > th]
            nb = [i for i in flagged if i < len(py) * 100]
            row += ["%d of %d" % (sum(i >= len(py) * 100 for i in flagged), len(sh)),
                    "%d (%d)" % (len(nb), len({lines[i] for i in nb}))]
        print("| %s | %s | %s | %s | %s | %s | %s |" % (name, *row))
    print("\nLearnt from the benign lines only (a baseline, as on a host), the shells scored "
          "after:\n")
    print("| features, unseen tokens | shells above the threshold | prefixed | after every "
          "benign line | highest benign score, threshold |")
    print("| --- | --- | --- | --- | --- |")
    for name, opts in CONFIGS:
        f = b.write("tutorial.txt", py * 100)
        out = os.path.join(b.work, "tutorial.swb")
        b.learn(f, out, "--group", "all", "--contamination", "0.02", "--min-lines", "1", *opts)
        th = thresholds(out)["all"]
        row = []
        for sh in (shells, prefixed, long_prefixed):
            res = b.score(out, b.write("shells.txt", sh))
            row.append("%d of %d" % (sum(s > th for s, _ in res), len(sh)))
        top = max(s for s, _ in b.score(out, f))
        print("| %s | %s | %s | %s | %.3f, %.3f |" % (name, *row, top, th))
    return py


# ---- 2. per interpreter group ------------------------------------------------------------------

def load_rows(work, data):
    gen_commands_main(data, work)
    rows = []
    with open(os.path.join(work, "data.tsv"), encoding="utf-8") as f:
        for line in f:
            label, fam, fold, tpl, cmd = line.rstrip("\n").split("\t", 4)
            rows.append((int(label), fam, int(fold), tpl, cmd))
    return rows


def gen_commands_main(data, work):
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "gen_commands.py"),
                    os.path.join(data, "revshell-templates.txt"),
                    os.path.join(data, "benign-train.txt"), work], check=True,
                   stdout=subprocess.DEVNULL)


def in_code_prefix(shell, benign_code, rng):
    """python3 -c 'BENIGN; SHELL': the shell's code after a benign python -c line's code."""
    m = re.match(r"^(\S*python[0-9.]*) -c '(.*)'$", shell)
    if not m or not benign_code:
        return None
    return "%s -c '%s; %s'" % (m.group(1), rng.choice(benign_code), m.group(2))


def rate_at_fpr(benign, mal, fpr=1e-3):
    """(threshold, detected) at a false-positive rate of fpr of the benign scores."""
    s = sorted(benign, reverse=True)
    k = int(fpr * len(s))
    thr = s[k] if k < len(s) else 0.0
    return thr, sum(x > thr for x in mal)


def per_group(b, rows):
    train = [r for r in rows if r[0] == 0 and r[2] in (0, 1)]
    test = [r for r in rows if r[0] == 0 and r[2] in (2, 3)]
    mal = [r for r in rows if r[0] == 1 and r[1] in MALICIOUS]
    ftrain = b.write("groups-train.txt", [r[4] for r in train])
    fscore = b.write("groups-score.txt", [r[4] for r in test + mal])
    print("\n## 2. Per interpreter group, FPR 1e-3 of the group's held-out benign lines\n")
    print("Learnt on folds 0-1 of the benign lines of tools/gen_commands.py (%d lines, real and "
          "generated), scored on folds 2-3 (%d) and on every instance of the malicious "
          "families %s (%d lines, never learnt). `detected` counts instances above the score of "
          "the held-out benign line at FPR 1e-3 (with fewer than 1000 benign lines: above the "
          "highest); `at threshold` uses the group's own threshold (contamination 0.001). Groups with "
          "fewer than %d training lines are not learnt (`--min-lines %d`).\n" %
          (len(train), len(test), ", ".join(MALICIOUS), len(mal), MIN_LINES, MIN_LINES))
    for name, opts in CONFIGS:
        out = os.path.join(b.work, "groups.swb")
        report = b.learn(ftrain, out, "--min-lines", str(MIN_LINES), *opts)
        th = thresholds(out)
        res = b.score(out, fscore)
        print("### %s\n" % name)
        print("| group | learnt on | held-out benign | malicious (templates) | detected at FPR 1e-3 "
              "| templates | at threshold | benign above threshold |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        groups = sorted({g for _, g in res if g})
        for g in groups:
            ben = [s for (s, gg), r in zip(res, test + mal) if gg == g and r[0] == 0]
            bad = [(s, r[3]) for (s, gg), r in zip(res, test + mal) if gg == g and r[0] == 1]
            ntrain = re.search(r"%s: (\d+) lines" % re.escape(g), report)
            if g not in th:
                print("| %s | %s (not learnt) | %d | %d | - | - | - | - |" %
                      (g, ntrain.group(1) if ntrain else 0, len(ben), len(bad)))
                continue
            thr, det = rate_at_fpr([s for s in ben if s is not None], [s for s, _ in bad])
            tpl = {t for _, t in bad}
            tdet = {t for s, t in bad if s > thr}
            print("| %s | %s | %d | %d (%d) | %d (%.0f%%) | %d of %d | %.0f%% | %d |" % (
                g, ntrain.group(1), len(ben), len(bad), len(tpl), det,
                100.0 * det / max(1, len(bad)), len(tdet), len(tpl),
                100.0 * sum(s > th[g] for s, _ in bad) / max(1, len(bad)),
                sum(s > th[g] for s in ben)))
        print()
        prefix_evasion(b, out, th, train, mal, res, test, random.Random(SEED + 1))


def prefix_evasion(b, baseline, th, train, mal, res, test, rng):
    code = [m.group(1) for r in train for m in [re.match(r"^\S*python[0-9.]* -c '([^']*)'$", r[4])]
            if m]
    pairs = [(r[4], in_code_prefix(r[4], code, rng)) for r in mal]
    pairs = [(a, p) for a, p in pairs if p]
    if not pairs:
        return
    f = b.write("prefix.txt", [p for _, p in pairs])
    pres = b.score(baseline, f)
    ben = [s for (s, g), r in zip(res, test) if g == "python" and s is not None]
    thr, _ = rate_at_fpr(ben, [])
    orig = {r[4]: s for (s, g), r in zip(res, test + mal) if r[0] == 1}
    print("In-code prefix evasion (python group): %d python -c shells with the code of a "
          "benign python -c line of the training split in front of theirs: %d detected at FPR "
          "1e-3 (%d without the prefix), %d above the threshold (%d without).\n" % (
              len(pairs), sum(s > thr for s, _ in pres if s is not None),
              sum(orig[a] > thr for a, _ in pairs if orig.get(a) is not None),
              sum(s > th["python"] for s, _ in pres if s is not None),
              sum(orig[a] > th["python"] for a, _ in pairs if orig.get(a) is not None)))


# ---- 3. speed and size -------------------------------------------------------------------------

def grouped_templates(b, work):
    """The benign templates (ours and benign-net's) whose lines fall in a group."""
    tpls = list(gen_commands.OWN_BENIGN)
    for kind in gen_benign_net.TEMPLATES.values():
        tpls += [t[1] for t in kind]
    rng = random.Random(SEED)
    sample = instantiate(tpls, rng)
    f = b.write("tpl.txt", sample)
    out = os.path.join(work, "any.swb")
    b.learn(b.write("empty.txt", ["true"]), out)
    return [t for t, (s, g) in zip(tpls, b.score(out, f)) if g]


def timed(cmd):
    """CPU seconds (user + system) of the command, best of 3: other load on the machine does not
    count, as in `make bench-score`."""
    best = None
    for _ in range(3):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        best = t if best is None or t < best else best
    return best


def speed(b, rows, work, n=100000):
    rng = random.Random(SEED + 2)
    grouped_benign = [r[4] for r in rows if r[0] == 0]
    f0 = b.write("all-benign.txt", grouped_benign)
    out0 = os.path.join(work, "any.swb")
    b.learn(f0, out0)
    grouped_benign = [l for l, (s, g) in zip(grouped_benign, b.score(out0, f0)) if g]
    host = [rng.choice(grouped_benign) for _ in range(n)]
    tpls = grouped_templates(b, work)
    vals = gen_commands.Values(rng)
    fresh = [gen_commands.clean(vals.fill(rng.choice(tpls))) for _ in range(n)]
    print("\n## 3. Speed and size, %d lines\n" % n)
    print("One process, CPU time (user + system), best of 3; `baseline learn` includes writing "
          "the file, `baseline score` reading it and printing every line.\n")
    print("| input | distinct lines | learn (lines/s) | score (lines/s) | file size |")
    print("| --- | --- | --- | --- | --- |")
    for name, lines in (("grouped benign lines repeated (%d distinct)" % len(set(grouped_benign)),
                         host), ("fresh instances of %d grouped templates" % len(tpls), fresh)):
        f = b.write("speed.txt", lines)
        out = os.path.join(work, "speed.swb")
        tl = timed([b.path, "baseline", "learn", "-o", out, f])
        ts = timed([b.path, "baseline", "score", out, f])
        print("| %s | %d | %.0f | %.0f | %.0f KiB |" % (name, len(set(lines)), n / tl, n / ts,
                                                       os.path.getsize(out) / 1024.0))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data")
    ap.add_argument("work")
    ap.add_argument("--bin", default="build/shellwatch")
    ap.add_argument("--only", choices=["tutorial", "groups", "speed"])
    ap.add_argument("--study", action="store_true",
                    help="only write WORK/study-benign.txt and study-shells.txt (make study)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    b = Bin(a.bin, a.work)
    if a.study:
        study(b, a.data)
        return
    print("# Host baseline figures (tools/baseline_eval.py)")
    if a.only in (None, "tutorial"):
        tutorial(b, a.data)
    if a.only in (None, "groups", "speed"):
        rows = load_rows(a.work, a.data)
        if a.only in (None, "groups"):
            per_group(b, rows)
        if a.only in (None, "speed"):
            speed(b, rows, a.work)


if __name__ == "__main__":
    main()
