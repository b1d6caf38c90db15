#!/usr/bin/env python3
"""A malformed-request flood against `corridor serve`, over raw sockets (no HTTP library, so that
the requests can be as broken as wanted).

For SECONDS, WORKERS threads send a mix of valid requests and malformed ones (URLs of 100 kB,
10,000 coordinates, NaN and infinities, bad percent-encoding and UTF-8, unknown profiles,
services and versions, negative and huge radiuses, table sources out of range, empty bodies,
HTTP/1.0, several requests on one keep-alive connection, a request line that is not HTTP) and
check every answer: a valid request gets 200 and "Ok", a malformed one a 4xx with the OSRM code
expected (the JSON body's "code"), never a 5xx; the server's resident memory (VmRSS from
/proc/PID/status) is sampled once a second and its growth after warm-up reported.

The places are in Monaco (datasets/osrm-monaco.osm.pbf): the server must serve car and truck on
it. Usage (docs/reliability.md, "The server under abuse"):

    corridor serve monaco.corr --port 5000 --quiet &
    python3 bench/serve_abuse.py --port 5000 --pid $! --seconds 60

Prints one summary (JSON) on stdout; exits 1 when an answer was wrong, a 5xx was given, the
server died, or (with --max-rss-growth-kb) memory grew more than allowed; 0 otherwise.
"""
import argparse
import json
import os
import random
import socket
import threading
import time

A, B, C, D = "7.4200,43.7350", "7.4250,43.7400", "7.4160,43.7310", "7.4300,43.7450"
SEA = "7.4600,43.7300"  # ~2.5 km off the coast: NoSegment


def get(path, version="1.1", close=True):
    """A GET of PATH (str, or bytes sent as they are: bad UTF-8)."""
    if isinstance(path, str):
        path = path.encode()
    raw = b"GET " + path + b" HTTP/" + version.encode() + b"\r\nHost: x\r\n"
    if close and version == "1.1":
        raw += b"Connection: close\r\n"
    return raw + b"\r\n"


