#!/usr/bin/python3
"""train.py: train and evaluate the command-scoring model (Debian's /usr/bin/python3 with numpy,
scipy, sklearn, xgboost; never the pyenv python3).

Inputs (made by tools/train.sh or tools/eval.sh):
  DIR/data.tsv   label, family, fold, template, command      (tools/gen_commands.py)
  DIR/feat.txt   the hashed feature buckets of each command, same order (build/tools/featurize),
                 so training sees exactly the C tokenizer and hashing of the sensor.
  DIR/elem.txt   the buckets of each list element of the lines with list operators (featurize
                 --elements); the elements of the benign lines of --elements families (benign-net)
                 are benign training rows too, as a line scores the highest of it and its elements.
Evaluation is cross-validation BY TEMPLATE: for each fold, train on the other folds, score this
fold; every template is scored once by a model that never saw it. Adversarial copies (adv-*) are
never trained on; augmented rows (aug-*: wrapped attacks, list elements) are only trained on.
With benign-net in the data, the figures are also given on the benign set without it (the benign
set of the model before it), from the same out-of-fold scores. With --scorer, the fold models are
exported and scored by the C scorer itself (segment max and float weights included), so the
figures are the sensor's.
Models: ours-linear, logistic regression on our binary unigram+bigram buckets (shipped);
--compare adds ours-xgb, gradient-boosted trees on the same buckets. The seed's protocol is
tools/seed_protocol.py. --model-out trains on everything and writes our format (docs/scoring.md)
with the threshold at FPR 1e-3 of the out-of-fold scores.
"""
import argparse
import subprocess
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

SEED = 20261122
FPR = 1e-3


def load_rows(d):
    rows = [l.rstrip("\n").split("\t", 4) for l in open(d + "/data.tsv", encoding="utf-8")]
    y = np.array([int(r[0]) for r in rows])
    fam = np.array([r[1] for r in rows])
    fold = np.array([int(r[2]) for r in rows])
    cmds = [r[4] if len(r) > 4 else "" for r in rows]
    return y, fam, fold, cmds


def load_features(d, n, bits):
    feats = [l.split() for l in open(d + "/feat.txt", encoding="utf-8")]
    if len(feats) != n:
        sys.exit("train.py: data.tsv and feat.txt differ in length")
    indptr, idx = [0], []
    for f in feats:
        idx.extend(int(x) for x in f)
        indptr.append(len(idx))
    return sp.csr_matrix((np.ones(len(idx), dtype=np.float32), np.array(idx, dtype=np.int64),
                          np.array(indptr)), shape=(n, 1 << bits))


def add_elements(d, X, y, fam, fold, families):
    """Train as we score: a line scores the highest of itself and its list elements, so the
    elements of the benign lines of `families` (DIR/elem.txt: row<TAB>buckets, from featurize
    --elements) become benign training rows too (family aug-element, in the fold of their line,
    once per fold and feature set)."""
    rows, seen = [], set()
    for l in open(d + "/elem.txt", encoding="utf-8"):
        r, b = l.rstrip("\n").split("\t", 1)
        r = int(r)
        key = (fold[r], b)
        if y[r] == 0 and fam[r] in families and key not in seen:
            seen.add(key)
            rows.append((r, [int(x) for x in b.split()]))
    if not rows:
        return X, y, fam, fold
    indptr = np.cumsum([0] + [len(b) for _, b in rows])
    idx = np.array([i for _, b in rows for i in b], dtype=np.int64)
    E = sp.csr_matrix((np.ones(len(idx), dtype=np.float32), idx, indptr), shape=(len(rows), X.shape[1]))
    src = np.array([r for r, _ in rows])
    return (sp.vstack([X, E]).tocsr(), np.r_[y, np.zeros(len(rows), dtype=y.dtype)],
            np.r_[fam, np.array(["aug-element"] * len(rows))], np.r_[fold, fold[src]])


def is_adv(fam):
    """Evaluation-only rows (adversarial copies): never trained on."""
    return np.char.startswith(fam.astype(str), "adv-")


def is_aug(fam):
    """Training-only rows (augmented copies): never in the figures."""
    return np.char.startswith(fam.astype(str), "aug-")


def threshold_at(benign_scores, fpr):
    """Lowest threshold t with (#benign >= t) / #benign <= fpr."""
    s = np.sort(np.asarray(benign_scores, dtype=np.float64))[::-1]
    k = int(np.floor(fpr * len(s)))
    return np.nextafter(s[k], np.inf) if k < len(s) else s[-1]


def metrics(scores, y, fam, without=None):
    """AUC, TPR at FPR 1e-3 (threshold from the benign scores), per family; `without` leaves one
    benign family out of the benign set (benign-net: the figures on the benign set before it)."""
    scores = np.asarray(scores, dtype=np.float64)
    ben = (y == 0) & ~is_aug(fam) & (True if without is None else fam != without)
    mal = (y == 1) & ~is_adv(fam) & ~is_aug(fam)
    thr = threshold_at(scores[ben], FPR)
    out = {"auc": roc_auc_score(np.r_[np.zeros(ben.sum()), np.ones(mal.sum())],
                                np.r_[scores[ben], scores[mal]]),
           "tpr": float(np.mean(scores[mal] >= thr)), "thr": float(thr),
           "fp": int(np.sum(scores[ben] >= thr)), "nben": int(ben.sum()), "nmal": int(mal.sum())}
    for f in sorted(set(fam[(y == 1) & ~is_aug(fam)])):
        out["tpr:" + f] = float(np.mean(scores[fam == f] >= thr))
    for f in sorted(set(fam[(y == 0) & ~is_aug(fam)])):
        out["fp:" + f] = "%d/%d" % (np.sum(scores[fam == f] >= thr), np.sum(fam == f))
    return out


