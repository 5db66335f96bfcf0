"""redis-py's pubsub() with a channel and a pattern subscription: a publisher in another process
sends interleaved messages; the subscriber must receive every one, each stream in publish order.

usage: pubsub_order.py PORT MESSAGES  -> prints "news=<n> sports=<n> in-order"
"""
import multiprocessing
import sys
import time

import redis


def publish(port, messages):
    r = redis.Redis(host='127.0.0.1', port=port)
    for i in range(messages):
        channel = 'news' if i % 2 == 0 else 'news.sports'
        r.publish(channel, 'm%d' % i)
    r.publish('news', 'done')


def main():
    port, messages = int(sys.argv[1]), int(sys.argv[2])
    r = redis.Redis(host='127.0.0.1', port=port)
    p = r.pubsub()
    p.subscribe('news')
    p.psubscribe('news.*')
    confirmations = [p.get_message(timeout=5)['type'] for _ in range(2)]
    assert confirmations == ['subscribe', 'psubscribe'], confirmations
    publisher = multiprocessing.Process(target=publish, args=(port, messages))
    publisher.start()
    news, sports = [], []
    deadline = time.time() + 60
    while time.time() < deadline:
        m = p.get_message(timeout=5)
        if m is None:
            continue
        if m['type'] == 'message':
            assert m['channel'] == b'news', m
            if m['data'] == b'done':
                break
            news.append(int(m['data'][1:]))
        elif m['type'] == 'pmessage':
            assert m['pattern'] == b'news.*' and m['channel'] == b'news.sports', m
            sports.append(int(m['data'][1:]))
    publisher.join()
    assert news == list(range(0, messages, 2)), 'news out of order or incomplete'
    assert sports == list(range(1, messages, 2)), 'pattern messages out of order or incomplete'
    print('news=%d sports=%d in-order' % (len(news), len(sports)))


if __name__ == '__main__':
    main()
