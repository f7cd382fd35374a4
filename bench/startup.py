#!/usr/bin/python3
"""Start-up time of the embedded default: from process start to the first 202 on the README's approve call,
on a fresh data directory (so it includes creating the SQLite file and applying migrations).

Usage: dotnet build -c Release src/Aegis.Server && bench/startup.py [runs]
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DLL = os.path.join(ROOT, "src/Aegis.Server/bin/Release/net10.0/Aegis.Server.dll")
LISTENING = re.compile(r"REST \(HTTP/1\.1\) http://([\d.]+):(\d+)")


def one_run() -> float:
    with tempfile.TemporaryDirectory(prefix="aegis-bench-") as workdir:
        env = dict(os.environ, Aegis__RestPort="0", Aegis__GrpcPort="0")
        started = time.monotonic()
        proc = subprocess.Popen(["dotnet", DLL], cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            for line in proc.stdout:
                match = LISTENING.search(line)
                if match:
                    break
            else:
                raise RuntimeError("server exited before listening")
            request = urllib.request.Request(
                f"http://{match.group(1)}:{match.group(2)}/api/v1/hitl/approve", method="POST",
                data=json.dumps({"to": "ceo@example.com"}).encode(),
                headers={"Tenant-Id": "acme", "Thread-Id": "t", "Idempotency-Key": "k", "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 202, response.status
            return time.monotonic() - started
        finally:
            proc.terminate()
            proc.wait(timeout=15)


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    times = [one_run() for _ in range(runs)]
    print(f"startup to first 202 over {runs} runs: median {statistics.median(times):.2f} s, max {max(times):.2f} s")
