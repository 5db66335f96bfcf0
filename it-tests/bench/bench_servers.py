"""Starting and stopping the servers a benchmark compares (Postbox jars, redis-server), shared by the
benchmark scripts beside this file."""
import os, subprocess, sys, time
import redis


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
