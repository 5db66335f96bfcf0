"""Optimistic locking under contention: several processes increment one counter with redis-py's
transactional pipeline and a WATCH retry loop. Every increment must land exactly once.

usage: watch_retry.py PORT PROCESSES INCREMENTS  -> prints "counter=<n> log=<n> retries=<n>"
"""
import multiprocessing
import sys

import redis


def work(port, worker, increments, retries):
    r = redis.Redis(host='127.0.0.1', port=port)
    for i in range(increments):
        with r.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch('counter')
                    value = int(pipe.get('counter') or 0)
                    pipe.multi()
                    pipe.set('counter', value + 1)
                    pipe.rpush('log', '%d-%d' % (worker, i))
                    pipe.execute()
                    break
                except redis.WatchError:
                    with retries.get_lock():
                        retries.value += 1


def main():
    port, processes, increments = (int(arg) for arg in sys.argv[1:4])
    r = redis.Redis(host='127.0.0.1', port=port)
    r.delete('counter', 'log')
    retries = multiprocessing.Value('i', 0)
    workers = [multiprocessing.Process(target=work, args=(port, w, increments, retries))
               for w in range(processes)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
        if w.exitcode != 0:
            sys.exit('worker failed with exit code %d' % w.exitcode)
    print('counter=%s log=%d retries=%d' % (int(r.get('counter')), r.llen('log'), retries.value))


if __name__ == '__main__':
    main()
