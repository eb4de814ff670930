#!/usr/bin/env python3
"""Writes BullMQ-shaped state for N queues as a RESP stream for `redis-cli --pipe`.

Queue q<i> holds up to 100k jobs: every 100th queue 100,000 waiting jobs, the others a few
hundred, spread over wait, active, delayed, prioritized, failed and completed, with the job
hashes of each list tail (what the exporter reads for the oldest waiting age). Deterministic.
usage: populate.py PREFIX QUEUES | redis-cli -p PORT --pipe
       populate.py --cluster PORT PREFIX QUEUES
  --cluster: the queues are named {q<i>} (one hash tag each, so they spread over the masters);
  each master of the cluster reached on PORT gets its own queues through its own redis-cli --pipe.
"""
import subprocess
import sys
import time

def cmd(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)

def queue_state(prefix, queue, i, now):
    """The commands that make queue number i (named `queue`)."""
    k = f"{prefix}:{queue}:"
    waiting = 100_000 if i % 100 == 0 else 100 + (i % 50) * 8
    out = [cmd("HSET", k + "meta", "opts.maxLenEvents", 10000, "version", "bullmq:6.7.0")]
    for start in range(0, waiting, 1000):
        ids = [str(j) for j in range(start + 1, min(waiting, start + 1000) + 1)]
        out.append(cmd("LPUSH", k + "wait", *ids))
    out.append(cmd("HSET", k + "1", "name", "job", "timestamp", now - 60_000, "delay", 0))
    out.append(cmd("RPUSH", k + "active", *[f"a{j}" for j in range(1 + i % 3)]))
    for name, n in (("delayed", i % 7), ("prioritized", i % 5), ("failed", i % 11),
                    ("completed", 20 + i % 13)):
        if n:
            args = []
            for j in range(n):
                args += [j, f"{name[0]}{j}"]
            out.append(cmd("ZADD", k + name, *args))
    out.append(cmd("SET", k + "id", waiting + 100))
    out.append(cmd("HSET", k + "metrics:completed", "count", 20 + i % 13, "prevTS", now,
                   "prevCount", 0))
    return b"".join(out)

def key_slot(tag):
    """Redis Cluster's slot of a hash tag: CRC16 (XMODEM) mod 16384."""
    crc = 0
    for byte in tag.encode():
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc % 16384

def masters_by_slot(port):
    """slot -> master port, from CLUSTER NODES of the node on `port`."""
    out = subprocess.run(["redis-cli", "-p", str(port), "cluster", "nodes"], check=True,
                         capture_output=True, text=True, timeout=30).stdout
    owner = {}
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 9 or "master" not in fields[2].split(","):
            continue
        node_port = int(fields[1].split("@")[0].rsplit(":", 1)[1])
        for r in fields[8:]:
            if r.startswith("["):
                continue  # a slot being migrated
            lo, _, hi = r.partition("-")
            for s in range(int(lo), int(hi or lo) + 1):
                owner[s] = node_port
    return owner

def fill_cluster(port, prefix, queues, now):
    owner = masters_by_slot(port)
    streams = {}
    for i in range(queues):
        streams.setdefault(owner[key_slot(f"q{i}")], []).append(
            queue_state(prefix, f"{{q{i}}}", i, now))
    for node_port, chunks in sorted(streams.items()):
        subprocess.run(["redis-cli", "-p", str(node_port), "--pipe"], input=b"".join(chunks),
                       check=True, stdout=subprocess.DEVNULL, timeout=300)
        print(f"master {node_port}: {len(chunks)} queues")

def main():
    now = int(time.time() * 1000)
    if sys.argv[1] == "--cluster":
        fill_cluster(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), now)
        return
    prefix, queues = sys.argv[1], int(sys.argv[2])
    w = sys.stdout.buffer
    for i in range(queues):
        w.write(queue_state(prefix, f"q{i}", i, now))
    w.flush()

main()