def cases():
    """(name, request bytes, expected status, expected code or None). Code "*" = no answer or a
    4xx from the HTTP layer (not a request corridor's parser sees)."""
    route = "/route/v1/car/%s;%s" % (A, B)
    table = "/table/v1/car/%s;%s;%s" % (A, B, C)
    many = ";".join([A] * 10000)
    return [
        ("valid route", get(route + "?overview=full"), 200, "Ok"),
        ("valid route HTTP/1.0", get(route, "1.0"), 200, "Ok"),
        ("valid table", get(table + "?annotations=duration,distance"), 200, "Ok"),
        ("valid nearest", get("/nearest/v1/car/%s?number=3" % A), 200, "Ok"),
        ("valid truck size", get("/route/v1/truck/%s;%s?height=4.2&weight=30" % (A, D)), 200,
         "Ok"),
        ("health", get("/health"), 200, "Ok"),
        ("URL of 100 kB", get(route + "?x=" + "a" * 100000), 414, "TooBig"),
        ("10,000 coordinates", get("/route/v1/car/" + many), 414, "TooBig"),
        ("600 coordinates", get("/route/v1/car/" + ";".join([A] * 600)), 400, "TooBig"),
        ("NaN coordinate", get("/route/v1/car/nan,43.73;%s" % B), 400, "InvalidUrl"),
        ("infinite coordinate", get("/route/v1/car/inf,43.73;%s" % B), 400, "InvalidUrl"),
        ("-infinity latitude", get("/route/v1/car/7.42,-inf;%s" % B), 400, "InvalidUrl"),
        ("1e999 coordinate", get("/route/v1/car/1e999,43.73;%s" % B), 400, "InvalidUrl"),
        ("latitude 91", get("/route/v1/car/7.42,91;%s" % B), 400, "InvalidValue"),
        ("bad percent %ZZ", get(route + "%ZZ"), 400, "InvalidUrl"),
        ("bad percent in query", get(route + "?overview=%G1"), 400, "InvalidQuery"),
        ("truncated percent", get(route + "?overview=full%"), 400, "InvalidQuery"),
        ("bad UTF-8 in path", get(b"/route/v1/car/\xff\xfe;" + B.encode()), 400, "InvalidUrl"),
        ("bad UTF-8 in query", get(route.encode() + b"?overview=\xc3\x28"), 400, "InvalidQuery"),
        ("unknown profile", get("/route/v1/bicycle/%s;%s" % (A, B)), 400, "InvalidOptions"),
        ("unknown service", get("/matching/v1/car/%s;%s" % (A, B)), 400, "InvalidService"),
        ("junk service", get("/xyz/v1/car/%s;%s" % (A, B)), 400, "InvalidService"),
        ("unknown version", get("/route/v9/car/%s;%s" % (A, B)), 400, "InvalidVersion"),
        ("unknown option", get(route + "?frobnicate=1"), 400, "InvalidQuery"),
        ("negative radius", get(route + "?radiuses=-5;10"), 400, "InvalidValue"),
        ("huge radius (as unlimited)", get(route + "?radiuses=1e308;10"), 200, "Ok"),
        ("infinite radius", get(route + "?radiuses=inf;10"), 400, "InvalidValue"),
        ("NaN radius", get(route + "?radiuses=nan;10"), 400, "InvalidValue"),
        ("too few radiuses", get(route + "?radiuses=10"), 400, "InvalidOptions"),
        ("table source out of range", get(table + "?sources=7"), 400, "InvalidOptions"),
        ("table destination -1", get(table + "?destinations=-1"), 400, "InvalidQuery"),
        ("table source huge", get(table + "?sources=99999999999999999999999"), 400,
         "InvalidQuery"),
        ("nearest number 0", get("/nearest/v1/car/%s?number=0" % A), 400, "InvalidQuery"),
        ("nearest number huge", get("/nearest/v1/car/%s?number=1000000" % A), 400, "TooBig"),
        ("bad bearing", get(route + "?bearings=400,10;"), 400, "InvalidValue"),
        ("off the map", get("/route/v1/car/%s;%s" % (SEA, B)), 400, "NoSegment"),
        ("empty path", get("/"), 400, "InvalidUrl"),
        ("no coordinates", get("/route/v1/car/"), 400, "InvalidUrl"),
        ("bad vehicle", get("/route/v1/truck/%s;%s?height=-3" % (A, D)), 400, "InvalidValue"),
        ("POST, empty body", b"POST " + route.encode() +
         b" HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 405,
         "InvalidUrl"),
        ("POST with a body", b"POST " + route.encode() +
         b" HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello", 405,
         "InvalidUrl"),
        ("not HTTP", b"GARBAGE\r\n\r\n", 0, "*"),
        ("keep-alive x3", None, 200, "keep-alive"),
    ]


def read_answer(sock, buf):
    """One HTTP answer from SOCK (BUF: bytes already read). (status, body, rest) or None."""
    while b"\r\n\r\n" not in buf:
        x = sock.recv(65536)
        if not x:
            return None
        buf += x
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = None
    for h in lines[1:]:
        k, _, v = h.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    if length is None:
        while True:
            x = sock.recv(65536)
            if not x:
                break
            rest += x
        return status, rest, b""
    while len(rest) < length:
        x = sock.recv(65536)
        if not x:
            return None
        rest += x
    return status, rest[:length], rest[length:]


def code_of(body):
    try:
        return json.loads(body).get("code")
    except (ValueError, AttributeError):
        return None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.status = {}
        self.by_case = {}
        self.failures = []

    def add(self, name, status, good, detail):
        with self.lock:
            self.requests += 1
            self.status[str(status)] = self.status.get(str(status), 0) + 1
            c = self.by_case.setdefault(name, [0, 0])
            c[0 if good else 1] += 1
            if not good and len(self.failures) < 50:
                self.failures.append({"case": name, "detail": detail})


