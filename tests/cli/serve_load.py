#!/usr/bin/env python3
"""Clients for tests/cli/test_serve_abuse.sh (not a test itself). Each prints one JSON line.

  serve_load.py idle PORT N SLOW SECONDS [SOURCE]
                                           N connections that send nothing and SLOW that send a
                                           request a byte a second, held open while valid
                                           requests (from address SOURCE, e.g. 127.0.0.2) are
                                           timed (the slowest, in seconds)
  serve_load.py load PORT SECONDS THREADS  keep-alive clients asking routes as fast as they can:
                                           requests, answers other than 200, connection errors
  serve_load.py drain PORT PID             a request whose headers end after SIGTERM is sent
                                           to PID: its answer, and whether new connections
                                           were refused meanwhile
"""
import http.client
import json
import os
import socket
import sys
import threading
import time

ROUTE = "/route/v1/car/7.4200,43.7350;7.4250,43.7400"


def timed_get(port, path=ROUTE, source=None):
    t = time.monotonic()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                   source_address=(source, 0) if source else None)
    c.request("GET", path)
    r = c.getresponse()
    r.read()
    c.close()
    return r.status, time.monotonic() - t


def idle(port, n, slow, seconds, source=None):
    socks, slows = [], []
    for _ in range(n):  # over the server's limits, the kernel still queues them
        socks.append(socket.create_connection(("127.0.0.1", port), timeout=10))
    req = ("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % ROUTE).encode()
    for _ in range(slow):
        slows.append(socket.create_connection(("127.0.0.1", port), timeout=10))
    statuses, worst, sent = [], 0.0, 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for s in slows:  # a byte a second each
            try:
                s.send(req[sent:sent + 1])
            except OSError:
                pass
        sent += 1
        for _ in range(5):
            try:
                st, dt = timed_get(port, source=source)
            except OSError:
                st, dt = "error", 10.0
            statuses.append(st)
            worst = max(worst, dt)
        time.sleep(max(0.0, 1.0 - 5 * 0.001))
    for s in socks + slows:
        s.close()
    return {"idle": n, "slow": slow, "requests": len(statuses),
            "ok": statuses.count(200), "slowest_s": round(worst, 4)}


def load(port, seconds, threads):
    lock = threading.Lock()
    out = {"requests": 0, "non_200": 0, "errors": 0, "examples": []}
    end = time.monotonic() + seconds

    def run():
        c = None
        while time.monotonic() < end:
            try:
                if c is None:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                c.request("GET", ROUTE)
                r = c.getresponse()
                body = r.read()
                good = r.status == 200 and json.loads(body).get("code") == "Ok"
                with lock:
                    out["requests"] += 1
                    if not good:
                        out["non_200"] += 1
                        if len(out["examples"]) < 5:
                            out["examples"].append([r.status, body[:200].decode()])
                if r.getheader("Connection", "").lower() == "close":
                    c.close()
                    c = None
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    out["errors"] += 1
                    if len(out["examples"]) < 5:
                        out["examples"].append(repr(e))
                if c:
                    c.close()
                c = None
        if c:
            c.close()

    ts = [threading.Thread(target=run) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out["requests_per_s"] = round(out["requests"] / seconds, 1)
    return out


def drain(port, pid):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n" % ROUTE).encode())
    time.sleep(0.3)  # the request line is in: the request is in flight
    os.kill(pid, 15)
    time.sleep(0.5)
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        refused = False
    except OSError:
        refused = True
    s.sendall(b"\r\n")
    data = b""
    while True:
        x = s.recv(65536)
        if not x:
            break
        data += x
    head = data.split(b"\r\n", 1)[0].decode()
    return {"answer": head, "new_connections_refused": refused,
            "connection_close": b"Connection: close" in data}


def main():
    cmd, port = sys.argv[1], int(sys.argv[2])
    if cmd == "idle":
        r = idle(port, int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]),
                 sys.argv[6] if len(sys.argv) > 6 else None)
    elif cmd == "load":
        r = load(port, float(sys.argv[3]), int(sys.argv[4]))
    else:
        r = drain(port, int(sys.argv[3]))
    print(json.dumps(r))


if __name__ == "__main__":
    main()
