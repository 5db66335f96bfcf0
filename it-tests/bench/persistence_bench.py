#!/usr/bin/python3
"""Persistence benchmarks, Postbox next to redis-server in the same run (noisy: read the ratios).

  /usr/bin/python3 it-tests/bench/persistence_bench.py --jar server/target/postbox.jar \
      [--elements 10000000] [--keys 500000] [--ports 7226,7227] [--postbox-cmd 'env POSTBOX_JAR={jar} {launcher}']

1. The same dataset in both: one list of --elements elements (a queue), --keys strings, some hashes,
   sets and sorted sets.
2. Snapshot write: SAVE and BGSAVE times, file sizes. During BGSAVE (and for 3 s before it) a second
   client runs LPUSH/RPOP on another list; its latencies during the save (max, p99.9) and the memory
   taken meanwhile are reported.
3. Snapshot load: each server restarted on its own dump.rdb; the load time from its log.
4. LPUSH throughput with appendonly yes, appendfsync always and everysec (redis-benchmark, 50 clients),
   on a fresh server of each after the same warm-up: one run of aof_bench.py's (which runs rounds).
Postbox starts as the README starts it, through the launcher, unless --postbox-cmd says otherwise.
"""
import argparse
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

import redis
from aof_bench import measure as lpush_with_aof
from bench_servers import POSTBOX_COMMAND, postbox_command, rss_bytes


def children(pid):
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]
    except OSError:
        return []


class Server:
    def __init__(self, name, command, port, workdir):
        self.name, self.port, self.dir = name, port, workdir
        self.log = open(os.path.join(workdir, "server.log"), "a")
        self.started = time.time()
        self.proc = subprocess.Popen(command, cwd=workdir, stdout=self.log, stderr=subprocess.STDOUT)
        self.client = redis.Redis(port=port, socket_timeout=600)
        deadline = time.time() + 600
        while True:
            try:
                if self.client.ping():
                    break
            except redis.exceptions.ConnectionError:
                pass
            except redis.exceptions.BusyLoadingError:
                pass
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"{name} did not start")
            time.sleep(0.02)
        self.ready_seconds = time.time() - self.started

    def stop(self):
        try:
            self.client.shutdown(nosave=True)
        except redis.exceptions.ConnectionError:
            pass
        self.proc.wait(60)
        self.log.close()

    def loaded_seconds(self):
        with open(os.path.join(self.dir, "server.log")) as f:
            found = re.findall(r"DB loaded from disk: ([0-9.]+) seconds", f.read())
        return float(found[-1]) if found else None


def start(kind, args, port, workdir, postbox):
    if kind == "redis":
        command = ["redis-server", "--port", str(port), "--dir", workdir] + args
    else:
        command = postbox + ["--port", str(port), "--dir", workdir] + args
    return Server(kind, command, port, workdir)


def fill(client, elements, keys):
    pipe = client.pipeline(transaction=False)
    batch = 1000
    for start in range(0, elements, batch):
        pipe.rpush("queue", *[f"message-{i}" for i in range(start, min(elements, start + batch))])
        if start % (batch * 100) == 0:
            pipe.execute()
    pipe.execute()
    for start in range(0, keys, batch):
        for i in range(start, min(keys, start + batch)):
            pipe.set(f"key:{i}", f"value-{i}-" + "x" * (i % 80))
        pipe.execute()
    for i in range(2000):
        pipe.hset(f"hash:{i}", mapping={f"f{j}": f"v{j}" for j in range(20 if i % 100 else 500)})
        pipe.sadd(f"set:{i}", *range(10 if i % 100 else 1000))
        pipe.zadd(f"zset:{i}", {f"m{j}": j * 1.5 for j in range(10 if i % 100 else 300)})
        if i % 100 == 99:
            pipe.execute()
    pipe.execute()


