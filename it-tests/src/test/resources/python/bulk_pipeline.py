"""Bulk enqueue as redis-py users write it: one pipeline of COUNT LPUSH, sent whole by execute()
before any reply is read. Prints how many replies came back and the list's length after."""
import sys

import redis

port, count = int(sys.argv[1]), int(sys.argv[2])
r = redis.Redis(port=port, socket_timeout=60)
r.delete("bulk")
pipe = r.pipeline(transaction=False)
for i in range(count):
    pipe.lpush("bulk", "message-%08d" % i + "x" * 20)
replies = pipe.execute()
in_order = replies == list(range(1, count + 1))
print("replies=%d in-order=%s llen=%d" % (len(replies), in_order, r.llen("bulk")))