def report(name, m):
    print("%-13s AUC %.4f  TPR@FPR1e-3 %.3f  (threshold %.4f: %d of %d benign at or above; %d "
          "malicious)" % (name, m["auc"], m["tpr"], m["thr"], m["fp"], m["nben"], m["nmal"]))
    for pre, label in (("tpr:adv-", "adversarial"), ("tpr:", "per family")):
        items = ["%s=%.3f" % (k[len(pre):], v) for k, v in m.items() if k.startswith(pre) and
                 (pre != "tpr:" or not k.startswith("tpr:adv-"))]
        print("%-13s   %s: %s" % ("", label, " ".join(items)))
    print("%-13s   benign at or above: %s" % ("", " ".join(
        "%s=%s" % (k[3:], v) for k, v in m.items() if k.startswith("fp:"))))


def fit_linear(X, y, c=1.0):
    lr = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=2000,
                            random_state=SEED)
    return lr.fit(X, y)


def fit_xgb(X, y):
    import xgboost as xgb
    m = xgb.XGBClassifier(n_estimators=200, max_depth=6, learning_rate=0.15, tree_method="hist",
                          n_jobs=2, random_state=SEED, verbosity=0)
    return m.fit(X, y)


def out_of_fold(X, y, fam, fold, fit, score):
    """Scores of every row by the model trained on the other folds (adv-* never trained on)."""
    out = np.zeros(len(y))
    for k in sorted(set(fold)):
        tr = (fold != k) & ~is_adv(fam)
        model = fit(X[tr], y[tr])
        te = np.where((fold == k) & ~is_aug(fam))[0]
        out[te] = score(model, k, te)
    return out


def export(lr, bits, thr, path):
    w = lr.coef_[0]
    nz = np.nonzero(w)[0]
    with open(path, "w") as f:
        f.write("shellwatch-model 1\nkind linear\nfeatures fnv1a32-unigram-bigram-piece-binary\n")
        f.write("bits %d\nbias %.9g\nthreshold %.6f\nweights %d\n" %
                (bits, lr.intercept_[0], thr, len(nz)))
        for i in nz:
            f.write("%d %.9g\n" % (i, w[i]))
        f.write("end\n")


def c_scores(scorer, model_path, cmds):
    """Score commands with the C scorer (`shellwatch score --model`)."""
    out = subprocess.run([scorer, "score", "--model", model_path], input="\n".join(cmds) + "\n",
                         capture_output=True, text=True, check=True).stdout.splitlines()
    if len(out) != len(cmds):
        sys.exit("train.py: the C scorer returned %d scores for %d commands" % (len(out), len(cmds)))
    return np.array([float(l.split("\t", 1)[0]) for l in out])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--bits", type=int, default=18)
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the linear model")
    ap.add_argument("--scorer", help="shellwatch binary: score the fold models with it")
    ap.add_argument("--model-out", help="train on all folds and write the model here")
    ap.add_argument("--compare", action="store_true", help="also cross-validate ours-xgb")
    ap.add_argument("--elements", default="benign-net",
                    help="comma-separated benign families whose list elements (DIR/elem.txt) are "
                    "trained on as benign rows too; '' for none")
    a = ap.parse_args()
    y, fam, fold, cmds = load_rows(a.dir)
    n = len(y)
    X = load_features(a.dir, n, a.bits)
    fams = set(filter(None, a.elements.split(",")))
    if fams & set(fam):
        X, y, fam, fold = add_elements(a.dir, X, y, fam, fold, fams)
    fit = lambda X_, y_: fit_linear(X_, y_, a.c)  # noqa: E731

    def score(model, k, te):
        if not a.scorer:
            return model.predict_proba(X[te])[:, 1]
        path = "%s/fold%d.swm" % (a.dir, k)
        export(model, a.bits, 0.5, path)
        return c_scores(a.scorer, path, [cmds[i] for i in te])

    oof = out_of_fold(X, y, fam, fold, fit, score)
    np.savetxt(a.dir + "/oof_linear.txt", oof[:n], fmt="%.6f")
    m = metrics(oof, y, fam)
    report("ours-linear" + ("(C)" if a.scorer else ""), m)
    if np.any(fam == "benign-net"):  # the same scores, judged on the benign set before benign-net
        report("  w/o benign-net", metrics(oof, y, fam, without="benign-net"))
    if a.model_out:
        tr = ~is_adv(fam)
        lr = fit(X[tr], y[tr])
        export(lr, a.bits, m["thr"], a.model_out)
        print("train.py: wrote %s (%d non-zero weights, threshold %.4f)" %
              (a.model_out, np.count_nonzero(lr.coef_), m["thr"]))
    if a.compare:
        Xc = X[:, np.unique(X.indices)]  # trees only need the buckets that occur
        oof = out_of_fold(Xc, y, fam, fold, fit_xgb, lambda mo, k, te: mo.predict_proba(Xc[te])[:, 1])
        report("ours-xgb", metrics(oof, y, fam))


if __name__ == "__main__":
    main()