def percentile(values, p):
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def bgsave_under_load(server):
    """Runs LPUSH/RPOP while a BGSAVE runs; returns seconds, latencies (ms) and memory taken."""
    load = redis.Redis(port=server.port)
    latencies = []
    stop = threading.Event()

    def worker():
        while not stop.is_set():
            t = time.perf_counter()
            load.lpush("busy", "x" * 16)
            latencies.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            load.rpop("busy")
            latencies.append((time.perf_counter() - t) * 1000)

    thread = threading.Thread(target=worker)
    thread.start()
    # Before the save, what runs during it: the worker, and INFO polled as below. A JVM that first meets
    # INFO during the save recompiles its request path then, and the save's latencies measure that.
    warm_until = time.time() + 3
    while time.time() < warm_until:
        server.client.info("persistence")
        time.sleep(0.02)
    latencies.clear()
    base_rss = rss_bytes(server.proc.pid) // 1024
    peak = 0
    started = time.time()
    server.client.bgsave()
    while True:
        pids = [server.proc.pid] + children(server.proc.pid)
        peak = max(peak, sum(rss_bytes(p) // 1024 for p in pids))
        if server.client.info("persistence")["rdb_bgsave_in_progress"] == 0:
            break
        time.sleep(0.02)
    seconds = time.time() - started
    stop.set()
    thread.join()
    info = server.client.info("persistence")
    return {
        "seconds": seconds,
        "commands": len(latencies),
        "max_ms": max(latencies) if latencies else 0,
        "p999_ms": percentile(latencies, 0.999),
        "p99_ms": percentile(latencies, 0.99),
        "rss_before_mb": base_rss / 1024,
        "rss_extra_mb": (peak - base_rss) / 1024,
        "cow_mb": info.get("rdb_last_cow_size", 0) / 1048576,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", required=True)
    parser.add_argument("--elements", type=int, default=10_000_000)
    parser.add_argument("--keys", type=int, default=500_000)
    parser.add_argument("--ports", default="7226,7227")
    parser.add_argument("--postbox-cmd", default=POSTBOX_COMMAND)
    args = parser.parse_args()
    ports = {"redis": int(args.ports.split(",")[0]), "postbox": int(args.ports.split(",")[1])}
    postbox = postbox_command(args.postbox_cmd, args.jar)
    results = {}
    for kind in ("redis", "postbox"):
        workdir = tempfile.mkdtemp(prefix=f"bench-rdb-{kind}-")
        server = start(kind, ["--save", "", "--appendonly", "no"], ports[kind], workdir, postbox)
        t = time.time()
        fill(server.client, args.elements, args.keys)
        r = {"fill_s": time.time() - t, "keys": server.client.dbsize()}
        t = time.time()
        server.client.save()
        r["save_s"] = time.time() - t
        r["file_mb"] = os.path.getsize(os.path.join(workdir, "dump.rdb")) / 1048576
        r.update({"bgsave_" + k: v for k, v in bgsave_under_load(server).items()})
        server.stop()
        server = start(kind, ["--save", "", "--appendonly", "no"], ports[kind], workdir, postbox)
        r["load_s"] = server.loaded_seconds()
        r["ready_s"] = server.ready_seconds
        r["keys_loaded"] = server.client.dbsize()
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        results[kind] = r
        print(kind, r, flush=True)
    for fsync in ("always", "everysec"):
        for kind in ("redis", "postbox"):
            command = (["redis-server"] if kind == "redis" else postbox) + [
                "--port", str(ports[kind]), "--save", "", "--appendonly", "yes", "--appendfsync", fsync]
            results[kind]["lpush_" + fsync] = lpush_with_aof(kind, command, ports[kind], 200_000, 1_000_000, False)[0]
            print(kind, fsync, results[kind]["lpush_" + fsync], flush=True)

    print()
    print(f"dataset: {args.elements} list elements, {args.keys} strings, 2000 each of hashes, sets, sorted sets")
    print(f"{'measure':32} {'redis':>12} {'postbox':>12} {'postbox/redis':>14}")
    for key in results["redis"]:
        a, b = results["redis"][key], results["postbox"][key]
        ratio = f"{b / a:.2f}" if isinstance(a, (int, float)) and a else "-"
        fa = f"{a:.3f}" if isinstance(a, float) else str(a)
        fb = f"{b:.3f}" if isinstance(b, float) else str(b)
        print(f"{key:32} {fa:>12} {fb:>12} {ratio:>14}")


if __name__ == "__main__":
    main()
