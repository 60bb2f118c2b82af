#!/usr/bin/python3
"""eval_net.py: benign network idioms against reverse shells, for shipped models (not folds).

For each model given (NAME=PATH; each with its own `threshold` line), scored by the C scorer:
  (a) benign network idioms never trained on: the held-out templates of tools/gen_benign_net.py
      (WORK/benign-net-holdout.tsv, made by gen_commands.py) and the hand-written
      tests/score/benign-net.txt; also the reported false alerts (tests/score/benign-net-reported.txt,
      which the generator covers, so not held out): lines, how many at or above the threshold,
      max and mean score;
  (c) every template of revshell-templates.txt instantiated --per-template times with fresh values
      (a seed the training data does not use): detection rate at the threshold per template and
      overall; our own malicious families likewise, per family.
Also checks that no hand-written line has the token sequence of a generated benign-net line.
Usage: eval_net.py TEMPLATES WORK --scorer BIN --featurize BIN --model NAME=PATH [--model ...]
       [--per-template N] [--show N]
Exit status 0; figures on stdout.
"""
import argparse
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_benign_net  # noqa: E402
import gen_commands  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVAL_SEED = "%d-eval-net" % gen_commands.SEED


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]


def run(cmd, lines):
    out = subprocess.run(cmd, input="\n".join(lines) + "\n", capture_output=True, text=True,
                         check=True).stdout.splitlines()
    if len(out) != len(lines):
        sys.exit("eval_net.py: %s gave %d lines for %d" % (cmd[0], len(out), len(lines)))
    return out


def threshold_of(path):
    with open(path, encoding="utf-8") as f:
        for l in f:
            if l.startswith("threshold "):
                return float(l.split()[1])
    sys.exit("eval_net.py: no threshold in %s" % path)


def stats(scores, thr):
    n = len(scores)
    return {"n": n, "hits": sum(s >= thr for s in scores), "max": max(scores), "mean": sum(scores) / n}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("templates")
    ap.add_argument("work")
    ap.add_argument("--scorer", required=True)
    ap.add_argument("--featurize", required=True)
    ap.add_argument("--model", action="append", required=True, help="NAME=PATH")
    ap.add_argument("--per-template", type=int, default=40)
    ap.add_argument("--show", type=int, default=5, help="list the N highest benign lines per model")
    a = ap.parse_args()
    models = [m.split("=", 1) for m in a.model]

    hold = [l.split("\t", 1)[1] for l in read_lines(os.path.join(a.work, "benign-net-holdout.tsv"))]
    hand = read_lines(os.path.join(ROOT, "tests/score/benign-net.txt"))
    reported = read_lines(os.path.join(ROOT, "tests/score/benign-net-reported.txt"))
    sets = [("held-out generated (%d templates)" % len({l.split("\t")[0] for l in read_lines(
        os.path.join(a.work, "benign-net-holdout.tsv"))}), hold),
            ("hand-written tests/score/benign-net.txt", hand),
            ("reported false alerts (not held out)", reported)]

    # the hand-written set must be new to the generator, token for token
    train, held = gen_benign_net.rows(per_template=a.per_template // 2)
    gen = [l for _, l in train + held]
    tok = run([a.featurize, "--tokens"], gen + hand)
    same = set(tok[:len(gen)]) & set(tok[len(gen):])
    print("hand-written lines with the tokens of a generated line: %d of %d" % (len(same), len(hand)))

    # fresh instances of the shared templates and of our malicious families
    rng = random.Random(EVAL_SEED)
    vals = gen_commands.Values(rng)
    shared = [l.rstrip("\n") for l in open(a.templates, encoding="utf-8", errors="replace")
              if l.strip() and not l.startswith("#")]
    mal = [("revshell", t, gen_commands.clean(vals.fill(tpl)))
           for t, tpl in enumerate(shared) for _ in range(a.per_template)]
    for fam, tpls in gen_commands.OWN_MALICIOUS.items():
        mal += [(fam, t, gen_commands.clean(vals.fill(tpl)))
                for t, tpl in enumerate(tpls) for _ in range(a.per_template)]

    res = {}
    for name, path in models:
        thr = threshold_of(path)
        allb = hold + hand + reported
        sb = [float(l.split("\t", 1)[0]) for l in run([a.scorer, "score", "--model", path], allb)]
        sm = [float(l.split("\t", 1)[0]) for l in run([a.scorer, "score", "--model", path],
                                                     [m[2] for m in mal])]
        res[name] = (thr, sb, sm)

    names = [n for n, _ in models]
    print("\n(a) benign network idioms: lines at or above each model's threshold, max, mean")
    print("%-42s %s" % ("set", "  ".join("%-28s" % ("%s (thr %.4f)" % (n, res[n][0])) for n in names)))
    off = 0
    for label, lines in sets:
        cells = []
        for n in names:
            st = stats(res[n][1][off:off + len(lines)], res[n][0])
            cells.append("%-28s" % ("%d/%d  max %.3f  mean %.3f" % (st["hits"], st["n"], st["max"], st["mean"])))
        print("%-42s %s" % (label, "  ".join(cells)))
        off += len(lines)
    for n in names:
        thr, sb, _ = res[n]
        allb = hold + hand + reported
        top = sorted(range(len(allb)), key=lambda i: -sb[i])[:a.show]
        print("  %s, highest benign: %s" % (n, "; ".join("%.3f %s" % (sb[i], allb[i]) for i in top)))

    print("\n(c) fresh instances (%d per template) detected at each model's threshold" % a.per_template)
    print("%-12s %s" % ("template", "  ".join("%-10s" % n for n in names)))
    worse = []
    for t, tpl in enumerate(shared):
        idx = [i for i, m in enumerate(mal) if m[0] == "revshell" and m[1] == t]
        rates = [sum(res[n][2][i] >= res[n][0] for i in idx) / len(idx) for n in names]
        if len(rates) > 1 and rates[-1] < rates[0]:
            worse.append(t)
        print("%-12s %s  %s" % ("revshell%d" % t, "  ".join("%-10.3f" % r for r in rates), tpl[:70]))
    for fam in ["revshell"] + list(gen_commands.OWN_MALICIOUS):
        idx = [i for i, m in enumerate(mal) if m[0] == fam]
        print("%-12s %s  (%d lines)" % (fam, "  ".join(
            "%-10.3f" % (sum(res[n][2][i] >= res[n][0] for i in idx) / len(idx)) for n in names), len(idx)))
    if len(names) > 1:
        print("shared templates detected less often by %s than by %s: %s" % (
            names[-1], names[0], ", ".join("revshell%d" % t for t in worse) or "none"))


if __name__ == "__main__":
    main()