def one(host, port, timeout, name, req, want_status, want_code):
    """Sends REQ, checks the answer: (status, good, detail)."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(req)
        try:
            a = read_answer(s, b"")
        except (ConnectionResetError, socket.timeout) as e:
            a = None if want_code == "*" else e
        if want_code == "*":  # the HTTP layer: closed, or a 4xx
            if a is None:
                return "closed", True, ""
            return a[0], 400 <= a[0] < 500, a[0]
        if a is None or isinstance(a, Exception):
            return "none", False, "no answer (%s)" % a
        st, body, _ = a
        code = code_of(body)
        return st, st == want_status and code == want_code, (st, body[:200].decode("utf-8",
                                                                                     "replace"))


def keep_alive(host, port, timeout):
    """Three requests on one HTTP/1.1 connection (valid, malformed, valid): three answers."""
    reqs = [(get("/route/v1/car/%s;%s" % (A, B), close=False), 200, "Ok"),
            (get("/route/v1/car/nan,1;%s" % B, close=False), 400, "InvalidUrl"),
            (get("/nearest/v1/car/%s" % C, close=False), 200, "Ok")]
    with socket.create_connection((host, port), timeout=timeout) as s:
        buf = b""
        for req, want_status, want_code in reqs:
            s.sendall(req)
            a = read_answer(s, buf)
            if a is None:
                return "none", False, "keep-alive: connection closed early"
            st, body, buf = a
            if st != want_status or code_of(body) != want_code:
                return st, False, (st, body[:200].decode("utf-8", "replace"))
    return 200, True, ""


def vm_rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def worker(args, stop_at, stats, seed):
    rnd = random.Random(seed)
    mix = cases()
    while time.monotonic() < stop_at:
        name, req, want_status, want_code = rnd.choice(mix)
        try:
            if want_code == "keep-alive":
                st, good, detail = keep_alive(args.host, args.port, args.timeout)
            else:
                st, good, detail = one(args.host, args.port, args.timeout, name, req,
                                       want_status, want_code)
        except OSError as e:
            st, good, detail = "error", False, str(e)
        if isinstance(st, int) and st >= 500:
            good = False
        stats.add(name, st, good, detail)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, help="the server's process id (memory, liveness)")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--warmup", type=float, default=None,
                    help="seconds before the memory baseline (default: a fifth of the run)")
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--max-rss-growth-kb", type=int, default=None)
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args()
    warmup = args.warmup if args.warmup is not None else args.seconds / 5
    stats = Stats()
    t0 = time.monotonic()
    stop_at = t0 + args.seconds
    threads = [threading.Thread(target=worker, args=(args, stop_at, stats, args.seed + i))
               for i in range(args.workers)]
    for t in threads:
        t.start()
    rss = []
    while any(t.is_alive() for t in threads):
        if args.pid:
            rss.append((round(time.monotonic() - t0, 1), vm_rss_kb(args.pid)))
        time.sleep(1)
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    alive = args.pid is None or vm_rss_kb(args.pid) is not None
    base = [kb for t, kb in rss if t >= warmup and kb is not None]
    out = {
        "seconds": round(elapsed, 1),
        "workers": args.workers,
        "requests": stats.requests,
        "requests_per_s": round(stats.requests / elapsed, 1),
        "status": dict(sorted(stats.status.items())),
        "wrong": sum(c[1] for c in stats.by_case.values()),
        "server_alive": alive,
        "cases": {k: {"right": v[0], "wrong": v[1]} for k, v in sorted(stats.by_case.items())},
        "failures": stats.failures[:20],
    }
    if rss and rss[0][1] is not None:
        out["rss_kb_start"] = rss[0][1]
    if base:
        out["rss_kb_after_warmup"] = base[0]
        out["rss_kb_end"] = base[-1]
        out["rss_kb_max"] = max(base)
        out["rss_growth_kb"] = base[-1] - base[0]
    print(json.dumps(out, indent=1))
    bad = out["wrong"] > 0 or not alive or any(k.startswith("5") for k in stats.status)
    if args.max_rss_growth_kb is not None and out.get("rss_growth_kb", 0) > args.max_rss_growth_kb:
        bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
