#!/usr/bin/env bash
# eval.sh: `make eval`: the validation figures of docs/scoring.md, all on one data set and split.
# Cross-validation by template (4 folds, every template scored by a model that never saw it):
#   1. ours-linear (the shipped model's recipe), fold models scored by the C scorer: AUC, TPR at
#      FPR 1e-3, per family and per adversarial family;
#   2. ours-xgb: trees on the same features (the model choice);
#   3. the seed's protocol (TF-IDF over wordpunct tokens + XGBoost) and wordpunct-lr;
#   4. "before": ours-linear on the data set without the benign network idioms (gen_commands.py
#      --no-benign-net), the recipe of the model before them; its all-data model (WORK/before/
#      model.swm) is that model, byte for byte;
#   5. tools/eval_net.py, before vs the committed models/default.swm: the held-out benign network
#      idioms and tests/score/benign-net.txt at each model's threshold, and fresh instances of every
#      reverse-shell template.
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
cut -f5 "$work/data.tsv" | build/tools/featurize --bits 18 --elements > "$work/elem.txt"
echo "== 1-2. ours-linear, ours-xgb"
$PY tools/train.py "$work" --scorer build/shellwatch --compare
echo "== 3. the seed's protocol"
$PY tools/seed_protocol.py "$work"
echo "== 4. before: ours-linear without the benign network idioms"
before=$work/before
$PY tools/gen_commands.py "$data/revshell-templates.txt" "$data/benign-train.txt" "$before" --no-benign-net
cut -f5 "$before/data.tsv" | build/tools/featurize --bits 18 > "$before/feat.txt"
$PY tools/train.py "$before" --scorer build/shellwatch --model-out "$before/model.swm"
echo "== 5. benign network idioms and reverse-shell templates, before vs models/default.swm"
$PY tools/eval_net.py "$data/revshell-templates.txt" "$work" --scorer build/shellwatch \
	--featurize build/tools/featurize --model "before=$before/model.swm" --model "after=models/default.swm"
