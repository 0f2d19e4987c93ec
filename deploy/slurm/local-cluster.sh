#!/usr/bin/env bash
# A throw-away single-node Slurm cluster on loopback, for testing the validate job array (tests call it; so can you).
#
#   deploy/slurm/local-cluster.sh start DIR   # munged + slurmctld + slurmd, all state, logs and sockets under DIR;
#                                             # prints "export SLURM_CONF=DIR/slurm.conf" (source it or eval it)
#   deploy/slurm/local-cluster.sh stop DIR    # stops the three daemons started by 'start DIR' (by their pid files)
#
# Needs the Debian packages slurm-wlm and munge (nothing is installed here) and root or the same user for all three
# daemons. Nothing outside DIR is written: a fresh munge key is generated in DIR, the daemons listen on 127.0.0.1 at
# the ports SLURM_TEST_PORT (default 16817) and SLURM_TEST_PORT+1, and use proctrack/linuxproc with task/none, so no
# cgroups are needed (containers, CI machines). The node has this machine's CPUs and memory.
set -euo pipefail
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
port=${SLURM_TEST_PORT:-16817}

stop_pid() { # pid file, name
  [ -f "$1" ] || return 0
  local pid; pid=$(cat "$1" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

case "$cmd" in
stop)
  stop_pid "$dir/slurmd.pid" slurmd
  stop_pid "$dir/slurmctld.pid" slurmctld
  stop_pid "$dir/munged.pid" munged
  exit 0 ;;
start) ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac

for tool in munged mungekey slurmctld slurmd sinfo; do
  command -v "$tool" >/dev/null || { echo "$tool not found: apt-get install slurm-wlm munge" >&2; exit 3; }
done
mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chmod 700 "$dir/munge"
user=$(id -un)
# munge: a fresh key and a private socket
rm -f "$dir/munge/munge.key"
mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null 2>&1 || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed" </dev/null >>"$dir/daemons.out" 2>&1
cpus=$(nproc)
mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
cat > "$dir/slurm.conf" <<CONF
ClusterName=imageguide-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
NodeName=ignode NodeHostname=$(hostname) NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
# the daemons' own output goes to a file: a caller reading this script's output must not wait on their open pipes
slurmctld -f "$SLURM_CONF" -i </dev/null >>"$dir/daemons.out" 2>&1
slurmd -f "$SLURM_CONF" -N ignode </dev/null >>"$dir/daemons.out" 2>&1
# wait (at most 60 s) for the node to be idle
for _ in $(seq 1 120); do
  state=$(sinfo -h -N -o %t 2>/dev/null | head -1 || true)
  case "$state" in idle*|mix*|alloc*) echo "export SLURM_CONF=$SLURM_CONF"; exit 0 ;; esac
  sleep 0.5
done
echo "the local Slurm node did not come up (state '${state:-none}'); logs: $dir/slurmctld.log, $dir/slurmd.log" >&2
tail -20 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
exit 1
