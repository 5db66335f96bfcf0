# redis-py's register_script (EVALSHA, falling back to EVAL on NOSCRIPT) running the delayed-queue pop.
import sys
import redis

port, script_path = int(sys.argv[1]), sys.argv[2]
r = redis.Redis(port=port)
r.script_flush()
r.zadd('pydq', {'due': 100, 'later': 300})
pop = r.register_script(open(script_path).read())
first = pop(keys=['pydq'], args=[200])
second = pop(keys=['pydq'], args=[200])
print('first=%s second=%s left=%s' % ([m.decode() for m in first], second, [m.decode() for m in r.zrange('pydq', 0, -1)]))
