"""Starting and stopping the servers a benchmark compares (Postbox jars, redis-server), shared by the
benchmark scripts beside this file."""
import os, shlex, subprocess, sys, time
import redis

LAUNCHER = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "postbox-server"))
# How the benchmarks start a Postbox jar by default: as the README does, through the launcher and the
# JVM startup cache it keeps beside the jar. JVM flags go in JAVA_OPTS: 'env JAVA_OPTS=... ' + this.
POSTBOX_COMMAND = "env POSTBOX_JAR={jar} {launcher}"


def postbox_command(template, jar):
    """A --postbox-cmd template as an argument list: {jar} is the jar's absolute path, {launcher} postbox-server."""
    return shlex.split(template.format(jar=os.path.abspath(jar), launcher=LAUNCHER))


def start(command, port, workdir):
    """Starts `command` in `workdir` (its output in server.log there) and returns once it answers PING."""
    log = open(os.path.join(workdir, "server.log"), "w")
    proc = subprocess.Popen(command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    client = redis.Redis(port=port)
    while True:
        try:
            if client.ping():
                return proc
        except (redis.exceptions.ConnectionError, redis.exceptions.BusyLoadingError):
            if proc.poll() is not None:
                sys.exit(f"server on port {port} did not start; see {workdir}/server.log")
            time.sleep(0.05)


def stop(proc, port):
    """SHUTDOWN NOSAVE, then waits for the process."""
    try:
        redis.Redis(port=port).shutdown(nosave=True)
    except redis.exceptions.ConnectionError:
        pass
    proc.wait(60)


def rss_bytes(pid):
    """The resident set of process `pid` (VmRSS), 0 once it has gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
