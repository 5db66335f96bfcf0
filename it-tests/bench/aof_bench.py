#!/usr/bin/python3
"""LPUSH with the append-only file on, Postbox next to redis-server, in alternating rounds (noisy machine:
read the medians, and requests per fsync before the throughput).

  /usr/bin/python3 it-tests/bench/aof_bench.py --jar server/target/postbox.jar [--rounds 3]
      [--policies always,everysec] [--requests 150000] [--warm-up 1000000] [--ports 7680,7681]
      [--postbox-cmd 'env JAVA_OPTS=... POSTBOX_JAR={jar} {launcher}']

Per round and policy: redis-server, then Postbox, each started afresh in an empty directory with
--appendonly yes --appendfsync <policy>; redis-benchmark LPUSH -c 50 warms it up (--warm-up requests:
with the AOF on, a fresh JVM's compiler is still at work after several hundred thousand of them at -P 1;
fresh servers are the compare tool's to measure, this measures the writes' path once compiled), then a
measured run of --requests. Where `perf` can count system calls, the server's fdatasync and
fsync calls during the measured run are counted too. With `always` every reply waits for an fsync, so
throughput is the disk's fsync rate times the requests each fsync covers (group commit): the disk's
rate moves by several times from minute to minute on a shared machine, requests per fsync much less.
No assertion is made on speed; this prints numbers.
"""
import argparse, os, re, shutil, signal, statistics, subprocess, tempfile
from bench_servers import POSTBOX_COMMAND, postbox_command, start, stop

SYNC_CALLS = "syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync"


def perf_counts_syscalls():
    try:
        probe = subprocess.run(["perf", "stat", "-e", SYNC_CALLS, "--", "true"], capture_output=True, text=True)
    except OSError:
        return False
    return probe.returncode == 0


def benchmark(port, requests):
    out = subprocess.run(["redis-benchmark", "-p", str(port), "-t", "lpush", "-n", str(requests), "-c", "50", "-q"],
                         capture_output=True, text=True, check=True).stdout
    return float(re.findall(r"LPUSH: ([0-9.]+) requests per second", out)[-1])


def measure(kind, command, port, requests, warm_up, count_syncs):
    """Starts `command` in a directory of its own; ops/s of the measured run, and the fsync calls the
    server made meanwhile (None if not counted)."""
    workdir = tempfile.mkdtemp(prefix=f"aof-bench-{kind}-")
    proc = start(command + ["--dir", workdir], port, workdir)
    try:
        benchmark(port, warm_up)
        counter = None
        if count_syncs:
            stats = os.path.join(workdir, "perf-stat.txt")
            counter = subprocess.Popen(["perf", "stat", "-e", SYNC_CALLS, "-p", str(proc.pid), "-o", stats])
        ops = benchmark(port, requests)
        syncs = None
        if counter:
            counter.send_signal(signal.SIGINT)
            counter.wait()
            with open(stats) as f:
                syncs = sum(int(n.replace(",", "")) for n in re.findall(r"^\s*([\d,]+)\s+syscalls:", f.read(), re.M))
        return ops, syncs
    finally:
        stop(proc, port)
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="server/target/postbox.jar")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--policies", default="always,everysec")
    ap.add_argument("--requests", type=int, default=150_000)
    ap.add_argument("--warm-up", type=int, default=1_000_000)
    ap.add_argument("--ports", default="7680,7681")
    ap.add_argument("--postbox-cmd", default=POSTBOX_COMMAND)
    args = ap.parse_args()
    redis_port, postbox_port = (int(p) for p in args.ports.split(","))
    count_syncs = perf_counts_syscalls()
    if not count_syncs:
        print("perf cannot count system calls here: fsyncs are not reported")
    servers = {
        "redis": (["redis-server", "--port", str(redis_port), "--save", ""], redis_port),
        "postbox": (postbox_command(args.postbox_cmd, args.jar) + ["--port", str(postbox_port), "--save", ""],
                    postbox_port),
    }
    results = {}
    for round_number in range(1, args.rounds + 1):
        for policy in args.policies.split(","):
            for kind, (command, port) in servers.items():
                aof = ["--appendonly", "yes", "--appendfsync", policy]
                ops, syncs = measure(kind, command + aof, port, args.requests, args.warm_up, count_syncs)
                results.setdefault((policy, kind), []).append((ops, syncs))
                per_sync = f", {syncs} fsyncs" if syncs is not None else ""
                if syncs and policy == "always":
                    per_sync += f", {args.requests / syncs:.1f} requests per fsync"
                print(f"round {round_number} {policy:8} {kind:7} {ops:10.0f} ops/s{per_sync}", flush=True)
    print("\nmedians (postbox/redis)")
    for policy in args.policies.split(","):
        line = f"{policy:8}"
        medians = {}
        for kind in servers:
            runs = results[(policy, kind)]
            ops = statistics.median(r[0] for r in runs)
            # Only with always does every request wait for an fsync; everysec fsyncs once a second.
            counted = [args.requests / r[1] for r in runs if r[1] and policy == "always"]
            medians[kind] = (ops, statistics.median(counted) if counted else None)
            line += f"  {kind} {ops:.0f} ops/s" + (f", {medians[kind][1]:.1f} req/fsync" if counted else "")
        ratio = medians["postbox"][0] / medians["redis"][0]
        line += f"  ratio {ratio:.2f}"
        if medians["redis"][1] and medians["postbox"][1]:
            line += f", req/fsync ratio {medians['postbox'][1] / medians['redis'][1]:.2f}"
        print(line)


if __name__ == "__main__":
    main()
