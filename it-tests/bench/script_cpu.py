#!/usr/bin/python3
"""EVALSHA at steady state, Postbox next to redis-server: throughput and the server's CPU per request.

  /usr/bin/python3 it-tests/bench/script_cpu.py --jar server/target/postbox.jar [--script dqpop|return1]
      [--pipeline 1] [--requests 200000] [--runs 6] [--ports 7660,7661]
      [--postbox-cmd 'env JAVA_OPTS=-Xmx4g POSTBOX_JAR={jar} {launcher}']

Both servers are started once and warmed up (300,000 requests at -P 16, 100,000 at -P 1), then
redis-benchmark (-c 50) runs --runs times on each, alternating. Each run prints ops/s and the
server's CPU per request: utime+stime of /proc/<pid>/stat over the run, divided by the requests.
On a shared machine CPU per request moves far less than ops/s, since it does not count the time a
server waited for a CPU; it leaves out what a fresh JVM spends compiling (the compare tool's short
runs on fresh servers include that). 'dqpop' is the delayed-queue pop of issue #5 on a sorted set
holding enough due members for every request; 'return1' is `return 1`.
No assertion is made on speed; this prints numbers.
"""
import argparse, hashlib, os, re, shutil, statistics, subprocess, tempfile
import redis
from bench_servers import POSTBOX_COMMAND, postbox_command, start, stop

DQ_POP = """local r = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #r > 0 then
  redis.call('ZREM', KEYS[1], r[1])
  return r[1]
end
return false
"""
NOW = "1700000000000"
FILL = ("for i = 1, tonumber(ARGV[1]) do "
        "redis.call('ZADD', KEYS[1], 1600000000000 + i, string.format('dq:job:%09d', i)) end")


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def bench(port, sha, keys, args, pipeline, requests):
    argv = ["redis-benchmark", "-p", str(port), "-c", "50", "-P", str(pipeline), "-n", str(requests), "-q",
            "EVALSHA", sha, str(len(keys)), *keys, *args]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return float(re.findall(r"([\d.]+) requests per second", out)[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="server/target/postbox.jar")
    ap.add_argument("--script", choices=["dqpop", "return1"], default="dqpop")
    ap.add_argument("--pipeline", type=int, default=1)
    ap.add_argument("--requests", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--ports", default="7660,7661")
    ap.add_argument("--postbox-cmd", default=POSTBOX_COMMAND)
    a = ap.parse_args()
    pb_port, redis_port = (int(p) for p in a.ports.split(","))
    script, keys, args = (DQ_POP, ["dq"], [NOW]) if a.script == "dqpop" else ("return 1", [], [])
    warm = [(16, 300_000), (1, 100_000)]
    due = sum(n for _, n in warm) + a.runs * a.requests + 10_000
    sha = hashlib.sha1(script.encode()).hexdigest()
    tick_ns = 1e9 / os.sysconf("SC_CLK_TCK")
    top = tempfile.mkdtemp(prefix="script-cpu-")
    servers = []
    try:
        for name, port, command in (
                ("postbox", pb_port, postbox_command(a.postbox_cmd, a.jar) + ["--port", str(pb_port)]),
                ("redis", redis_port, ["redis-server", "--port", str(redis_port)])):
            workdir = os.path.join(top, name)
            os.makedirs(workdir)
            proc = start(command + ["--save", "", "--dir", workdir], port, workdir)
            servers.append((name, port, proc))
            client = redis.Redis(port=port)
            if a.script == "dqpop":
                client.eval(FILL, 1, "dq", due)
            client.script_load(script)
            for pipeline, requests in warm:
                bench(port, sha, keys, args, pipeline, requests)
        cpu = {name: [] for name, _, _ in servers}
        ops = {name: [] for name, _, _ in servers}
        for run in range(1, a.runs + 1):
            for name, port, proc in servers:
                before = cpu_ticks(proc.pid)
                rps = bench(port, sha, keys, args, a.pipeline, a.requests)
                per_request = (cpu_ticks(proc.pid) - before) * tick_ns / a.requests / 1000
                cpu[name].append(per_request)
                ops[name].append(rps)
                print(f"run {run} {name:8s} {rps:10,.0f} ops/s  {per_request:6.2f} us CPU/request", flush=True)
        print(f"== {a.script} -P {a.pipeline}, medians of {a.runs} runs")
        for name in cpu:
            print(f"{name:8s} {statistics.median(ops[name]):10,.0f} ops/s  {statistics.median(cpu[name]):6.2f} us CPU/request")
        print("postbox/redis: ops %.3f, CPU per request %.3f" % (
            statistics.median(ops["postbox"]) / statistics.median(ops["redis"]),
            statistics.median(cpu["postbox"]) / statistics.median(cpu["redis"])))
    finally:
        for _, port, proc in servers:
            stop(proc, port)
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    main()
