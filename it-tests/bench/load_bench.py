#!/usr/bin/python3
"""RDB load time, Postbox next to redis-server loading the same dump.rdb (noisy: read the ratios).

  /usr/bin/python3 it-tests/bench/load_bench.py --jar server/target/postbox.jar [--rounds 3]
      [--work /tmp/load-bench] [--ports 7600,7601] [--postbox-cmd 'env POSTBOX_JAR={jar} {launcher}']

1. The dataset, made once by redis-server and kept in --work/dump.rdb (delete it to remake):
   DEBUG POPULATE 1,000,000 strings, 200 lists x 50,000 elements (queues), 50 sorted sets x 20,000
   members (delayed queues), 100,000 small hashes of 6 fields (job records, listpack), 20 hashes and
   20 sets of 10,000 members (hashtable encoding).
2. One untimed start of each (Postbox's launcher may record its startup cache then), then rounds,
   alternating: redis-server, then Postbox, each started on a copy of that file with
   --save ''. For each: wall time from process start to its "DB loaded from disk" line, the load
   time that line gives, the wall time to "Ready to accept connections" (Postbox settles its heap
   between the two, and warms its snapshot code up in the background from then on), and the
   process's CPU (utime+stime of /proc/<pid>/stat) once it logs "Ready to accept connections"; for
   Postbox also CPU split by thread: GC, JIT compiler, the rest.
3. A summary of ratios Postbox / redis-server per round and for the medians.

--postbox-cmd is how Postbox is started, to try JVM flags ({jar} is replaced by --jar, {launcher} by the
repository's postbox-server); by default as the README starts it, through the launcher and its cache.
No assertion is made on speed; this prints numbers.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import time

import redis
from bench_servers import POSTBOX_COMMAND, postbox_command

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(stat_path):
    with open(stat_path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15 of stat)


def thread_cpu(pid):
    """CPU seconds per thread kind: GC, JIT, other."""
    split = {"gc": 0.0, "jit": 0.0, "other": 0.0}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            seconds = cpu_seconds(f"/proc/{pid}/task/{tid}/stat")
        except OSError:
            continue
        if re.match(r"(GC Thread|G1 |VM Thread|VM Periodic|Shenandoah|Z[A-Z])", name):
            split["gc"] += seconds
        elif "Compiler" in name:
            split["jit"] += seconds
        else:
            split["other"] += seconds
    return split


def make_dataset(work, port):
    data = os.path.join(work, "make")
    os.makedirs(data, exist_ok=True)
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--dir", data, "--save", "",
                             "--enable-debug-command", "local", "--logfile", os.path.join(data, "redis.log")],
                            stdout=subprocess.DEVNULL)
    try:
        fill(redis.Redis(port=port, socket_timeout=600))
    finally:
        proc.terminate()
        proc.wait()
    shutil.move(os.path.join(data, "dump.rdb"), os.path.join(work, "dump.rdb"))
    print(f"dataset: {os.path.getsize(os.path.join(work, 'dump.rdb')) / 1e6:.1f} MB dump.rdb")


def fill(r):
    for _ in range(100):
        try:
            r.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.1)
    r.flushall()
    r.execute_command("DEBUG", "POPULATE", 1_000_000)
    for i in range(200):
        p = r.pipeline(transaction=False)
        for j in range(0, 50_000, 1000):
            p.rpush(f"list:{i}", *[f"job-{i}-{k}:payload" for k in range(j, j + 1000)])
        p.execute()
    for i in range(50):
        p = r.pipeline(transaction=False)
        for j in range(0, 20_000, 1000):
            p.zadd(f"zset:{i}", {f"job-{i}-{k}": 1_700_000_000_000 + k * 1.5 for k in range(j, j + 1000)})
        p.execute()
    p = r.pipeline(transaction=False)
    for i in range(100_000):
        p.hset(f"job:{i}", mapping={"id": i, "queue": "default", "state": "waiting", "attempts": 0,
                                    "created": 1_700_000_000 + i, "data": f"payload-{i}"})
        if i % 1000 == 999:
            p.execute()
    p.execute()
    for i in range(20):
        p = r.pipeline(transaction=False)
        for j in range(0, 10_000, 1000):
            p.hset(f"hash:{i}", mapping={f"field-{k}": f"value-{k}" for k in range(j, j + 1000)})
            p.sadd(f"set:{i}", *[f"worker-{i}-{k}" for k in range(j, j + 1000)])
        p.execute()
    print(f"dataset: {r.dbsize()} keys, used_memory {r.info('memory')['used_memory_human']}")
    r.save()


def run_one(name, command, work):
    """Starts a server on a copy of dump.rdb; returns its measurements once it is ready."""
    data = os.path.join(work, name)
    shutil.rmtree(data, ignore_errors=True)
    os.makedirs(data)
    os.link(os.path.join(work, "dump.rdb"), os.path.join(data, "dump.rdb"))
    log_path = os.path.join(data, "server.log")
    started = time.monotonic()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command + ["--dir", data], stdout=log, stderr=subprocess.STDOUT)
    loaded_wall = None
    result = {}
    try:
        deadline = started + 300
        while time.monotonic() < deadline:
            with open(log_path) as f:
                text = f.read()
            if loaded_wall is None and "DB loaded from disk" in text:
                loaded_wall = time.monotonic() - started
            if "Ready to accept connections" in text:
                result["ready"] = time.monotonic() - started
                break
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited: see {log_path}")
            time.sleep(0.005)
        else:
            raise RuntimeError(f"{name} did not get ready: see {log_path}")
        result["cpu"] = cpu_seconds(f"/proc/{proc.pid}/stat")
        if name == "postbox":
            result.update(thread_cpu(proc.pid))
            # Threads that have ended (the RDB parser) are in the process's total, not in /proc/<pid>/task.
            result["other"] = result["cpu"] - result["gc"] - result["jit"]
        result["wall"] = loaded_wall
        result["logged"] = float(re.search(r"DB loaded from disk: ([0-9.]+) seconds", text).group(1))
    finally:
        proc.terminate()
        proc.wait()
    return result


def fmt(r):
    out = f"wall {r['wall']:.2f} s, logged {r['logged']:.2f} s, ready {r['ready']:.2f} s, cpu {r['cpu']:.2f} s"
    if "gc" in r:
        out += f" (gc {r['gc']:.2f}, jit {r['jit']:.2f}, other {r['other']:.2f})"
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", default="server/target/postbox.jar")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", default="/tmp/load-bench")
    parser.add_argument("--ports", default="7600,7601")
    parser.add_argument("--postbox-cmd", default=POSTBOX_COMMAND)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    redis_port, postbox_port = args.ports.split(",")
    if not os.path.exists(os.path.join(args.work, "dump.rdb")):
        make_dataset(args.work, redis_port)
    jar = os.path.abspath(args.jar)
    redis_cmd = ["redis-server", "--port", redis_port, "--save", ""]
    postbox_cmd = postbox_command(args.postbox_cmd, jar)
    postbox_cmd += ["--port", postbox_port, "--save", ""]
    print("postbox: " + " ".join(postbox_cmd))
    # One untimed start of each first. Postbox's launcher records its JVM startup cache on its first
    # start after a build, a training run of several seconds that a load time must not include; and
    # both servers then find dump.rdb in the page cache.
    run_one("redis", redis_cmd, args.work)
    run_one("postbox", postbox_cmd, args.work)
    rows = []
    for n in range(args.rounds):
        r = run_one("redis", redis_cmd, args.work)
        p = run_one("postbox", postbox_cmd, args.work)
        rows.append((r, p))
        print(f"round {n + 1}: redis   {fmt(r)}")
        print(f"round {n + 1}: postbox {fmt(p)}")
        print(f"round {n + 1}: ratio   wall {p['wall'] / r['wall']:.2f}x, logged {p['logged'] / r['logged']:.2f}x,"
              f" ready {p['ready'] / r['ready']:.2f}x, cpu {p['cpu'] / r['cpu']:.2f}x")
    med = {side: {k: statistics.median(row[i][k] for row in rows) for k in ("wall", "logged", "ready", "cpu")}
           for i, side in enumerate(("redis", "postbox"))}
    for side in ("redis", "postbox"):
        print(f"median: {side:7} " + ", ".join(f"{k} {med[side][k]:.2f} s" for k in ("wall", "logged", "ready", "cpu")))
    print("median ratio: " + ", ".join(f"{k} {med['postbox'][k] / med['redis'][k]:.2f}x"
                                       for k in ("wall", "logged", "ready", "cpu")))


if __name__ == "__main__":
    main()
