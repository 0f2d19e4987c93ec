#!/usr/bin/env bash
# ImageGuide vs elastix on the same phantom pairs, in one run: TRE at the fixed frame's landmarks against the
# phantom's ground-truth transform (median / max, mm) and wall time of each tool on this machine.
# elastix runs a Par0035-like rigid setup (elastix-rigid.txt): Euler, 3 levels, Mattes MI 32 bins, ASGD 500
# iterations per level, 5000 random samples. Both tools read the same .mha files and start from patient coordinates.
# Usage: benchmarks/compare/registration.sh [seeds...]   (default: phantom seeds 1-6; installs elastix with apt when missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds=("${@:-1 2 3 4 5 6}")
if ! command -v elastix >/dev/null; then apt-get update -qq && apt-get install -y -qq elastix >/dev/null; fi
if ! /usr/bin/python3 -c "import numpy" 2>/dev/null; then apt-get install -y -qq python3-numpy >/dev/null; fi
dotnet build src/ImageGuide.Cli -c Release -v q -nologo >/dev/null
ig="dotnet src/ImageGuide.Cli/bin/Release/net10.0/imageguide.dll"
here=benchmarks/compare
elastix_rigid=src/ImageGuide.Core/Workflows/Validation/elastix-rigid.txt  # the set-up validate --compare elastix embeds
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
printf "%-16s %-9s %22s %22s %8s\n" "case" "preset" "imageguide med/max (s)" "elastix med/max (s)" "speedup"
for seed in ${seeds[@]}; do
  case_dir="$work/seed$seed"
  $ig phantom --out "$case_dir" --seed "$seed" >/dev/null 2>&1
  $ig convert "$case_dir/mr/t1" "$case_dir/mr.mha" >/dev/null 2>&1
  for pair in ct:ct/dicom:ct-mr cbct:cbct/dicom:cbct-mr; do
    IFS=: read -r name series preset <<<"$pair"
    fixed="$case_dir/$name.mha"
    $ig convert "$case_dir/$series" "$fixed" >/dev/null 2>&1
    extra=(); [ "$name" = cbct ] && extra=(--fov-mask)
    t0=$(now); $ig register --fixed "$fixed" --moving "$case_dir/mr.mha" --preset "$preset" "${extra[@]}" --out "$work/ig.tfm" >/dev/null 2>&1; t1=$(now)
    ig_tre=$(/usr/bin/python3 $here/tre.py "$case_dir/$name/landmarks.csv" "$case_dir/transforms/$name-to-mr.tfm" "$work/ig.tfm")
    rm -rf "$work/elx" && mkdir -p "$work/elx"
    t2=$(now); elastix -f "$fixed" -m "$case_dir/mr.mha" -p $elastix_rigid -out "$work/elx" >/dev/null 2>&1; t3=$(now)
    { echo point; tail -n +2 "$case_dir/$name/landmarks.csv" | wc -l; tail -n +2 "$case_dir/$name/landmarks.csv" | awk -F, '{print $(NF-2), $(NF-1), $NF}'; } > "$work/points.txt"
    transformix -def "$work/points.txt" -tp "$work/elx/TransformParameters.0.txt" -out "$work/elx" >/dev/null 2>&1
    elx_tre=$(/usr/bin/python3 $here/tre.py "$case_dir/$name/landmarks.csv" "$case_dir/transforms/$name-to-mr.tfm" --points "$work/elx/outputpoints.txt")
    awk -v c="seed$seed $name→mr" -v p="$preset" -v a="$ig_tre" -v b="$elx_tre" -v ti="$(echo "$t1 - $t0" | bc -l)" -v te="$(echo "$t3 - $t2" | bc -l)" \
      'BEGIN { split(a, x, " "); split(b, y, " "); printf "%-16s %-9s %9.2f/%5.2f (%5.1f) %9.2f/%5.2f (%5.1f) %7.1fx\n", c, p, x[1], x[2], ti, y[1], y[2], te, te / ti }'
  done
done
