"""The producer side of CeleryTest: submits tasks to postbox_tasks and prints what came back.

usage: celery_client.py all       -> one "name: value" line per check
       celery_client.py submit-slow SECONDS  -> prints the task id
       celery_client.py wait TASK_ID SECONDS -> prints "result: <value>"
"""
import sys
import time
from datetime import datetime, timedelta, timezone

from celery import chord, group
from celery.result import AsyncResult

import postbox_tasks as tasks

TIMEOUT = 30


def run_all():
    submitted = time.time()
    countdown = tasks.clock.apply_async(countdown=2)
    eta = tasks.clock.apply_async(eta=datetime.now(timezone.utc) + timedelta(seconds=3))
    sums = [tasks.add.delay(i, 10 * i) for i in range(10)]
    sequence = [tasks.sequence.delay(i) for i in range(20)]
    flaky = tasks.flaky.delay(3)
    failing = tasks.fail.delay('kaput')
    grouped = group(tasks.add.s(i, i) for i in range(100, 105))()
    chorded = chord((tasks.add.s(i, 1000) for i in range(4)), tasks.total.s())()

    print('sums:', [r.get(timeout=TIMEOUT) for r in sums])
    print('sequence:', [r.get(timeout=TIMEOUT) for r in sequence])
    print('flaky:', flaky.get(timeout=TIMEOUT), flaky.state)
    failing_value = failing.get(timeout=TIMEOUT, propagate=False)
    print('fail:', failing.state, type(failing_value).__name__, failing_value)
    print('group:', grouped.get(timeout=TIMEOUT))
    print('chord:', chorded.get(timeout=TIMEOUT))
    # The worker and this process share the machine's clock.
    print('countdown waited at least 2 s:', countdown.get(timeout=TIMEOUT) - submitted >= 2)
    print('eta waited at least 3 s:', eta.get(timeout=TIMEOUT) - submitted >= 3)
    # Remote control: a broadcast over the fanout exchange (pub/sub), answered through a reply queue.
    # Waits for the first answer (the one worker), up to 10 s on a slow machine.
    replies = tasks.app.control.ping(timeout=10.0, limit=1)
    print('control ping:', [reply for answer in replies for reply in answer.values()])


def main():
    command = sys.argv[1]
    if command == 'all':
        run_all()
    elif command == 'submit-slow':
        print(tasks.slow.delay(float(sys.argv[2])).id)
    elif command == 'wait':
        print('result:', AsyncResult(sys.argv[2], app=tasks.app).get(timeout=float(sys.argv[3])))
    else:
        raise SystemExit('unknown command ' + command)


if __name__ == '__main__':
    main()
