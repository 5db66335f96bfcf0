#!/usr/bin/python3
"""How fast a freshly started server serves its first requests, Postbox next to redis-server: one
workload at -c 50 -P 1, in consecutive chunks, on servers started afresh (noisy: read the medians).

  /usr/bin/python3 it-tests/bench/warmup_curve.py --jar server/target/postbox.jar
      [--workload evalsha|zrange|ping] [--chunks 8] [--chunk 40000] [--starts 3] [--ports 7670,7671]
      [--postbox-cmd 'env JAVA_OPTS=... POSTBOX_JAR={jar} {launcher}']

Per start, each server in turn (which goes first alternates): started afresh on an empty directory
(Postbox as the README starts it, through the launcher and its startup cache), a delayed queue with a
due member for every request filled with pipelined ZADDs (not by a script, so a script's path starts cold),
then redis-benchmark -n <chunk> --chunks times in a row, each chunk on 50 new connections.
'evalsha' is the delayed-queue pop of issue #5, 'zrange' its due scan sent as a command, 'ping' PING.
Prints ops/s per chunk, then per chunk the median over the starts of Postbox / redis-server.

A JVM runs new code interpreted, then compiled with profiling, and only then fully compiled, on the
cores the benchmark client and the server need too (2 on the machines we measure on): this shows how many requests that takes. The
steady-state comparison is script_cpu.py's. No assertion is made on speed; this prints numbers.
"""
import argparse, re, shutil, statistics, subprocess, tempfile
import redis
from bench_servers import POSTBOX_COMMAND, postbox_command, start, stop
from script_cpu import DQ_POP, NOW

MEMBERS_PER_ZADD = 100


def fill(port, members):
    client = redis.Redis(port=port)
    pipe = client.pipeline(transaction=False)
    for first in range(0, members, MEMBERS_PER_ZADD):
        pipe.zadd("dq", {"dq:job:%09d" % i: 1600000000000 + i for i in range(first, first + MEMBERS_PER_ZADD)})
    pipe.execute()
    return client.script_load(DQ_POP)


def request(workload, sha):
    if workload == "evalsha":
        return ["EVALSHA", sha, "1", "dq", NOW]
    if workload == "zrange":
        return ["ZRANGEBYSCORE", "dq", "-inf", NOW, "LIMIT", "0", "1"]
    return ["PING"]


def curve(port, args, chunks, chunk):
    rates = []
    for _ in range(chunks):
        out = subprocess.run(["redis-benchmark", "-p", str(port), "-c", "50", "-P", "1", "-n", str(chunk), "-q", *args],
                             capture_output=True, text=True, check=True).stdout
        rates.append(float(re.findall(r"([\d.]+) requests per second", out)[-1]))
    return rates


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="server/target/postbox.jar")
    ap.add_argument("--workload", choices=["evalsha", "zrange", "ping"], default="evalsha")
    ap.add_argument("--chunks", type=int, default=8)
    ap.add_argument("--chunk", type=int, default=40_000)
    ap.add_argument("--starts", type=int, default=3)
    ap.add_argument("--ports", default="7670,7671")
    ap.add_argument("--postbox-cmd", default=POSTBOX_COMMAND)
    a = ap.parse_args()
    pb_port, redis_port = (int(p) for p in a.ports.split(","))
    servers = [("postbox", pb_port, postbox_command(a.postbox_cmd, a.jar) + ["--port", str(pb_port)]),
               ("redis", redis_port, ["redis-server", "--port", str(redis_port)])]
    ratios = [[] for _ in range(a.chunks)]
    for n in range(1, a.starts + 1):
        rates = {}
        for name, port, command in (servers if n % 2 else servers[::-1]):
            workdir = tempfile.mkdtemp(prefix=f"warmup-{name}-")
            proc = start(command + ["--save", "", "--dir", workdir], port, workdir)
            try:
                sha = fill(port, a.chunks * a.chunk)
                rates[name] = curve(port, request(a.workload, sha), a.chunks, a.chunk)
            finally:
                stop(proc, port)
                shutil.rmtree(workdir, ignore_errors=True)
            print(f"start {n} {name:8s}" + "".join(f"{r:9,.0f}" for r in rates[name]), flush=True)
        for i in range(a.chunks):
            ratios[i].append(rates["postbox"][i] / rates["redis"][i])
    print(f"== {a.workload} -c 50 -P 1, chunks of {a.chunk:,} requests from a fresh start; "
          f"median postbox/redis over {a.starts} starts, per chunk:")
    print("".join(f"{statistics.median(r):9.2f}" for r in ratios))


if __name__ == "__main__":
    main()
