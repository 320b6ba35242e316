#!/bin/sh
# Generated against hand-written Eval (issue 7 §4): runs
# BenchmarkHandwritten of internal/golden COUNT times (default 10) and
# prints, per model and level, the medians of the generated and
# hand-written ns per evaluation and of their ratio.
set -e
cd "$(dirname "$0")/.."
count=${1:-10}
go test -run '^$' -bench Handwritten -count "$count" ./internal/golden |
awk '/^BenchmarkHandwritten/ {
	name = $1; sub(/^BenchmarkHandwritten\//, "", name); sub(/-[0-9]+$/, "", name)
	for (i = 3; i < NF; i += 2) { v[name, $(i+1), ++n[name, $(i+1)]] = $i }
	if (!(name in seen)) { seen[name] = 1; order[++m] = name }
}
function median(name, unit,   k, c, i, j, t, a) {
	c = n[name, unit]
	for (i = 1; i <= c; i++) a[i] = v[name, unit, i]
	for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
END {
	printf "%-24s %12s %12s %9s\n", "model/level", "generated", "hand", "ratio"
	for (k = 1; k <= m; k++) {
		s = order[k]
		printf "%-24s %9.1f ns %9.1f ns %9.2f\n", s, median(s, "gen-ns/eval"), median(s, "hand-ns/eval"), median(s, "gen/hand")
	}
}'
