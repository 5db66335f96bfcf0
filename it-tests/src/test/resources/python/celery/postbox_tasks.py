"""Celery tasks for CeleryTest, with Postbox (or the reference Redis) as broker and result backend.

The test copies this module into a temporary directory and runs a real worker on it. Every task
records each run in a Redis list under "runs:", so the test can count executions from outside.

Environment: BROKER_URL (redis://host:port/0) and VISIBILITY_TIMEOUT (seconds).
"""
import os
import time

import redis
from celery import Celery

URL = os.environ['BROKER_URL']
VISIBILITY_TIMEOUT = float(os.environ['VISIBILITY_TIMEOUT'])

app = Celery('postbox_tasks', broker=URL, backend=URL)
app.conf.update(
    broker_transport_options={'visibility_timeout': VISIBILITY_TIMEOUT},
    # Acknowledged only when the task has run, so a task whose worker dies stays unacked.
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=False,
    task_default_retry_delay=0.2,
)
store = redis.Redis.from_url(URL)


def record(name, value):
    store.rpush('runs:' + name, value)


@app.task
def add(x, y):
    record('add', '%d+%d' % (x, y))
    return x + y


@app.task
def sequence(i):
    record('sequence', i)
    return i


@app.task
def clock():
    record('clock', 1)
    return time.time()


@app.task(bind=True, max_retries=5)
def flaky(self, succeed_on):
    """Fails (and asks Celery to retry) until its run number reaches succeed_on."""
    attempt = store.incr('attempts:flaky')
    record('flaky', attempt)
    if attempt < succeed_on:
        raise self.retry(countdown=0.2)
    return attempt


@app.task
def fail(message):
    record('fail', message)
    raise ValueError(message)


@app.task
def total(values):
    record('total', len(values))
    return sum(values)


@app.task(bind=True)
def slow(self, seconds):
    """Sleeps on its first run (the test kills the worker meanwhile) and returns at once when redelivered."""
    attempt = store.incr('attempts:slow')
    record('slow', attempt)
    if attempt == 1:
        time.sleep(seconds)
    return [attempt, bool(self.request.delivery_info.get('redelivered'))]
