#!/usr/bin/python3
"""A remote backup with `redis-cli --rdb`, Postbox next to redis-server holding the same keys (noisy: read
the ratios).

  /usr/bin/python3 it-tests/bench/backup_bench.py --jar server/target/postbox.jar [--keys 4000000]
      [--rounds 3] [--ports 7690,7691] [--work /tmp/backup-bench] [--postbox-cmd 'env POSTBOX_JAR={jar} {launcher}']

Both servers are filled with DEBUG POPULATE <keys> key 50. Then, in rounds, `redis-cli --rdb` runs
against redis-server in three configurations and against Postbox, and each run's wall time (from the
start of redis-cli to the file complete) and file size are printed:
- redis default: repl-diskless-sync yes, with its repl-diskless-sync-delay of 5 s;
- redis delay 0: repl-diskless-sync yes, repl-diskless-sync-delay 0 (the snapshot streamed at once);
- redis disk: repl-diskless-sync no (a BGSAVE to dump.rdb, then the file), which is what Postbox does.
The ratios are Postbox / each configuration, per round and for the medians.
No assertion is made on speed; this prints numbers.
"""
import argparse, os, shutil, statistics, subprocess, time
import redis
from bench_servers import POSTBOX_COMMAND, postbox_command, start, stop

REDIS_CONFIGS = {
    "redis default": {"repl-diskless-sync": "yes", "repl-diskless-sync-delay": "5"},
    "redis delay 0": {"repl-diskless-sync": "yes", "repl-diskless-sync-delay": "0"},
    "redis disk": {"repl-diskless-sync": "no"},
}


def backup(port, target):
    """Seconds `redis-cli --rdb` takes, and the size of the file it wrote."""
    if os.path.exists(target):
        os.remove(target)
    started = time.monotonic()
    done = subprocess.run(["redis-cli", "-p", str(port), "--rdb", target], capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"redis-cli --rdb on port {port} failed: {done.stdout}{done.stderr}")
    return seconds, os.path.getsize(target)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", default="server/target/postbox.jar")
    parser.add_argument("--keys", type=int, default=4_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ports", default="7690,7691")
    parser.add_argument("--work", default="/tmp/backup-bench")
    parser.add_argument("--postbox-cmd", default=POSTBOX_COMMAND)
    args = parser.parse_args()
    redis_port, postbox_port = (int(p) for p in args.ports.split(","))
    shutil.rmtree(args.work, ignore_errors=True)
    dirs = {name: os.path.join(args.work, name) for name in ("redis", "postbox")}
    for path in dirs.values():
        os.makedirs(path)
    common = ["--save", "", "--enable-debug-command", "yes"]
    servers = {
        "redis": (start(["redis-server", "--port", str(redis_port)] + common, redis_port, dirs["redis"]), redis_port),
        "postbox": (start(postbox_command(args.postbox_cmd, args.jar) + ["--port", str(postbox_port)] + common,
                          postbox_port, dirs["postbox"]), postbox_port),
    }
    try:
        for proc, port in servers.values():
            redis.Redis(port=port).execute_command("DEBUG", "POPULATE", args.keys, "key", 50)
        target = os.path.join(args.work, "backup.rdb")
        times = {name: [] for name in list(REDIS_CONFIGS) + ["postbox"]}
        client = redis.Redis(port=redis_port)
        for n in range(args.rounds):
            for name, settings in REDIS_CONFIGS.items():
                for key, value in settings.items():
                    client.config_set(key, value)
                seconds, size = backup(redis_port, target)
                times[name].append(seconds)
                print(f"round {n + 1}: {name:13} {seconds:.2f} s, {size / 1e6:.1f} MB", flush=True)
            seconds, size = backup(postbox_port, target)
            times["postbox"].append(seconds)
            print(f"round {n + 1}: {'postbox':13} {seconds:.2f} s, {size / 1e6:.1f} MB", flush=True)
            print(f"round {n + 1}: ratio postbox / " + ", ".join(
                f"{name} {seconds / times[name][-1]:.2f}x" for name in REDIS_CONFIGS), flush=True)
        medians = {name: statistics.median(values) for name, values in times.items()}
        print("median: " + ", ".join(f"{name} {value:.2f} s" for name, value in medians.items()))
        print("median ratio: postbox / " + ", ".join(
            f"{name} {medians['postbox'] / medians[name]:.2f}x" for name in REDIS_CONFIGS))
    finally:
        for proc, port in servers.values():
            stop(proc, port)


if __name__ == "__main__":
    main()
