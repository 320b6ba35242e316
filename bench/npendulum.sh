#!/usr/bin/env bash
# Side-by-side compile time of the planar n-link pendulum: lagc (whole
# pipeline, go test -bench) against SymPy (bench/sympy_npendulum.py,
# or the script given as $SYMPY_SCRIPT). Prints one row per n with the ratio.
# Usage: bench/npendulum.sh [n ...]   (default: 2 4 6 8)
set -euo pipefail
cd "$(dirname "$0")/.."
ns=("${@:-2 4 6 8}")
ns=(${ns[@]})
script=${SYMPY_SCRIPT:-bench/sympy_npendulum.py}
declare -A lagc
while read -r name _ ns_op _; do
	n=${name##*/n=}; n=${n%%-*}
	lagc[$n]=$ns_op
done < <(go test -run '^$' -bench "CompileNPendulum/n=($(IFS='|'; echo "${ns[*]}"))\$" -benchtime 5x ./codegen | grep '^Benchmark')
declare -A sympy
if [[ -f $script ]] && python3 -c 'import sympy' 2>/dev/null; then
	while IFS=, read -r n d c _; do
		[[ $n == n ]] && continue
		sympy[$n]=$(python3 -c "print(f'{$d + $c:.2f}')")
	done < <(python3 "$script" "${ns[@]}")
fi
printf '%4s %12s %12s %10s\n' n lagc_ms sympy_s ratio
for n in "${ns[@]}"; do
	ms=$(python3 -c "print(f'{${lagc[$n]}/1e6:.2f}')")
	if [[ -n ${sympy[$n]:-} ]]; then
		printf '%4s %12s %12s %9.0fx\n' "$n" "$ms" "${sympy[$n]}" "$(python3 -c "print(${sympy[$n]}/(${lagc[$n]}/1e9))")"
	else
		printf '%4s %12s %12s %10s\n' "$n" "$ms" - -
	fi
done
