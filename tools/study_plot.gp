# study_plot.gp: the two figures of the PWW case study from tools/study's CSV files.
#   gnuplot -e "dir='build/study'" tools/study_plot.gp
if (!exists("dir")) dir = "."
set datafile separator ","
set terminal pngcairo size 900,600 noenhanced
set key top right
set fit quiet
set fit logfile dir."/fit.log"

set output dir."/work.png"
set title "Work against the initial batch duration t (L_max = 100)"
set logscale xy
set xlabel "t (events)"
set ylabel "events searched"
plot dir."/work.csv" using 1:2 with lines lw 2 title "R_fixed", \
     "" using 1:3 with linespoints lw 2 title "B_PWW bound", \
     "" using 1:4 with linespoints lw 2 title "R_PWW measured"

set output dir."/delay.png"
unset logscale
set key top left
set title "Mean detection delay against episode duration d"
set xlabel "d (events)"
set ylabel "delay (events)"
f(x) = a * x + b
fit f(x) dir."/delay.csv" using 1:2 via a, b
plot dir."/delay.csv" using 1:2 with linespoints lw 2 title "PWW (t = 5)", \
     "" using 1:4 with linespoints lw 2 title "incremental matcher", \
     f(x) with lines dt 2 title sprintf("fit: %.2f d %+.1f", a, b)
