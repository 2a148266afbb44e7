#!/bin/sh
# Benchmark: start-up (issue 14 item 2).  Each offline command and explain
# on a one-line paste, next to `curl --version` (a process that loads
# libcurl, OpenSSL and their kin and prints a line) and `grep --version` (a
# small C tool).  Targets: check --offline at most 0.5x curl, explain at
# most 2x curl.
#
# The commands run round-robin (one run of each, then the next round), so
# a burst of load from another process on the machine falls on all of them
# alike; each run is a fork+exec timed by python3's monotonic clock, stdin
# from the paste file, output to /dev/null.  Prints the mean and median per
# command and the ratios of the means to curl and grep.
#
#   bench/startup.sh [path/to/ordoctor] [runs, default 200]
set -eu
. "$(dirname "$0")/lib.sh"
runs=${2:-200}
command -v curl >/dev/null || { echo "startup bench: curl is needed" >&2; exit 2; }
command -v python3 >/dev/null || { echo "startup bench: python3 is needed" >&2; exit 2; }
mkdir -p "$BENCH_TMP/home"
printf '%s\n' 'openai.AuthenticationError: Error code: 401 - {'"'"'error'"'"': {'"'"'message'"'"': '"'"'User not found.'"'"', '"'"'code'"'"': 401}}' \
	>"$BENCH_TMP/paste"
cd "$BENCH_TMP"
python3 - "$BIN" "$runs" "$BENCH_TMP/paste" "$BENCH_TMP/home" <<'PY'
import os, statistics, sys, time
binary, runs, paste, home = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def which(name):
    for d in os.environ.get("PATH", "/usr/bin:/bin").split(":"):
        p = os.path.join(d, name)
        if os.access(p, os.X_OK):
            return p
    sys.exit("startup bench: %s not found" % name)
cmds = [
    ("ordoctor --version", [binary, "--version"]),
    ("ordoctor keys --offline", [binary, "keys", "--offline"]),
    ("ordoctor tools --offline", [binary, "tools", "--offline"]),
    ("ordoctor check --offline", [binary, "check", "--offline"]),
    ("ordoctor check -q --offline", [binary, "check", "-q", "--offline"]),
    ("ordoctor explain < paste", [binary, "explain"]),
    ("curl --version", [which("curl"), "--version"]),
    ("grep --version", [which("grep"), "--version"]),
]
env = {"HOME": home, "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
null = os.open(os.devnull, os.O_WRONLY)
def once(argv):
    fd = os.open(paste, os.O_RDONLY)
    t = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_DUP2, fd, 0), (os.POSIX_SPAWN_DUP2, null, 1),
        (os.POSIX_SPAWN_DUP2, null, 2)])
    os.waitpid(pid, 0)
    t = time.perf_counter_ns() - t
    os.close(fd)
    return t / 1e6
times = {name: [] for name, _ in cmds}
for _ in range(5):  # warm the page cache
    for name, argv in cmds:
        once(argv)
for _ in range(runs):
    for name, argv in cmds:
        times[name].append(once(argv))
mean = {n: statistics.fmean(v) for n, v in times.items()}
med = {n: statistics.median(v) for n, v in times.items()}
curl, grep = mean["curl --version"], mean["grep --version"]
print("start-up, %d runs each, round-robin (ms)" % runs)
print("%-30s %8s %8s %8s %8s" % ("command", "mean", "median", "x curl", "x grep"))
for name, _ in cmds:
    print("%-30s %8.2f %8.2f %8.2f %8.2f" % (name, mean[name], med[name], mean[name] / curl, mean[name] / grep))
print("target: check --offline <= 0.5x curl: %.2f; explain <= 2x curl: %.2f" %
      (mean["ordoctor check --offline"] / curl, mean["ordoctor explain < paste"] / curl))
PY
