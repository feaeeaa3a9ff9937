#!/usr/bin/env python3
"""A stand-in Docker engine on a unix socket, for tests: answers /_ping, records the body of
POST /containers/create (then refuses it), and refuses everything else, so that the real
docker CLI can be checked without an engine. Run alone, it serves for --seconds and prints
the bodies it captured."""
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
        if os.environ.get("BATCHMOUNT_CAPTURE_VERBOSE"):
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
            self.server.capture.append(json.loads(body))
            # Refuse after recording: the test needs the request, not a container.
            self.reply(500, json.dumps({"message": "captured by the test endpoint"}))
        else:
            self.reply(404, json.dumps({"message": "not served by the capture endpoint"}))


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class CaptureEndpoint:
    """Serves on a unix socket in a background thread while in a `with` block; each
    ContainerCreate body lands in .bodies."""

    def __init__(self, socket_path):
        self.socket_path = socket_path
        self.bodies = []

    def __enter__(self):
        import threading
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)
        self.server = Server(self.socket_path, Handler)
        self.server.capture = self.bodies
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1})
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
        os.unlink(self.socket_path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    with CaptureEndpoint(args.socket) as endpoint:
        time.sleep(args.seconds)
        for body in endpoint.bodies:
            sys.stdout.write(json.dumps(body) + "\n")


if __name__ == "__main__":
    main()
