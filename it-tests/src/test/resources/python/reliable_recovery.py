"""The reliable queue, as redis-py users write it: consumers move each message from q:pending to
q:processing with BLMOVE and acknowledge it with LREM once done. One consumer process takes a message
with LMOVE and dies without acknowledging it; a reaper moves messages that stay in q:processing too
long back to q:pending. Every message must be done exactly once, the dead consumer's included.

usage: reliable_recovery.py PORT CONSUMERS MESSAGES
       -> prints "done=<n> duplicates=<n> lost=<n> reaped=<messages> pending=<n> processing=<n>"
"""
import multiprocessing
import os
import sys
import time

import redis

PENDING = 'q:pending'
PROCESSING = 'q:processing'
DONE = 'q:done'
STALE_SECONDS = 3.0


def die_holding_one(port):
    r = redis.Redis(host='127.0.0.1', port=port)
    r.lmove(PENDING, PROCESSING, 'RIGHT', 'LEFT')
    os._exit(3)


def consume(port, messages):
    r = redis.Redis(host='127.0.0.1', port=port)
    while r.llen(DONE) < messages:
        message = r.blmove(PENDING, PROCESSING, 0.2, 'RIGHT', 'LEFT')
        if message is None:
            continue
        r.rpush(DONE, message)
        assert r.lrem(PROCESSING, 1, message) == 1, 'acknowledged a message the reaper took back'


def reap(r, first_seen, reaped):
    """Moves back what has been in q:processing for longer than STALE_SECONDS."""
    now = time.monotonic()
    present = set(r.lrange(PROCESSING, 0, -1))
    for message in present:
        first_seen.setdefault(message, now)
        if now - first_seen[message] > STALE_SECONDS and r.lrem(PROCESSING, 1, message) == 1:
            # RPUSH: the consumers pop from the right, so it is the next to go out.
            r.rpush(PENDING, message)
            reaped.append(message.decode())
            del first_seen[message]
    for message in list(first_seen):
        if message not in present:
            del first_seen[message]


def main():
    port, consumers, messages = (int(arg) for arg in sys.argv[1:4])
    r = redis.Redis(host='127.0.0.1', port=port)
    r.delete(PENDING, PROCESSING, DONE)
    with r.pipeline(transaction=False) as pipe:
        for i in range(messages):
            pipe.lpush(PENDING, 'message-%d' % i)
        pipe.execute()

    doomed = multiprocessing.Process(target=die_holding_one, args=(port,))
    doomed.start()
    doomed.join()
    assert doomed.exitcode == 3, doomed.exitcode
    assert r.lrange(PROCESSING, 0, -1) == [b'message-0'], r.lrange(PROCESSING, 0, -1)

    workers = [multiprocessing.Process(target=consume, args=(port, messages)) for _ in range(consumers)]
    for w in workers:
        w.start()
    first_seen, reaped = {}, []
    deadline = time.monotonic() + 60
    while r.llen(DONE) < messages and time.monotonic() < deadline:
        reap(r, first_seen, reaped)
        time.sleep(0.1)
    for w in workers:
        w.join(timeout=30)
        if w.exitcode != 0:
            sys.exit('consumer failed with exit code %s' % w.exitcode)

    done = [m.decode() for m in r.lrange(DONE, 0, -1)]
    expected = {'message-%d' % i for i in range(messages)}
    print('done=%d duplicates=%d lost=%d reaped=%s pending=%d processing=%d' % (
        len(done), len(done) - len(set(done)), len(expected - set(done)), ','.join(reaped),
        r.llen(PENDING), r.llen(PROCESSING)))


if __name__ == '__main__':
    main()
