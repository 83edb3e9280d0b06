#!/usr/bin/env python3
# tests/faults/backend.py ADDR PORT -- a misbehaving HTTP backend for the
# fault tests, to sit behind mod_proxy.
#
# Why: httpd's own handlers are well behaved; the faults mod_sri must
# survive come from upstreams.  Standard library only; loopback only; it
# stops by itself when the test that started it is gone (or after 900 s).
#   /abort  a page with Content-Length 100000, cut off after a complete
#           tag and inside a second one, then the connection is reset
#   /slow   an HTML page written one line every 0.1 s (100 lines)
#   /big?MB a page of MB megabytes with a <script src> every 64 KB, sent
#           without Content-Length (HTTP/1.0, the end is the close)
import os
import socket
import struct
import sys
import threading
import time

ABORT_BODY = (b'<html><p>before</p>'
              b'<script src="https://cdn.example.org/a.js"></script>'
              b'<p>middle</p><script src="https://cdn.exa')
TAG = b'<script src="https://cdn.example.org/a.js"></script>\n'
BLOCK = TAG + b'x' * (65536 - len(TAG) - 1) + b'\n'


def handle(conn):
    try:
        req = b''
        while b'\r\n\r\n' not in req:
            chunk = conn.recv(4096)
            if not chunk:
                return
            req += chunk
        path = req.split(b' ', 2)[1].decode('ascii', 'replace')
        if path.startswith('/abort'):
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n'
                         b'Content-Length: 100000\r\n\r\n' + ABORT_BODY)
            time.sleep(0.3)
            # reset, not a clean close
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack('ii', 1, 0))
        elif path.startswith('/slow'):
            conn.sendall(b'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n')
            for i in range(100):
                conn.sendall(b'<p>line %d</p><script src="https://cdn.example.org/a.js">'
                             b'</script>\n' % i)
                time.sleep(0.1)
        elif path.startswith('/big'):
            mb = int(path.split('?', 1)[1]) if '?' in path else 1
            conn.sendall(b'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n')
            for _ in range(mb * 16):
                conn.sendall(BLOCK)
        else:
            conn.sendall(b'HTTP/1.0 404 Not Found\r\n\r\n')
    except OSError:
        pass
    finally:
        conn.close()


def main():
    addr, port = sys.argv[1], int(sys.argv[2])
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(16)
    srv.settimeout(1.0)
    # until the test that started it is gone (it is then reparented), or
    # 900 s at most: a loaded machine must not cut a transfer short
    parent = os.getppid()
    end = time.time() + 900
    while time.time() < end and os.getppid() == parent:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == '__main__':
    main()
