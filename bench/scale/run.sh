#!/usr/bin/env bash
# Scale benchmark of issue 7: generate a model with lagc gen, build it with
# go build, and time free solves and gradients with go test -bench.
#
#   bench/scale/run.sh network 256     # all-to-all, N = 256 (65,792 parameters)
#   bench/scale/run.sh chain 4096      # nearest-neighbour chain
#   bench/scale/run.sh lattice 64      # 64×64 lattice
#
# STEPS (default 64) sets the time steps; FIXED=true solves between fixed
# ends over T = 1 instead of periodically over the drive's period. Prints lagc gen's time, the
# file's size, go build's time, centered EP vs adjoint and the benchmarks.
set -euo pipefail
model=${1:-network}
n=${2:-256}
steps=${STEPS:-64}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/lagc" "$repo/cmd/lagc"
sed "s/@N@/$n/g" "$here/$model.lag.tmpl" > "$dir/net.lag"
cat > "$dir/go.mod" <<MOD
module example.com/net
go 1.26.8
require github.com/lagc/lagc v0.0.0-00010101000000-000000000000
replace github.com/lagc/lagc => $repo
MOD
cp "$repo/go.sum" "$dir/"
(cd "$dir" && go mod tidy >/dev/null 2>&1 || true)
{ sed "s/^package net$/package net/" "$here/scale_test.go.txt"; echo; echo "const steps = $steps"; echo "const fixed = ${FIXED:-false}"; } > "$dir/scale_test.go"
cd "$dir"
# Warm the build cache for the dependencies, so go build times the model.
printf 'package net\n\nimport _ "github.com/lagc/lagc/lagrt"\n' > dep.go
go mod tidy >/dev/null 2>&1; go build . && rm dep.go
start=$(date +%s.%N)
./lagc gen -pkg net net.lag
gen=$(echo "$(date +%s.%N) - $start" | bc)
size=$(wc -c < net_lagrangian.go)
start=$(date +%s.%N)
go build .
build=$(echo "$(date +%s.%N) - $start" | bc)
echo "$model N=$n steps=$steps: lagc gen ${gen}s, file $size bytes, go build ${build}s"
go test -run CenteredMatchesAdjoint -v . | grep -E 'centered|FAIL|ok' || true
go test -run XXX -bench . -benchtime ${BENCHTIME:-1x} .
