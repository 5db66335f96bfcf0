"""The FIFO queue with several consumers, as redis-py users write it: producer processes LPUSH in
non-transactional pipelines, consumer processes BRPOP. Every message must arrive exactly once, and
since each pop takes the oldest message, each consumer sees each producer's messages in order.

usage: fifo_consumers.py PORT PRODUCERS CONSUMERS MESSAGES_PER_PRODUCER
       -> prints "received=<n> duplicates=<n> lost=<n> out-of-order=<n> busy-consumers=<n>"
"""
import multiprocessing
import sys
import time

import redis

QUEUE = 'fifo'
STOP = b'stop'


def produce(port, producer, messages):
    r = redis.Redis(host='127.0.0.1', port=port)
    with r.pipeline(transaction=False) as pipe:
        for i in range(messages):
            pipe.lpush(QUEUE, '%d:%d' % (producer, i))
            if i % 50 == 49:
                replies = pipe.execute()
                assert all(isinstance(n, int) and n > 0 for n in replies), replies
        pipe.execute()


def consume(port, results):
    r = redis.Redis(host='127.0.0.1', port=port)
    received = []
    while True:
        popped = r.brpop(QUEUE, timeout=10)
        assert popped is not None, 'queue stayed empty for 10 s before the stop message'
        key, message = popped
        assert key == QUEUE.encode(), key
        if message == STOP:
            break
        received.append(message.decode())
    results.put(received)


def main():
    port, producers, consumers, messages = (int(arg) for arg in sys.argv[1:5])
    r = redis.Redis(host='127.0.0.1', port=port)
    r.delete(QUEUE)
    results = multiprocessing.Queue()
    consumer_processes = [multiprocessing.Process(target=consume, args=(port, results)) for _ in range(consumers)]
    for c in consumer_processes:
        c.start()
    # Every consumer waits in BRPOP before the first push, so each is served at least once.
    while r.info('clients')['blocked_clients'] < consumers:
        time.sleep(0.01)
    producer_processes = [multiprocessing.Process(target=produce, args=(port, p, messages)) for p in range(producers)]
    for p in producer_processes:
        p.start()
    for p in producer_processes:
        p.join()
        if p.exitcode != 0:
            sys.exit('producer failed with exit code %d' % p.exitcode)
    # Queued behind every message, so each consumer stops only once the queue has drained.
    r.lpush(QUEUE, *[STOP] * consumers)
    per_consumer = [results.get(timeout=60) for _ in range(consumers)]
    for c in consumer_processes:
        c.join()
        if c.exitcode != 0:
            sys.exit('consumer failed with exit code %d' % c.exitcode)

    everything = [m for received in per_consumer for m in received]
    expected = {'%d:%d' % (p, i) for p in range(producers) for i in range(messages)}
    out_of_order = 0
    for received in per_consumer:
        last = {}
        for message in received:
            producer, i = (int(part) for part in message.split(':'))
            if i <= last.get(producer, -1):
                out_of_order += 1
            last[producer] = i
    print('received=%d duplicates=%d lost=%d out-of-order=%d busy-consumers=%d' % (
        len(everything), len(everything) - len(set(everything)), len(expected - set(everything)),
        out_of_order, sum(1 for received in per_consumer if received)))
    assert r.exists(QUEUE) == 0


if __name__ == '__main__':
    main()
