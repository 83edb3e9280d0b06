#!/usr/bin/env python3
# tests/integration/fcgi_backend.py ADDR PORT DIR -- a FastCGI responder
# that writes a page in three parts with two pauses, for mod_proxy_fcgi.
#
# Why: mod_proxy_fcgi (flushpackets off, its default) passes each record
# on without a FLUSH, so a pause of a PHP-FPM-like backend is not
# announced to the filters; stream.sh uses this to check that what such a
# backend writes before a pause still reaches the client during it.  The
# first part carries the headers and the page's head; the second is sent
# once DIR/fgo1 exists, the third once DIR/fgo2 exists (each waited for up
# to 60 s).  Standard library only; loopback only; it stops by itself
# after 900 s in case the test that started it dies.
import os
import socket
import struct
import sys
import threading
import time

BEGIN, END, PARAMS, STDIN, STDOUT = 1, 3, 4, 5, 6
# Parts of over 8,000 bytes: more than httpd's core output filter keeps
# back without a FLUSH (4 KB), so httpd without mod_sri sends each at
# once, and as large as one of mod_proxy_fcgi's reads (8 KB): a filter
# that took a full read for a sign of more to come would keep it.
PAD = b'<!-- ' + b'x' * 8100 + b' -->\n'
PARTS = [
    b'Content-Type: text/html\r\n\r\n'
    b'<html><head><script src="https://cdn.example.org/a.js"></script>'
    b'</head>\n' + PAD,
    b'<body><p>part1</p>'
    b'<script src="https://cdn.example.org/a.js"></script>\n' + PAD,
    b'<p>part2</p></body></html>\n',
]


def record(kind, rid, content):
    pad = -len(content) % 8
    return (struct.pack('>BBHHBB', 1, kind, rid, len(content), pad, 0)
            + content + b'\0' * pad)


def read_exact(conn, n):
    data = b''
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def wait_for(path):
    for _ in range(600):
        if os.path.exists(path):
            return
        time.sleep(0.1)


def handle(conn, gate_dir):
    try:
        rid = 1
        while True:                     # up to the empty STDIN record
            _, kind, rid, clen, plen, _ = struct.unpack(
                '>BBHHBB', read_exact(conn, 8))
            read_exact(conn, clen + plen)
            if kind == STDIN and clen == 0:
                break
        for i, part in enumerate(PARTS):
            if i:
                wait_for(os.path.join(gate_dir, 'fgo%d' % i))
            conn.sendall(record(STDOUT, rid, part))
        conn.sendall(record(STDOUT, rid, b'')
                     + record(END, rid, b'\0' * 8))
    except (EOFError, OSError):
        pass
    finally:
        conn.close()


def main():
    addr, port, gate_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if not addr.startswith('127.'):
        sys.exit('fcgi_backend.py: loopback addresses only')
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(8)
    threading.Timer(900, lambda: os._exit(0)).start()
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handle, args=(conn, gate_dir),
                         daemon=True).start()


if __name__ == '__main__':
    main()
