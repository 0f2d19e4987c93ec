#!/usr/bin/env bash
# Submits a sharded fusion validation to Slurm: an array of N shard tasks, then the merge job, which runs only when
# every shard succeeded (--dependency=afterok:ARRAY).
#
#   deploy/slurm/submit-validate.sh IMAGEGUIDE MANIFEST OUT N [sbatch options for both jobs…]
#
# IMAGEGUIDE, MANIFEST and OUT must be on a filesystem every node sees. Prints "ARRAY_JOB_ID MERGE_JOB_ID".
# Logs: OUT/logs/shard-K.out and OUT/logs/merge.out. Environment passed on: PARALLEL, VALIDATE_ARGS (see
# validate-array.sbatch).
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
imageguide=$(realpath "$1"); manifest=$(realpath "$2"); out=$(realpath -m "$3"); shards=$4; shift 4
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "N must be a whole number ≥ 1, not '$shards'" >&2; exit 2; }
[ -e "$imageguide" ] || { echo "$imageguide does not exist (dotnet publish src/ImageGuide.Cli -c Release -r linux-x64 --self-contained -o DIR)" >&2; exit 2; }
[ -f "$manifest" ] || { echo "$manifest does not exist" >&2; exit 2; }
mkdir -p "$out/logs"
export IMAGEGUIDE="$imageguide" MANIFEST="$manifest" OUT="$out" SHARDS="$shards"
array=$(sbatch --parsable --array=1-"$shards" --output="$out/logs/shard-%a.out" --export=ALL "$@" "$here/validate-array.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes --output="$out/logs/merge.out" --export=ALL "$@" \
  "$here/validate-merge.sbatch")
merge=${merge%%;*}
echo "$array $merge"
