#!/usr/bin/env bash
# eval.sh: `make eval`: the validation figures of docs/scoring.md, all on one data set and split.
# Cross-validation by template (4 folds, every template scored by a model that never saw it):
#   1. ours-linear (the shipped model's recipe), fold models scored by the C scorer: AUC, TPR at
#      FPR 1e-3, per family and per adversarial family;
#   2. ours-xgb: trees on the same features (the model choice);
#   3. the seed's protocol (TF-IDF over wordpunct tokens + XGBoost) and wordpunct-lr.
#   tools/eval.sh DATA_DIR WORK_DIR
set -euo pipefail
data=${1:-../shared/data/commands} work=${2:-build/score}
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if [ ! -r "$data/revshell-templates.txt" ]; then
	echo "make eval: no data in $data" >&2
	exit 1
fi
mkdir -p "$work"
make -s build/shellwatch build/tools/featurize # features and scorer from the same code
$PY tools/gen_commands.py "$data/revshell-templates.txt" "$data/benign-train.txt" "$work"
cut -f5 "$work/data.tsv" | build/tools/featurize --bits 18 > "$work/feat.txt"
$PY tools/train.py "$work" --scorer build/shellwatch --compare
$PY tools/seed_protocol.py "$work"
