# baseline_plot.gp: the baseline figure (`make study`) from tools/baseline_study's points: a group's
# command lines in the two dimensions of a truncated SVD of their TF-IDF matrix, inliers and
# outliers as the baseline judged them, the reverse shells labelled with their scores.
#   gnuplot -e "dir='build/study'; title='...'; sub='...'" tools/baseline_plot.gp
if (!exists("dir")) dir = "."
if (!exists("title")) title = "host baseline"
if (exists("sub")) title = title."\n".sub
set datafile separator "\t"
set terminal pngcairo size 1000,720 noenhanced
set output dir."/baseline.png"
set title title
set xlabel "first singular vector"
set ylabel "second singular vector"
set key below
set grid
pts = dir."/baseline.tsv"
shell(k) = k eq "shell" || k eq "shell-missed"
stats pts using (shell(strcol(4)) ? $1 : NaN) name "SX" nooutput
stats pts using (shell(strcol(4)) ? $2 : NaN) name "SY" nooutput
stats pts using (shell(strcol(4)) ? $3 : NaN) name "SS" nooutput
set label 1 sprintf("%d reverse shells, scores %.2f to %.2f", SS_records, SS_min, SS_max) \
    at SX_mean, SY_mean offset 1.5,1.5 tc rgb "#d0021b"
plot pts using (strcol(4) eq "inlier" ? $1 : NaN):2 with points pt 7 ps 1.2 lc rgb "#4a90d9" title "inlier", \
     pts using (strcol(4) eq "outlier" ? $1 : NaN):2 with points pt 7 ps 1.4 lc rgb "#f5a623" title "benign outlier", \
     pts using (strcol(4) eq "shell" ? $1 : NaN):2 with points pt 5 ps 1.8 lc rgb "#d0021b" title "reverse shell (outlier)", \
     pts using (strcol(4) eq "shell-missed" ? $1 : NaN):2 with points pt 4 ps 1.8 lc rgb "#d0021b" title "reverse shell (missed)"
