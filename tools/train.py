#!/usr/bin/python3
"""train.py: train and evaluate command-scoring models (Debian's /usr/bin/python3: numpy, scipy,
sklearn, xgboost). Never the pyenv python3.

Inputs (made by tools/train.sh):
  DIR/data.tsv   label, family, split, template, command   (tools/gen_commands.py)
  DIR/feat.txt   the hashed feature buckets of each command, same order (build/tools/featurize),
                 so training sees exactly the C tokenizer and hashing the sensor uses.
Models compared on the same split (validation = held-out templates + held-out benign lines):
  ours-linear    logistic regression over our binary unigram+bigram buckets  (the shipped model)
  ours-xgb       gradient-boosted trees over the same buckets
  seed           the seed's protocol: TF-IDF over wordpunct tokens (\\w+|[^\\w\\s]+) + XGBoost
  wordpunct-lr   logistic regression over the seed's TF-IDF (tokenizer vs model effect)
Metrics: AUC and TPR at FPR 1e-3 on held-out templates (adv-* excluded), and TPR per adversarial
family at the same threshold. --model-out writes ours-linear in our format (docs/scoring.md).
"""
import argparse
import re
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

SEED = 20261122
FPR = 1e-3
WORDPUNCT = re.compile(r"\w+|[^\w\s]+")


def load(d, bits):
    rows = [l.rstrip("\n").split("\t", 4) for l in open(d + "/data.tsv", encoding="utf-8")]
    feats = [l.split() for l in open(d + "/feat.txt", encoding="utf-8")]
    if len(rows) != len(feats):
        sys.exit("train.py: data.tsv and feat.txt differ in length")
    indptr, idx = [0], []
    for f in feats:
        idx.extend(int(x) for x in f)
        indptr.append(len(idx))
    X = sp.csr_matrix((np.ones(len(idx), dtype=np.float32), np.array(idx, dtype=np.int64),
                       np.array(indptr)), shape=(len(rows), 1 << bits))
    y = np.array([int(r[0]) for r in rows])
    fam = np.array([r[1] for r in rows])
    split = np.array([r[2] for r in rows])
    cmds = [r[4] if len(r) > 4 else "" for r in rows]
    return X, y, fam, split, cmds


def threshold_at(benign_scores, fpr):
    """Lowest threshold t with (#benign >= t) / #benign <= fpr."""
    s = np.sort(benign_scores)[::-1]
    k = int(np.floor(fpr * len(s)))
    return np.nextafter(s[k], np.inf) if k < len(s) else s[-1]


def metrics(scores, y, fam, split):
    v = split == "valid"
    ben = v & (y == 0)
    mal = v & (y == 1) & ~np.char.startswith(fam.astype(str), "adv-")
    thr = threshold_at(scores[ben], FPR)
    out = {"auc": roc_auc_score(np.r_[np.zeros(ben.sum()), np.ones(mal.sum())],
                                np.r_[scores[ben], scores[mal]]),
           "tpr": float(np.mean(scores[mal] >= thr)), "thr": float(thr),
           "fp": int(np.sum(scores[ben] >= thr)), "nben": int(ben.sum()), "nmal": int(mal.sum())}
    for f in sorted(set(fam[v & (y == 1)])):
        m = v & (fam == f)
        out["tpr:" + f] = float(np.mean(scores[m] >= thr))
    return out


def fit_linear(X, y, c):
    lr = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=2000,
                            random_state=SEED)
    lr.fit(X, y)
    return lr


def fit_xgb(X, y):
    import xgboost as xgb
    m = xgb.XGBClassifier(n_estimators=300, max_depth=6, learning_rate=0.1, subsample=1.0,
                          tree_method="hist", n_jobs=2, random_state=SEED, verbosity=0)
    m.fit(X, y)
    return m


def seed_features(cmds, tr):
    vec = TfidfVectorizer(tokenizer=WORDPUNCT.findall, lowercase=False, token_pattern=None)
    vec.fit([cmds[i] for i in np.where(tr)[0]])
    return vec.transform(cmds)


def export(lr, bits, thr, path):
    w = lr.coef_[0]
    nz = np.nonzero(w)[0]
    with open(path, "w") as f:
        f.write("shellwatch-model 1\nkind linear\nfeatures fnv1a32-unigram-bigram-binary\n")
        f.write("bits %d\nbias %.9g\nthreshold %.9g\nweights %d\n" %
                (bits, lr.intercept_[0], thr, len(nz)))
        for i in nz:
            f.write("%d %.9g\n" % (i, w[i]))
        f.write("end\n")


def report(name, m):
    fams = " ".join("%s=%.3f" % (k[4:], v) for k, v in m.items() if k.startswith("tpr:adv-"))
    print("%-13s AUC %.4f  TPR@FPR1e-3 %.3f  (thr %.4g, %d/%d benign above, %d malicious)  %s" %
          (name, m["auc"], m["tpr"], m["thr"], m["fp"], m["nben"], m["nmal"], fams))
    per = " ".join("%s=%.3f" % (k[4:], v) for k, v in m.items()
                   if k.startswith("tpr:") and not k.startswith("tpr:adv-"))
    print("%-13s   per family: %s" % ("", per))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--bits", type=int, default=18)
    ap.add_argument("--c", type=float, default=1.0)
    ap.add_argument("--model-out")
    ap.add_argument("--compare", action="store_true", help="also train ours-xgb, seed, wordpunct-lr")
    a = ap.parse_args()
    X, y, fam, split, cmds = load(a.dir, a.bits)
    tr = split == "train"

    lr = fit_linear(X[tr], y[tr], a.c)
    m = metrics(lr.predict_proba(X)[:, 1], y, fam, split)
    report("ours-linear", m)
    if a.model_out:
        export(lr, a.bits, m["thr"], a.model_out)
        print("train.py: wrote %s (%d non-zero weights)" % (a.model_out, np.count_nonzero(lr.coef_)))
    if not a.compare:
        return
    report("ours-xgb", metrics(fit_xgb(X[tr], y[tr]).predict_proba(X)[:, 1], y, fam, split))
    S = seed_features(cmds, tr)
    report("seed", metrics(fit_xgb(S[tr], y[tr]).predict_proba(S)[:, 1], y, fam, split))
    report("wordpunct-lr", metrics(fit_linear(S[tr], y[tr], a.c).predict_proba(S)[:, 1], y, fam,
                                   split))


if __name__ == "__main__":
    main()
