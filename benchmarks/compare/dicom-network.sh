#!/usr/bin/env bash
# Load test of the Storage SCP: N instances (default 1,000 CT slices of 512 x 512, 16-bit) pushed by 4 concurrent DCMTK
# storescu clients into `imageguide listen`, then the same into DCMTK's storescp (--fork, one process per association)
# in the same run. Checks that ImageGuide filed every instance exactly once and byte-identical (the data set after the
# File Meta) and prints both throughputs and their ratio. Goal: at least as fast as storescp (ratio >= 1).
# Usage: [AOT=path/to/imageguide] benchmarks/compare/dicom-network.sh [instances] [clients]   (needs dcmtk: storescu, storescp, dcmodify)
set -euo pipefail
cd "$(dirname "$0")/../.."
total=${1:-1000}
clients=${2:-4}
per=$(( total / clients ))
for t in storescu storescp dcmodify; do command -v $t >/dev/null || { echo "$t missing: apt-get install dcmtk" >&2; exit 1; }; done
dotnet build src/ImageGuide.Cli -c Release -v q -nologo >/dev/null
dotnet build benchmarks/ImageGuide.Benchmarks -c Release -v q -nologo >/dev/null
# AOT=path/to/imageguide times that binary (the Native AOT CLI as shipped) instead of `dotnet imageguide.dll`
ig=${AOT:-"dotnet src/ImageGuide.Cli/bin/Release/net10.0/imageguide.dll"}
bench="dotnet benchmarks/ImageGuide.Benchmarks/bin/Release/net10.0/ImageGuide.Benchmarks.dll"
work=$(mktemp -d /tmp/imageguide-net-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# one 512 x 512 series, copied per client with its own study, series and instance UIDs
src=$($bench write-series 512 512 "$per")
for c in $(seq "$clients"); do
  mkdir -p "$work/send/$c"
  cp "$src"/* "$work/send/$c/"
  dcmodify -nb -q -m "(0020,000D)=1.2.826.0.1.3680043.10.1$c" -m "(0020,000E)=1.2.826.0.1.3680043.10.2$c" -gin "$work/send/$c"/* 
done
bytes=$(du -sb "$work/send" | cut -f1)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (echo > /dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; echo "nothing listens on $1" >&2; exit 1; }

push() { # port AE -> seconds for all clients to finish
  local t0 t1
  t0=$(date +%s.%N)
  local cp=()
  for c in $(seq "$clients"); do storescu -aet LOAD$c -aec "$2" 127.0.0.1 "$1" "$work/send/$c"/* & cp+=($!); done
  for p in "${cp[@]}"; do wait "$p" || { echo "a storescu client failed" >&2; exit 1; }; done
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

port=$(free_port)
$ig listen --port "$port" --ae-title IGLOAD --out "$work/ig" --json > "$work/ig.jsonl" 2> "$work/ig.log" & pids+=($!)
wait_port "$port"
t_ig=$(push "$port" IGLOAD)
kill -TERM "${pids[0]}"; wait "${pids[0]}" || true   # SIGTERM: a background job of a script ignores SIGINT

# storescp twice: its defaults (16 KiB PDUs, each data set parsed and re-encoded; this Debian build leaves Nagle's
# algorithm on, so every response waits for the delayed ACK, ~50 ms per instance), then tuned: TCP_NODELAY=1 (DCMTK's
# switch for Nagle), bit-preserving (+B, the received bytes written as they are, as ImageGuide does) and its largest PDU
# (128 KiB; ImageGuide announces 256 KiB)
port=$(free_port)
mkdir -p "$work/dcmtk"
storescp --fork -aet DCMLOAD -od "$work/dcmtk" "$port" > "$work/dcmtk.log" 2>&1 & pids+=($!)
wait_port "$port"
t_dcmtk=$(push "$port" DCMLOAD)
port=$(free_port)
mkdir -p "$work/dcmtk-pdu"
TCP_NODELAY=1 storescp --fork +B -pdu 131072 -aet DCMLOAD -od "$work/dcmtk-pdu" "$port" > "$work/dcmtk-pdu.log" 2>&1 & pids+=($!)
wait_port "$port"
t_dcmtk_pdu=$(push "$port" DCMLOAD)

# every instance filed once, byte-identical after the File Meta
python3 - "$work" "$total" <<'PY'
import os, struct, sys, glob
work, total = sys.argv[1], int(sys.argv[2])
def dataset(path):
    b = open(path, 'rb').read()
    assert b[128:132] == b'DICM', path
    assert struct.unpack_from('<HH', b, 132) == (2, 0), path
    return b[144 + struct.unpack_from('<I', b, 140)[0]:]
def sop(d):  # (0008,0018) in an explicit VR little endian data set
    i = d.find(b'\x08\x00\x18\x00UI')
    n = struct.unpack_from('<H', d, i + 6)[0]
    return d[i + 8:i + 8 + n].rstrip(b'\0 ').decode()
sent = {}
for f in glob.glob(os.path.join(work, 'send', '*', '*')):
    d = dataset(f); sent[sop(d)] = d
filed = [f for f in glob.glob(os.path.join(work, 'ig', '*', '*', '*.dcm'))]
seen = set()
for f in filed:
    u = os.path.basename(f)[:-4]
    assert u not in seen, 'filed twice: ' + u
    seen.add(u)
    assert dataset(f) == sent[u], 'differs: ' + f
assert len(sent) == total and seen == set(sent), f'{len(seen)} filed of {len(sent)} sent'
assert not os.listdir(os.path.join(work, 'ig', '.incoming')), 'temporary files left'
print(f'verified: {len(seen)} instances filed once, byte-identical')
PY
lines=$(grep -c '"status":"stored"' "$work/ig.jsonl")
[ "$lines" -eq "$total" ] || { echo "listen printed $lines stored lines for $total instances" >&2; exit 1; }
dcm_files=$(find "$work/dcmtk" -type f | wc -l)
[ "$dcm_files" -eq "$total" ] || { echo "storescp wrote $dcm_files of $total" >&2; exit 1; }
dcm_files=$(find "$work/dcmtk-pdu" -type f | wc -l)
[ "$dcm_files" -eq "$total" ] || { echo "storescp -pdu wrote $dcm_files of $total" >&2; exit 1; }

awk -v n="$total" -v c="$clients" -v mb="$bytes" -v a="$t_ig" -v b="$t_dcmtk" -v d="$t_dcmtk_pdu" 'BEGIN {
  printf "%d instances (%.0f MB), %d concurrent storescu clients\n", n, mb / 1e6, c
  printf "%-36s %8.2f s %8.1f instances/s %7.1f MB/s\n", "imageguide listen", a, n / a, mb / 1e6 / a
  printf "%-36s %8.2f s %8.1f instances/s %7.1f MB/s\n", "dcmtk storescp --fork", b, n / b, mb / 1e6 / b
  printf "%-36s %8.2f s %8.1f instances/s %7.1f MB/s\n", "dcmtk storescp, tuned (see above)", d, n / d, mb / 1e6 / d
  printf "ratio (imageguide / storescp throughput): %.2f (storescp defaults), %.2f (storescp tuned)\n", b / a, d / a
}'
