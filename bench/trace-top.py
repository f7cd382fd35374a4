#!/usr/bin/python3
"""Where a replica's busy time goes, from a dotnet-trace speedscope file (bench/profile writes one).

dotnet-trace's sampled thread time records every thread, idle or not, so the idle ones are dropped first: a sample
whose innermost frame is a wait (a parked thread-pool worker, epoll, a monitor wait) is time no core was used. What
remains is the replica's busy time; this prints each frame's share of it, exclusive (the frame itself, what the CPU
ran) and inclusive (the frame and what it called), and a few named buckets (Npgsql, Kestrel, JSON transcoding…).

    bench/trace-top.py TRACE.speedscope.json [N=30] [SUBSTRING: list the inclusive frames containing it instead]
"""
import json
import sys
from collections import Counter

# Innermost frames at which a thread is waiting, not running.
IDLE = (
    "WaitForSignal", "WaitOneNoCheck", "WaitOne", "Monitor.Wait", "LowLevelLifoSemaphore", "EventLoop", "epoll",
    "SleepEx", "Thread.Sleep", "WaitHandle.Wait", "WaitForSingleObject", "Interop+Sys.WaitForSocketEvents",
    "LowLevelMonitor", "PortableThreadPool+GateThread", "SemaphoreSlim.Wait", "ManualResetEventSlim.Wait",
    "Thread.Join", "Interop+Sys.Read(", "TimerQueue.TimerThread", "WaitHandle.WaitMultiple", "WaitSubsystem",
    "SpinWait.SpinOnce", "Interop+Sys.LowLevelMonitor", "WaitNative",
)

PSEUDO = ("CPU_TIME", "UNMANAGED_CODE_TIME", "BLOCKED_TIME")

BUCKETS = [
    ("Npgsql", "Npgsql"),
    ("EF Core", "Microsoft.EntityFrameworkCore"),
    ("Kestrel / HTTP", "Microsoft.AspNetCore.Server.Kestrel"),
    ("JSON transcoding", "Microsoft.AspNetCore.Grpc.JsonTranscoding"),
    ("gRPC server", "Grpc.AspNetCore"),
    ("REST edge", "Aegis.Server.Rest"),
    ("Aegis.Core", "Aegis.Core"),
    ("Aegis.Storage", "Aegis.Storage"),
    ("Redis", "StackExchange.Redis"),
    ("Protobuf", "Google.Protobuf"),
    ("System.Text.Json", "System.Text.Json"),
    ("Exceptions thrown", "EH.DispatchEx"),
    ("Exceptions thrown", "RhThrowEx"),
    ("Exceptions thrown", "IL_Throw"),
    ("GC", "GC"),
    ("Logging", "Microsoft.Extensions.Logging"),
    ("Sockets", "System.Net.Sockets"),
]


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    grep = sys.argv[3] if len(sys.argv) > 3 else None
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    names = [fr["name"] for fr in doc["shared"]["frames"]]
    exclusive, inclusive, buckets = Counter(), Counter(), Counter()
    busy = idle = 0.0
    for profile in doc["profiles"]:
        for stack, weight in samples(profile):
            # The thread-time source ends each stack in a pseudo-frame: CPU_TIME (managed code ran) or
            # UNMANAGED_CODE_TIME (native code: running, or parked in a syscall), judged by the frame below it.
            native = False
            while stack and names[stack[-1]] in PSEUDO:
                native = native or names[stack[-1]] == "UNMANAGED_CODE_TIME"
                stack = stack[:-1]
            if not stack:
                continue
            leaf = names[stack[-1]]
            if any(w in leaf for w in IDLE) or (native and any(w in names[i] for i in stack[-4:] for w in IDLE)):
                idle += weight
                continue
            busy += weight
            exclusive[leaf] += weight
            seen = set()
            for i in stack:
                if i not in seen:
                    seen.add(i)
                    inclusive[names[i]] += weight
            frames = [names[i] for i in stack]
            for label in {label for label, needle in BUCKETS if any(needle in fr for fr in frames)}:
                buckets[label] += weight
    if busy == 0:
        print("no busy samples")
        return
    print(f"busy {busy:.0f} ms of sampled thread time, idle {idle:.0f} ms (dropped)\n")
    print("share of busy time, by area (inclusive; areas overlap):")
    for label, w in buckets.most_common():
        print(f"  {100 * w / busy:5.1f}%  {label}")
    print(f"\ntop {top} frames, exclusive:")
    for name, w in exclusive.most_common(top):
        print(f"  {100 * w / busy:5.1f}%  {name[:150]}")
    print(f"\ntop {top} Aegis / Npgsql / ASP.NET frames, inclusive:")
    shown = 0
    for name, w in inclusive.most_common():
        if (grep and grep in name) or (not grep and any(k in name for k in ("Aegis.", "Npgsql", "AspNetCore", "Grpc", "EntityFramework", "StackExchange"))):
            print(f"  {100 * w / busy:5.1f}%  {name[:150]}")
            shown += 1
            if shown >= top:
                break


def samples(profile):
    """(stack as frame indexes, weight) pairs, for speedscope's sampled and evented profiles."""
    if profile["type"] == "sampled":
        weights = profile.get("weights") or [1] * len(profile["samples"])
        yield from zip(profile["samples"], weights)
        return
    stack, last = [], None
    for e in profile["events"]:
        if last is not None and stack and e["at"] > last:
            yield list(stack), e["at"] - last
        last = e["at"]
        if e["type"] == "O":
            stack.append(e["frame"])
        elif stack:
            # Close the frame and anything opened above it that was not closed.
            while stack and stack.pop() != e["frame"]:
                pass


if __name__ == "__main__":
    main()
