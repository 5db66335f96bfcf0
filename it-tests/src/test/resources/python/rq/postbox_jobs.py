"""RQ job functions for RqTest. The test copies this module into a temporary directory, where the
worker and rq_client.py import it. Every job records each run in a Redis list under "runs:" so the
test can count executions from outside; the worker's connection is the job's.
"""
import time

from rq import get_current_job


def record(name, value):
    get_current_job().connection.rpush('runs:' + name, value)


def square(i):
    record('square', i)
    return i * i


def boom(message):
    record('boom:' + message, 1)
    raise ValueError(message)


def clock():
    record('clock', 1)
    return time.time()
