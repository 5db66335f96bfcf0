#!/usr/bin/python3
"""SAVE and BGSAVE write time, Postbox next to redis-server on the same dump, in alternating rounds
(noisy machine: read the ratios of the medians).

  /usr/bin/python3 it-tests/bench/save_bench.py --dump dump.rdb --jar a.jar [--jar b.jar] [--rounds 3]
      [--saves 3] [--ports 7650,7651] [--postbox-cmd 'env JAVA_OPTS=-XX:+UseZGC POSTBOX_JAR={jar} {launcher}']

Per round: redis-server, then each jar, each started afresh on its own copy of --dump with --save '';
then --saves times a SAVE (the command's round trip) and a BGSAVE (from the command to its file renamed
over dump.rdb, watched on disk every 1 ms), nothing else running. The first SAVE and
BGSAVE after a start are reported apart ("first": a JVM still compiling). Prints per-run lines, then
medians and their ratios to redis-server. No client load: this measures how fast the file is written.
--postbox-cmd is how a jar is started ({jar} is replaced by the jar, {launcher} by the repository's
postbox-server); by default as the README starts it, through the launcher and its startup cache.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time
import redis
from bench_servers import POSTBOX_COMMAND, postbox_command, start, stop


def timed_save(c):
    t = time.perf_counter()
    c.save()
    return time.perf_counter() - t


def timed_bgsave(c, dump):
    """From the command to the new file renamed over `dump`, watched on disk: asking the server
    (INFO) every few ms would be client traffic during the save, and Redis notices its child's end
    only at its next cron tick."""
    before = os.stat(dump).st_ino
    t = time.perf_counter()
    c.bgsave()
    while os.stat(dump).st_ino == before:
        time.sleep(0.001)
    seconds = time.perf_counter() - t
    while c.info("persistence")["rdb_bgsave_in_progress"]:
        time.sleep(0.01)
    status = c.info("persistence")["rdb_last_bgsave_status"]
    if status != "ok":
        sys.exit(f"BGSAVE failed: {status}")
    return seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", required=True)
    ap.add_argument("--jar", action="append", default=[])
    ap.add_argument("--postbox-cmd", default=POSTBOX_COMMAND)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--saves", type=int, default=3)
    ap.add_argument("--ports", default="7650,7651")
    a = ap.parse_args()
    redis_port, pb_port = (int(p) for p in a.ports.split(","))
    top = tempfile.mkdtemp(prefix="save-bench-")
    results = {}
    try:
        for rnd in range(1, a.rounds + 1):
            print(f"== round {rnd} load {os.getloadavg()[0]:.2f}", flush=True)
            for name, jar in [("redis", None)] + [(os.path.basename(j), j) for j in a.jar]:
                d = os.path.join(top, f"{name}-{rnd}")
                os.makedirs(d)
                shutil.copy(a.dump, os.path.join(d, "dump.rdb"))
                port = pb_port if jar else redis_port
                if jar:
                    command = postbox_command(a.postbox_cmd, jar)
                else:
                    command = ["redis-server"]
                proc = start(command + ["--port", str(port), "--save", "", "--dir", d], port, d)
                c = redis.Redis(port=port)
                try:
                    for s in range(a.saves):
                        kind = "first" if s == 0 else "later"
                        for what, run in (("save", timed_save),
                                          ("bgsave", lambda c: timed_bgsave(c, os.path.join(d, "dump.rdb")))):
                            seconds = run(c)
                            results.setdefault((name, what, kind), []).append(seconds)
                            print(f"{name:12s} {what:6s} {kind:5s} {seconds:.3f}s", flush=True)
                finally:
                    stop(proc, port)
                shutil.rmtree(d)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    print("== medians (ratio to redis)")
    for (name, what, kind), times in results.items():
        med = statistics.median(times)
        ref = results.get(("redis", what, kind))
        ratio = f" x{med / statistics.median(ref):.2f}" if ref and name != "redis" else ""
        print(f"{name:12s} {what:6s} {kind:5s} n={len(times)} median {med:.3f}s "
              f"(min {min(times):.3f}){ratio}")


if __name__ == "__main__":
    main()
