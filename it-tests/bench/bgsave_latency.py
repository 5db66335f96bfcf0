#!/usr/bin/python3
"""BGSAVE under load, Postbox next to redis-server on the same data, in alternating rounds (noisy machine:
read the medians, and runq_wait, the time the serving thread waited for a CPU during the save).

  /usr/bin/python3 it-tests/bench/bgsave_latency.py --dump dump.rdb --jar before.jar --jar after.jar \
      [--rounds 5] [--saves 3] [--idle 1.0] [--warm 3] [--pace 5] [--ports 7650,7651] \
      [--postbox-cmd 'env JAVA_OPTS=-XX:+UseZGC POSTBOX_JAR={jar} {launcher}']

The dump holds the 10,000,000-element list 'big' (make one with --fill). Per round: redis-server (started
once, on its own copy of the dump) runs --saves BGSAVEs, then each jar is started afresh on a copy of the dump
and runs --saves BGSAVEs (the first after start is reported apart). During each BGSAVE one client runs
LPUSH/RPOP on 'big', the list being saved; its per-command latency (p99.9, max) and the server's resident
memory growth (rss_delta; Redis's child copies are its cow figure) are printed. --idle S adds a run of the
same client for S seconds without a save, polling INFO as a save's run does: the noise floor. --warm S runs
that client and the polling for S seconds before a server's first save (Redis's in the first round only, as
it is started once), reported as "warm": a JVM compiles the request path during its first seconds of
traffic, which the first save after a start otherwise measures too. --pace MS makes the client send one command
every MS milliseconds instead of back to back: a server that is mostly idle when a request comes in
(Postbox's executor then encodes the snapshot without resting; see SnapshotJob).
--postbox-cmd is how a jar is started ({jar} is replaced by the jar, {launcher} by the repository's
postbox-server); by default as the README starts it, through the launcher and its startup cache.
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile, threading, time
import redis
from bench_servers import POSTBOX_COMMAND, postbox_command, rss_bytes, start, stop


BIG_LIST_LENGTH = 10_000_000


def serving_thread(pid):
    for t in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{t}/comm") as f:
            if f.read().strip().startswith("postbox-executo"):
                return t
    return str(pid)


def runq_wait_ns(pid, tid):
    with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
        return int(f.read().split()[1])


def one_save(port, pid, idle=None, pace=0):
    """LPUSH/RPOP on 'big' while a BGSAVE runs (or for `idle` seconds): a dict of figures."""
    r, c = redis.Redis(port=port), redis.Redis(port=port)
    lat, stop, peak, base, tid = [], [False], [0], rss_bytes(pid), serving_thread(pid)

    def sampler():
        while not stop[0]:
            peak[0] = max(peak[0], rss_bytes(pid))
            time.sleep(0.005)

    def worker():
        i, due = 0, time.perf_counter()
        while not stop[0]:
            if pace:
                due += pace / 1000
                time.sleep(max(0, due - time.perf_counter()))
            t = time.perf_counter()
            r.lpush("big", b"m%d" % i) if i % 2 == 0 else r.rpop("big")
            lat.append(time.perf_counter() - t)
            i += 1

    threads = [threading.Thread(target=sampler), threading.Thread(target=worker)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    before, waited, t0 = len(lat), runq_wait_ns(pid, tid), time.time()
    # A save's run and an idle one send the same requests but BGSAVE. A JVM compiles its request path
    # for the commands it has seen: one first seen in the first save would be measured as the save's.
    if idle:
        while time.time() - t0 < idle:
            c.info("persistence")
            time.sleep(0.01)
    else:
        c.bgsave()
        while c.info("persistence").get("rdb_bgsave_in_progress"):
            time.sleep(0.01)
    seconds, waited = time.time() - t0, runq_wait_ns(pid, tid) - waited
    info = c.info("persistence")
    stop[0] = True
    for t in threads:
        t.join()
    during = sorted(lat[before:])
    q = lambda f: during[min(len(during) - 1, int(f * len(during)))] * 1000
    return {"seconds": seconds, "ops": len(during), "p99.9": q(0.999), "max": during[-1] * 1000,
            "rss_delta": (peak[0] - base) / 2**20, "cow": info.get("rdb_last_cow_size", 0) / 2**20,
            "runq_wait": waited / 1e6, "status": info["rdb_last_bgsave_status"]}


def require_big_list(port, name):
    """Stops the run if the server did not load the list: saving an empty dataset measures nothing."""
    length = redis.Redis(port=port).llen("big")
    if length < BIG_LIST_LENGTH:
        sys.exit(f"{name} loaded a 'big' list of {length} elements, not {BIG_LIST_LENGTH:,}: is --dump the right file?")


def fill(path, port, workdir):
    proc = start(["redis-server", "--port", str(port), "--save", "", "--dir", workdir], port, workdir)
    r = redis.Redis(port=port)
    for j in range(0, BIG_LIST_LENGTH, 10_000):
        r.rpush("big", *[b"message-%d" % k for k in range(j, j + 10_000)])
    r.save()
    stop(proc, port)
    shutil.copy(os.path.join(workdir, "dump.rdb"), path)


def line(name, kind, m):
    return (f"{name:12s} {kind:5s} bgsave={m['seconds']:.2f}s ops={m['ops']} p99.9={m['p99.9']:.2f}ms "
            f"max={m['max']:.1f}ms rss_delta={m['rss_delta']:.1f}MB cow={m['cow']:.1f}MB "
            f"runq_wait={m['runq_wait']:.0f}ms status={m['status']}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", required=True)
    ap.add_argument("--fill", action="store_true", help="make --dump first (a 10M-element list 'big')")
    ap.add_argument("--jar", action="append", default=[])
    ap.add_argument("--postbox-cmd", default=POSTBOX_COMMAND)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--saves", type=int, default=3)
    ap.add_argument("--idle", type=float, default=0)
    ap.add_argument("--warm", type=float, default=0,
                    help="seconds of the same client, with no save, before a server's first save")
    ap.add_argument("--pace", type=float, default=0, help="milliseconds between the client's commands")
    ap.add_argument("--ports", default="7650,7651")
    a = ap.parse_args()
    redis_port, pb_port = (int(p) for p in a.ports.split(","))
    top = tempfile.mkdtemp(prefix="bgsave-latency-")
    if a.fill:
        fill(a.dump, redis_port, top)
    ref_dir = os.path.join(top, "redis")
    os.makedirs(ref_dir)
    # Servers load dump.rdb from --dir whatever --dump is called: copied under that name.
    shutil.copy(a.dump, os.path.join(ref_dir, "dump.rdb"))
    ref = start(["redis-server", "--port", str(redis_port), "--save", "", "--dir", ref_dir], redis_port, ref_dir)
    results, proc = {}, None
    try:
        require_big_list(redis_port, "redis-server")
        for rnd in range(1, a.rounds + 1):
            print(f"== round {rnd} load {os.getloadavg()[0]:.2f}", flush=True)
            runs = [("redis", ref.pid, redis_port, None)] + [(os.path.basename(j), None, pb_port, j) for j in a.jar]
            for name, pid, port, jar in runs:
                proc = None
                if jar:
                    d = os.path.join(top, f"{name}-{rnd}")
                    os.makedirs(d)
                    shutil.copy(a.dump, os.path.join(d, "dump.rdb"))
                    command = postbox_command(a.postbox_cmd, jar) + ["--port", str(port), "--save", "", "--dir", d]
                    proc = start(command, port, d)
                    pid = proc.pid
                    require_big_list(port, name)
                    time.sleep(1)
                if a.warm and (jar or rnd == 1):
                    m = one_save(port, pid, a.warm, a.pace)
                    results.setdefault((name, "warm"), []).append(m)
                    print(line(name, "warm", m), flush=True)
                for s in range(a.saves):
                    kind = "first" if jar and s == 0 else "later"
                    m = one_save(port, pid, pace=a.pace)
                    results.setdefault((name, kind), []).append(m)
                    print(line(name, kind, m), flush=True)
                if a.idle:
                    m = one_save(port, pid, a.idle, a.pace)
                    results.setdefault((name, "idle"), []).append(m)
                    print(line(name, "idle", m), flush=True)
                if proc:
                    stop(proc, port)
                    shutil.rmtree(d)
    finally:
        if proc and proc.poll() is None:  # a run cut short: its Postbox still runs
            stop(proc, pb_port)
        stop(ref, redis_port)
        # A copy of the dump per server started: ~100 MB a round for the 10M-element list.
        shutil.rmtree(top, ignore_errors=True)
    print("== medians (worst)")
    for (name, kind), ms in results.items():
        med = lambda k: statistics.median(m[k] for m in ms)
        print(f"{name:12s} {kind:5s} n={len(ms)} p99.9 {med('p99.9'):.2f}ms max {med('max'):.1f}ms "
              f"(worst {max(m['max'] for m in ms):.1f}) rss_delta {med('rss_delta'):.1f}MB cow {med('cow'):.1f}MB "
              f"bgsave {med('seconds'):.2f}s runq_wait {med('runq_wait'):.0f}ms")


if __name__ == "__main__":
    main()
