#!/usr/bin/env bash
# train.sh: `make model`: regenerate the data set from the shared data (with our benign network
# idioms, tools/gen_benign_net.py), train the linear model on the C tokenizer's features
# (cross-validated by template, fold models scored by the C scorer; the list elements of the
# benign-net lines are benign training rows too), then on all data with the threshold at FPR 1e-3
# of the out-of-fold scores, and install it as models/default.swm (embedded into the binary at the
# next make).
#   tools/train.sh DATA_DIR WORK_DIR
# Needs Debian's /usr/bin/python3 with numpy, scipy, sklearn (python3-sklearn).
set -euo pipefail
data=${1:-../shared/data/commands} work=${2:-build/score}
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if [ ! -r "$data/revshell-templates.txt" ] || [ ! -r "$data/benign-train.txt" ]; then
	echo "make model: no training data in $data (needs revshell-templates.txt and benign-train.txt);" \
		"the committed models/default.swm stays in use" >&2
	exit 1
fi
mkdir -p "$work"
make -s build/shellwatch build/tools/featurize # training and scoring must use the same code
$PY tools/gen_commands.py "$data/revshell-templates.txt" "$data/benign-train.txt" "$work"
cut -f5 "$work/data.tsv" | build/tools/featurize --bits 18 > "$work/feat.txt"
cut -f5 "$work/data.tsv" | build/tools/featurize --bits 18 --elements > "$work/elem.txt"
$PY tools/train.py "$work" --scorer build/shellwatch --model-out models/default.swm
echo "make model: installed models/default.swm; run make to embed it"
