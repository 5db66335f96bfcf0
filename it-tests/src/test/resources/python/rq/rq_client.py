"""The producer side of RqTest: enqueues postbox_jobs and reads back what the worker did.

usage: rq_client.py PORT enqueue            -> enqueues the burst scenario, saves the job ids
       rq_client.py PORT report             -> one "name: value" line per check of the burst scenario
       rq_client.py PORT schedule SECONDS   -> enqueue_in(SECONDS), saves the id and the due time
       rq_client.py PORT await-scheduled T  -> waits up to T s for the scheduled job, then reports it
"""
import json
import sys
import time
from datetime import timedelta

from redis import Redis
from rq import Queue, Retry
from rq.job import Job
from rq.registry import FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry

import postbox_jobs

connection = Redis(host='127.0.0.1', port=int(sys.argv[1]))
queue = Queue('default', connection=connection)


def save(name, value):
    connection.set('test:' + name, json.dumps(value))


def load(name):
    return json.loads(connection.get('test:' + name))


def enqueue():
    squares = [queue.enqueue(postbox_jobs.square, i).id for i in range(10)]
    failing = queue.enqueue(postbox_jobs.boom, 'kaput').id
    retried = queue.enqueue(postbox_jobs.boom, 'again', retry=Retry(max=2)).id
    # Due long after the burst worker has quit: it must stay scheduled and not run.
    later = queue.enqueue_in(timedelta(seconds=600), postbox_jobs.clock).id
    save('burst', {'squares': squares, 'failing': failing, 'retried': retried, 'later': later})
    print('queued:', len(queue), 'position of the second:', queue.get_job_position(squares[1]))


def report():
    ids = load('burst')
    squares = [Job.fetch(i, connection=connection) for i in ids['squares']]
    print('square statuses:', sorted({job.get_status() for job in squares}))
    print('square results:', [job.return_value() for job in squares])
    failing = Job.fetch(ids['failing'], connection=connection)
    print('failing:', failing.get_status(), failing.exc_info.strip().splitlines()[-1])
    retried = Job.fetch(ids['retried'], connection=connection)
    print('retried:', retried.get_status(), 'retries left', retried.retries_left)
    print('later:', Job.fetch(ids['later'], connection=connection).get_status())
    print('failed registry:', sorted(FailedJobRegistry(queue=queue).get_job_ids()) == sorted([ids['failing'], ids['retried']]))
    print('finished registry:', sorted(FinishedJobRegistry(queue=queue).get_job_ids()) == sorted(ids['squares']))
    print('scheduled registry:', ScheduledJobRegistry(queue=queue).get_job_ids() == [ids['later']])
    print('queue length:', len(queue))


def schedule(seconds):
    due = time.time() + seconds
    job = queue.enqueue_in(timedelta(seconds=seconds), postbox_jobs.clock)
    save('scheduled', {'id': job.id, 'due': due})
    print('scheduled:', job.get_status())


def await_scheduled(timeout):
    ids = load('scheduled')
    job = Job.fetch(ids['id'], connection=connection)
    deadline = time.time() + timeout
    while job.get_status(refresh=True) != 'finished' and time.time() < deadline:
        time.sleep(0.2)
    print('scheduled job:', job.get_status())
    # The worker and this process share the machine's clock. RQ keeps due times in whole seconds
    # (the registry's score is the due time's Unix second), so "due" means from that second on.
    print('ran when due:', job.return_value() >= int(ids['due']))


def main():
    command = sys.argv[2]
    if command == 'enqueue':
        enqueue()
    elif command == 'report':
        report()
    elif command == 'schedule':
        schedule(float(sys.argv[3]))
    elif command == 'await-scheduled':
        await_scheduled(float(sys.argv[3]))
    else:
        raise SystemExit('unknown command ' + command)


if __name__ == '__main__':
    main()
