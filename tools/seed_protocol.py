#!/usr/bin/python3
"""seed_protocol.py: the seed's command-scoring protocol reproduced on our data and split, for a
side-by-side comparison (make eval): TF-IDF over wordpunct tokens (NLTK's wordpunct_tokenize is the
regular expression \\w+|[^\\w\\s]+, used directly since Debian has no NLTK) + XGBoost (Debian's
python3-xgboost). Also wordpunct-lr (logistic regression on the same TF-IDF) to separate the effect
of the tokenizer from the effect of the model.
Same cross-validation by template as tools/train.py; the TF-IDF vocabulary is fitted on the training
folds only.
  seed_protocol.py DIR      (DIR/data.tsv from tools/gen_commands.py)"""
import os
import re
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train import fit_linear, fit_xgb, is_adv, load_rows, metrics, report  # noqa: E402

WORDPUNCT = re.compile(r"\w+|[^\w\s]+")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: seed_protocol.py DIR")
    y, fam, fold, cmds = load_rows(sys.argv[1])
    t0 = time.perf_counter()
    toks = [WORDPUNCT.findall(c) for c in cmds]
    dt = time.perf_counter() - t0
    print("seed wordpunct tokenizer: %.0f commands/s (python, one core)" % (len(cmds) / dt))
    for name, fit in (("seed", fit_xgb), ("wordpunct-lr", fit_linear)):
        out = np.zeros(len(y))
        for k in sorted(set(fold)):
            tr = np.where((fold != k) & ~is_adv(fam))[0]
            te = np.where(fold == k)[0]
            vec = TfidfVectorizer(analyzer=lambda i: toks[i])
            S = vec.fit_transform(list(tr))
            model = fit(S, y[tr])
            out[te] = model.predict_proba(vec.transform(list(te)))[:, 1]
        report(name, metrics(out, y, fam))


if __name__ == "__main__":
    main()
