#!/usr/bin/env python3
"""A stand-in Docker engine on a unix socket, for tests: answers GET /_ping, records the
body of POST /containers/create into a file, and refuses everything else, so that the real
docker CLI can be checked without an engine. Serves until --requests requests or --seconds
pass, whichever comes first."""
import argparse
import http.server
import json
import os
import socketserver
import sys
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def address_string(self):
        return "unix"

    def log_message(self, fmt, *args):
        sys.stderr.write("capture: " + (fmt % args) + "\n")

    def reply(self, status, body, content_type="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Api-Version", "1.47")
        self.send_header("Ostype", "linux")
        self.end_headers()
        self.wfile.write(data)

    def do_HEAD(self):
        self.reply(200, "", "text/plain")

    def do_GET(self):
        if self.path.endswith("/_ping"):
            self.reply(200, "OK", "text/plain")
        else:
            self.reply(404, json.dumps({"message": "not served by the capture endpoint"}))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        if "/containers/create" in self.path:
            with open(self.server.capture_path, "wb") as f:
                f.write(body)
            # Refuse after recording: the test needs the request, not a container.
            self.reply(500, json.dumps({"message": "captured by the test endpoint"}))
        else:
            self.reply(404, json.dumps({"message": "not served by the capture endpoint"}))


class Server(socketserver.UnixStreamServer):
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=True)
    parser.add_argument("--capture", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    if os.path.exists(args.socket):
        os.unlink(args.socket)
    with Server(args.socket, Handler) as server:
        server.capture_path = args.capture
        server.timeout = 0.5
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            server.handle_request()


if __name__ == "__main__":
    main()
