#!/usr/bin/env python3
"""What a build asked of the file system, from an `strace -f -C -o FILE` log.

Usage: strace-summary.py FILE WALL_SECONDS [DEVICE_STAT_BEFORE DEVICE_STAT_AFTER]
Prints "label<TAB>value" lines (scripts/bench.sh PROFILE=1 puts them side by side): counts of
files opened and created, directories made, renames, unlinks, links, fsyncs, bytes written and
read, and the system calls that took the most system time (strace's -c summary at the end),
leaving out those that wait (futex, sleeps, epoll). With two lines of /sys/class/block/DEV/stat,
taken before the build and after it and a `sync`, also what reached the device: writes and
discards (the whole machine's, so other work on the disk counts too).
"""

import re
import sys
from collections import Counter

CALL = re.compile(r"^(\d+)\s+(\w+)\((.*)$")
RESUMED = re.compile(r"^(\d+)\s+<\.\.\. (\w+) resumed>(.*)$")
RESULT = re.compile(r"\)\s+=\s+(-?\d+|\?)(?:\s|$)")
SUMMARY = re.compile(r"^\s*([\d.]+)\s+([\d.]+)\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$")

WRITES = {"write", "pwrite64", "writev", "pwritev", "pwritev2", "copy_file_range", "sendfile"}
READS = {"read", "pread64", "readv", "preadv", "preadv2"}
STATS = {"statx", "newfstatat", "fstat", "lstat", "stat", "fstatat64"}
SYNCS = {"fsync", "fdatasync", "sync_file_range", "syncfs", "sync"}
WAITS = {"futex", "nanosleep", "clock_nanosleep", "epoll_wait", "epoll_pwait", "epoll_pwait2",
         "poll", "ppoll", "select", "pselect6", "wait4", "waitid", "sched_yield", "rt_sigtimedwait"}


def main() -> None:
    path, wall = sys.argv[1], sys.argv[2]
    device = sys.argv[3:5] if len(sys.argv) >= 5 else None
    calls: Counter = Counter()
    failed: Counter = Counter()
    written = read = 0
    pending: dict[str, tuple[str, str]] = {}
    summary: list[tuple[float, float, int, str]] = []
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            line = line.rstrip("\n")
            if m := RESUMED.match(line):
                pid, name, rest = m.groups()
                _, args = pending.pop(pid, (name, ""))
                text = args + rest
            elif m := CALL.match(line):
                pid, name, text = m.groups()
                if text.endswith("<unfinished ...>"):
                    pending[pid] = (name, text)
                    continue
            else:
                s = SUMMARY.match(line)
                if s and s.group(4) != "total":
                    summary.append((float(s.group(1)), float(s.group(2)), int(s.group(3)), s.group(4)))
                continue
            r = RESULT.search(text)
            result = int(r.group(1)) if r and r.group(1) != "?" else None
            key = name
            if name in ("openat", "open"):
                key = "open, creating" if "O_CREAT" in text else "open, existing"
                if "O_TRUNC" in text:
                    calls["open, truncating"] += 1
            elif name in ("unlinkat",):
                key = "rmdir" if "AT_REMOVEDIR" in text else "unlink"
            elif name in ("mkdir", "mkdirat"):
                key = "mkdir"
            elif name in ("rename", "renameat", "renameat2"):
                key = "rename"
            elif name in ("link", "linkat"):
                key = "link"
            elif name in SYNCS:
                key = "fsync"
            elif name in STATS:
                key = "stat"
            calls[key] += 1
            if result is not None and result < 0:
                failed[key] += 1
            elif result is not None and name in WRITES:
                written += result
                calls["write calls"] += 1
            elif result is not None and name in READS:
                read += result
                calls["read calls"] += 1

    def count(key: str) -> str:
        text = f"{calls[key]:,}"
        if failed[key]:
            text += f" ({failed[key]:,} failed)"
        return text

    rows = [
        ("wall s, under strace", wall),
        ("open/openat, creating (O_CREAT)", count("open, creating")),
        ("  of them with O_TRUNC", f"{calls['open, truncating']:,}"),
        ("open/openat, existing", count("open, existing")),
        ("creat", count("creat")),
        ("mkdir", count("mkdir")),
        ("rename", count("rename")),
        ("link (hard)", count("link")),
        ("unlink (files)", count("unlink")),
        ("rmdir (unlinkat AT_REMOVEDIR)", count("rmdir")),
        ("fsync, fdatasync, sync", count("fsync")),
        ("stat calls", count("stat")),
        ("getdents64", count("getdents64")),
        ("write calls, MB written", f"{calls['write calls']:,}, {written / 1e6:.1f}"),
        ("read calls, MB read", f"{calls['read calls']:,}, {read / 1e6:.1f}"),
    ]
    busy = [(seconds, name) for _, seconds, _, name in summary if name not in WAITS]
    busy_total = sum(seconds for seconds, _ in busy)
    rows.append(("system time in syscalls s, without waits", f"{busy_total:.2f}"))
    top = sorted(busy, reverse=True)[:4]
    rows.append(("most of it", ", ".join(f"{name} {100 * sec / busy_total:.0f} %" for sec, name in top)))
    if device:
        before, after = ([int(x) for x in d.split()] for d in device)
        delta = [a - b for a, b in zip(after, before)]
        rows.append(("device, whole machine: writes, MB (after a sync)", f"{delta[4]:,}, {delta[6] * 512 / 1e6:.1f}"))
        if len(delta) >= 15:
            rows.append(("device, whole machine: discards, ms waited", f"{delta[11]:,}, {delta[14]:,}"))
    for label, value in rows:
        print(f"{label}\t{value}")


if __name__ == "__main__":
    main()
