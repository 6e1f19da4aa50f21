#!/usr/bin/env python3
"""CPU time and peak RSS of two commands, run alternately, as medians.

Usage: bench/rusage.py RUNS 'command A' 'command B'
Prints one line per command: "cpu_ms rss_mib".

Each run's figures come from wait4(2) on that run alone: user + system CPU of the command and of
every child it waited for (the runtime calls a CLI makes), and the largest resident set among them.
A daemonised monitor (conmon) and what it starts are reparented and counted for neither command,
so the two sides are measured alike.
"""
import os
import shlex
import statistics
import sys


def once(argv):
    devnull = os.open(os.devnull, os.O_RDWR)
    pid = os.posix_spawnp(argv[0], argv, os.environ,
                          file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 0),
                                        (os.POSIX_SPAWN_DUP2, devnull, 1),
                                        (os.POSIX_SPAWN_DUP2, devnull, 2)])
    os.close(devnull)
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("failed: " + " ".join(argv))
    return (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss / 1024


def main():
    runs = int(sys.argv[1])
    commands = [shlex.split(c) for c in sys.argv[2:]]
    samples = [[] for _ in commands]
    for c in commands:  # warm-up, not counted
        once(c)
    for _ in range(runs):
        for i, c in enumerate(commands):
            samples[i].append(once(c))
    for s in samples:
        print("%.1f %.1f" % (statistics.median(x[0] for x in s), statistics.median(x[1] for x in s)))


if __name__ == "__main__":
    main()
