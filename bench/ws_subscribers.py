#!/usr/bin/env python3
"""N WebSocket subscribers of one render's events, for bench/websocket.

Standard library only: asyncio, and the few parts of RFC 6455 a receiving client needs
(the upgrade, unmasked server frames, masked pong and close frames). It connects every
subscriber, reads the server's RSS, starts the worker command that renders, waits until
each subscriber's stream has ended, then checks that all received the same events ending
with execution.succeeded and prints the figures. Exit status 1 when a check fails.

Usage: ws_subscribers.py PORT RENDER_ID SERVER_PID COUNT ["Name: value"...] -- WORKER_CMD...
"""
import asyncio
import base64
import json
import os
import resource
import sys
import time
import urllib.request


def rss_kib(pid, field="VmRSS"):
    """The process's resident memory now (VmRSS) or at its peak so far (VmHWM), in KiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def cpu_seconds(pid):
    """User + system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Subscriber:
    def __init__(self):
        self.events = []  # (arrival time.time(), message)
        self.closed_by_server = False

    async def connect(self, port, path, headers):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
        key = base64.b64encode(os.urandom(16)).decode()
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers)
        self.writer.write(
            (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
             f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
             f"Sec-WebSocket-Version: 13\r\n{extra}\r\n").encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError("upgrade refused: " + head.split(b"\r\n")[0].decode())

    async def frame(self):
        first, second = await self.reader.readexactly(2)
        length = second & 0x7F
        if length == 126:
            length = int.from_bytes(await self.reader.readexactly(2), "big")
        elif length == 127:
            length = int.from_bytes(await self.reader.readexactly(8), "big")
        mask = await self.reader.readexactly(4) if second & 0x80 else None
        payload = await self.reader.readexactly(length)
        if mask:
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        return first & 0x80, first & 0x0F, payload

    def send(self, opcode, payload=b""):
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.writer.write(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    async def read_all(self):
        message = b""
        try:
            while True:
                fin, opcode, payload = await self.frame()
                if opcode == 0x8:  # close: answer it, the server then closes the TCP connection
                    self.closed_by_server = True
                    self.send(0x8, payload[:2])
                    await self.writer.drain()
                    break
                if opcode == 0x9:
                    self.send(0xA, payload)
                    continue
                if opcode in (0x1, 0x0):
                    message += payload
                    if fin:
                        self.events.append((time.time(), json.loads(message)))
                        message = b""
        except asyncio.IncompleteReadError:
            pass
        finally:
            self.writer.close()


async def main():
    split = sys.argv.index("--")
    port, render, server_pid, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    headers = [h.split(": ", 1) for h in sys.argv[5:split]]
    worker_cmd = sys.argv[split + 1:]
    # One descriptor per subscriber here too.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    rss_before = rss_kib(server_pid)
    subscribers = [Subscriber() for _ in range(count)]
    path = f"/api/v1/renders/{render}/events"
    started = time.time()
    connecting = asyncio.Semaphore(100)  # the listen backlog takes them in waves

    async def connect(subscriber):
        async with connecting:
            await subscriber.connect(int(port), path, headers)

    await asyncio.gather(*(connect(s) for s in subscribers))
    connected_in = time.time() - started
    readers = [asyncio.create_task(s.read_all()) for s in subscribers]
    # Each stream has sent the backlog (execution.queued at least) when it is set up.
    while any(not s.events for s in subscribers):
        await asyncio.sleep(0.05)
    rss_connected = rss_kib(server_pid)

    worker = await asyncio.create_subprocess_exec(*worker_cmd, stdout=asyncio.subprocess.DEVNULL,
                                                  stderr=asyncio.subprocess.DEVNULL)
    rendering = time.time()
    cpu_before = cpu_seconds(server_pid)
    await asyncio.gather(*readers)
    rendered_in = time.time() - rendering
    server_cpu = cpu_seconds(server_pid) - cpu_before
    worker.terminate()
    await worker.wait()
    await asyncio.sleep(0.5)  # the server frees the closed streams
    rss_peak = rss_kib(server_pid, "VmHWM")
    rss_after = rss_kib(server_pid)

    asking = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/renders/{render}/history",
                                    headers=dict(headers))
    with urllib.request.urlopen(asking) as answer:
        history = json.load(answer)["events"]
    report(subscribers, history, (rss_before, rss_connected, rss_peak, rss_after), connected_in,
           (rendered_in, server_cpu))


def report(subscribers, history, rss, connected_in, rendering):
    rendered_in, server_cpu = rendering
    rss_before, rss_connected, rss_peak, rss_after = rss
    first = [(e["seq"], e["type"]) for _, e in subscribers[0].events]
    failures = []
    for i, s in enumerate(subscribers):
        got = [(e["seq"], e["type"]) for _, e in s.events]
        if got != first:
            failures.append(f"subscriber {i}: {len(got)} events, subscriber 0: {len(first)}")
        elif not s.closed_by_server:
            failures.append(f"subscriber {i}: the server did not end the stream")
    if not first or first[-1][1] != "execution.succeeded":
        failures.append(f"the last event is {first[-1] if first else None}, not execution.succeeded")
    transitions = [(e["seq"], e["type"]) for e in history if e["type"] != "step.progress"]
    if [x for x in first if x[1] != "step.progress"] != transitions:
        failures.append("the events received differ from the render's history")
    n = len(subscribers)
    last_at = subscribers[0].events[-1][1]["at"] / 1000.0 if first else 0
    arrivals = sorted(s.events[-1][0] for s in subscribers if s.events)
    print(f"subscribers:                 {n} (connected in {connected_in:.2f} s)")
    print(f"events per subscriber:       {len(first)} ({len(transitions)} transitions in the log, "
          f"{len(history)} events with progress); all equal: {'yes' if not failures else 'NO'}")
    print(f"render with subscribers:     {rendered_in:.2f} s (worker start to every stream ended); "
          f"server CPU meanwhile {server_cpu:.2f} s")
    print(f"last event to subscribers:   first {1000 * (arrivals[0] - last_at):.0f} ms, "
          f"all {1000 * (arrivals[-1] - last_at):.0f} ms after it was recorded "
          f"(the hub reads the store every 100 ms)")
    print(f"server RSS:                  {rss_before / 1024:.1f} MiB before, "
          f"{rss_connected / 1024:.1f} MiB with {n} subscribers waiting, "
          f"peak {rss_peak / 1024:.1f} MiB while the events went out, "
          f"{rss_after / 1024:.1f} MiB after they left")
    print(f"memory per subscriber:       {(rss_connected - rss_before) / n:.1f} KiB connected, "
          f"{(rss_peak - rss_before) / n:.1f} KiB at the peak")
    for failure in failures[:10]:
        print("FAILED: " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    asyncio.run(main())
