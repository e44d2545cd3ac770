"""Independent peer of core/batch/ShardAssignment, written from docs/scale.md ("How recordings
are assigned"), for tests/core/batch/ShardAssignmentTest.

usage: shard_plan_peer.py IN.json OUT.json
  IN:  {"count": N, "items": [[key, duration_s], ...], "remembered": {key: shard, ...}}
  OUT: {"shards": [shard per item, in the items' order]}

The rule: a recording the remembered plan placed (on a shard below N) keeps it; the others,
longest first (ties by key, byte order), each go to the shard with the least summed duration
(kept loads summed in key order), ties between equally loaded shards going to the highest
rendezvous score splitmix64(fnv1a(key) ^ splitmix64(shard)). An unknown or negative duration
counts as 0.
"""
import json
import math
import sys

M = (1 << 64) - 1


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & M
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M
    return x ^ (x >> 31)


def fnv1a(text):
    h = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & M
    return h


def score(key, shard):
    return splitmix64(fnv1a(key) ^ splitmix64(shard))


def duration(d):
    return d if d is not None and math.isfinite(d) and d > 0 else 0.0


def assign(count, items, remembered):
    load = [0.0] * count
    shard = [None] * len(items)
    pending = []
    for i in sorted(range(len(items)), key=lambda i: items[i][0].encode("utf-8")):
        key, d = items[i]
        kept = remembered.get(key)
        if kept is not None and 0 <= kept < count:
            shard[i] = kept
            load[kept] += duration(d)
        else:
            pending.append(i)
    pending.sort(key=lambda i: -duration(items[i][1]))  # stable: key order among equals
    for i in pending:
        key, d = items[i]
        least = min(load)
        candidates = [j for j in range(count) if load[j] == least]
        shard[i] = max(candidates, key=lambda j: (score(key, j), -j))
        load[shard[i]] += duration(d)
    return shard


def main():
    with open(sys.argv[1]) as f:
        task = json.load(f)
    shards = assign(task["count"], [tuple(x) for x in task["items"]], task.get("remembered", {}))
    with open(sys.argv[2], "w") as f:
        json.dump({"shards": shards}, f)


if __name__ == "__main__":
    main()
