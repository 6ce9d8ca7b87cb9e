"""The peer of `cargo xtask bench ingest`: datasketch's MinHashLSH de-duplicating the
development offers as they arrive (3-word shingles of the title and the description, 128
permutations), timed from reading the files to the last offer placed, and measured against
the same labelled pairs as the platform.

Usage: datasketch_dedup.py CONFIG.json LABELS.csv THRESHOLD...
CONFIG lists the files in import order: {"source", "path", "id", "title", "description": [...],
"url"}; an offer is identified as the platform identifies it (its id, else its link).
Prints one JSON object per threshold.
"""

import csv
import json
import sys
import time

from datasketch import MinHash, MinHashLSH

csv.field_size_limit(1 << 30)


def offers(config):
    for source in config:
        with open(source["path"], encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                key = (row.get(source["id"]) or "").strip() if source["id"] else ""
                if not key:
                    key = (row.get(source["url"]) or "").strip()
                text = " ".join(
                    [row.get(source["title"]) or ""]
                    + [row.get(c) or "" for c in source["description"]]
                )
                yield (source["source"], key), text


def shingles(text):
    words = text.lower().split()
    if len(words) < 3:
        return {" ".join(words)}
    return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}


def run(config, threshold):
    started = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    cluster = {}
    count = 0
    for key, text in offers(config):
        count += 1
        if key in cluster:
            continue
        m = MinHash(num_perm=128)
        m.update_batch([s.encode("utf-8") for s in shingles(text)])
        found = lsh.query(m)
        cluster[key] = cluster[found[0]] if found else key
        lsh.insert(key, m)
    return time.perf_counter() - started, count, cluster


def evaluate(labels, cluster):
    tp = fp = fn = tn = 0
    for row in labels:
        a = cluster.get((row["a_source"], row["a_id"]))
        b = cluster.get((row["b_source"], row["b_id"]))
        if a is None or b is None:
            continue
        labelled, found = row["duplicate"] == "1", a == b
        tp += labelled and found
        fp += (not labelled) and found
        fn += labelled and not found
        tn += (not labelled) and not found
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"true_positives": tp, "false_positives": fp, "false_negatives": fn,
            "true_negatives": tn, "precision": precision, "recall": recall, "f1": f1}


def main():
    config = json.load(open(sys.argv[1], encoding="utf-8"))
    with open(sys.argv[2], encoding="utf-8", newline="") as f:
        labels = list(csv.DictReader(f))
    for threshold in sys.argv[3:]:
        seconds, count, cluster = run(config, float(threshold))
        result = {"threshold": float(threshold), "seconds": seconds, "offers": count,
                  "clusters": len(set(cluster.values()))}
        result.update(evaluate(labels, cluster))
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
