#!/usr/bin/env python3
"""Writes BullMQ-shaped state for N queues as a RESP stream for `redis-cli --pipe`.

Queue q<i> holds up to 100k jobs: every 100th queue 100,000 waiting jobs, the others a few
hundred, spread over wait, active, delayed, prioritized, failed and completed, with the job
hashes of each list tail (what the exporter reads for the oldest waiting age). Deterministic.
usage: populate.py PREFIX QUEUES | redis-cli -p PORT --pipe
"""
import sys
import time

def cmd(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)

def main():
    prefix, queues = sys.argv[1], int(sys.argv[2])
    w = sys.stdout.buffer
    now = int(time.time() * 1000)
    for i in range(queues):
        k = f"{prefix}:q{i}:"
        waiting = 100_000 if i % 100 == 0 else 100 + (i % 50) * 8
        w.write(cmd("HSET", k + "meta", "opts.maxLenEvents", 10000, "version", "bullmq:6.7.0"))
        for start in range(0, waiting, 1000):
            ids = [str(j) for j in range(start + 1, min(waiting, start + 1000) + 1)]
            w.write(cmd("LPUSH", k + "wait", *ids))
        w.write(cmd("HSET", k + "1", "name", "job", "timestamp", now - 60_000, "delay", 0))
        w.write(cmd("RPUSH", k + "active", *[f"a{j}" for j in range(1 + i % 3)]))
        for name, n in (("delayed", i % 7), ("prioritized", i % 5), ("failed", i % 11),
                        ("completed", 20 + i % 13)):
            if n:
                args = []
                for j in range(n):
                    args += [j, f"{name[0]}{j}"]
                w.write(cmd("ZADD", k + name, *args))
        w.write(cmd("SET", k + "id", waiting + 100))
        w.write(cmd("HSET", k + "metrics:completed", "count", 20 + i % 13, "prevTS", now, "prevCount", 0))
    w.flush()

main()
