#!/usr/bin/python3
"""Memory after a backlog drains, Postbox next to redis-server: resident set before, with the backlog,
and every 5 s after it was consumed (noisy: read the shape, not the last MB).

  /usr/bin/python3 it-tests/bench/heap_return.py --jar server/target/postbox.jar [--messages 1000000]
      [--size 100] [--seconds 30] [--ports 7660,7661] [--postbox-cmd 'env JAVA_OPTS=... POSTBOX_JAR={jar} {launcher}']

Each server is started afresh on an empty directory (Postbox as the README starts it, through the launcher);
--messages of --size bytes are pushed into 100 lists (RPUSH of 500, pipelined on one connection), then
popped (LPOP with a count), then nothing is sent while VmRSS of the server process is read every 5 s.
Redis's allocator gives freed pages back within seconds; Postbox's heap is given back when the server has
been quiet for a while (HeapReturn). No assertion is made; this prints numbers.
"""
import argparse, os, socket, subprocess, tempfile, time
from bench_servers import POSTBOX_COMMAND, postbox_command, rss_bytes, start, stop

LISTS = 100
PER_COMMAND = 500


def bulk(data):
    return b"$%d\r\n%s\r\n" % (len(data), data)


def send_all(port, commands):
    """Sends the commands pipelined, then a PING, and returns once the PONG is back (all were served)."""
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"".join(commands) + b"*1\r\n$4\r\nPING\r\n")
        tail = b""
        while not tail.endswith(b"+PONG\r\n"):
            chunk = s.recv(1 << 22)
            if not chunk:
                raise ConnectionError("server closed the connection")
            tail = (tail + chunk)[-16:]


def rss_mb(pid):
    return rss_bytes(pid) >> 20


def run(name, command, port, messages, size, seconds):
    pushes = []
    for first in range(0, messages, PER_COMMAND):
        count = min(PER_COMMAND, messages - first)
        key = b"drain:%d" % ((first // PER_COMMAND) % LISTS)
        items = b"".join(bulk(b"%015d" % i + b"x" * max(0, size - 15)) for i in range(first, first + count))
        pushes.append(b"*%d\r\n" % (count + 2) + bulk(b"RPUSH") + bulk(key) + items)
    pops = [b"*3\r\n" + bulk(b"LPOP") + bulk(b"drain:%d" % k) + bulk(b"%d" % messages) for k in range(LISTS)]
    workdir = tempfile.mkdtemp(prefix="heap-return-")
    proc = start(command, port, workdir)
    try:
        pid = proc.pid  # the launcher execs java: the process started is the server
        before = rss_mb(pid)
        send_all(port, pushes)
        full = rss_mb(pid)
        send_all(port, pops)
        after = []
        for _ in range(seconds // 5):
            time.sleep(5)
            after.append(rss_mb(pid))
        print(f"{name:8} RSS MB: started {before}, with the backlog {full}, after it drained (every 5 s) "
              + " ".join(str(mb) for mb in after), flush=True)
    finally:
        stop(proc, port)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="server/target/postbox.jar")
    ap.add_argument("--postbox-cmd", default=POSTBOX_COMMAND)
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--ports", default="7660,7661")
    a = ap.parse_args()
    redis_port, postbox_port = (int(p) for p in a.ports.split(","))
    run("redis", ["redis-server", "--port", str(redis_port), "--save", ""], redis_port, a.messages, a.size,
        a.seconds)
    run("postbox", postbox_command(a.postbox_cmd, a.jar) + ["--port", str(postbox_port), "--save", ""],
        postbox_port, a.messages, a.size, a.seconds)


if __name__ == "__main__":
    main()
