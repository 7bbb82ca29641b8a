#!/usr/bin/python3
"""A minimal counting SMTP receiver (PIPELINING), for machines without Postfix's
smtp-sink. Discards every message; prints "mesg=<n>" for each one accepted, as smtp-sink -c
does. Usage: smtp_count.py PORT (binds 127.0.0.1)."""
import asyncio
import sys

count = 0


async def session(reader, writer):
    global count
    writer.write(b"220 bench ESMTP\r\n")
    in_data = False
    while True:
        line = await reader.readline()
        if not line:
            break
        if in_data:
            if line in (b".\r\n", b".\n"):
                in_data = False
                count += 1
                print("mesg=%d" % count, flush=True)
                writer.write(b"250 2.0.0 queued\r\n")
            continue
        verb = line[:4].upper()
        if verb == b"EHLO":
            writer.write(b"250-bench\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 0\r\n")
        elif verb == b"DATA":
            in_data = True
            writer.write(b"354 go ahead\r\n")
        elif verb == b"QUIT":
            writer.write(b"221 bye\r\n")
            await writer.drain()
            break
        else:
            writer.write(b"250 ok\r\n")
        if not reader._buffer:  # answer a pipelined group at once, as a real server would
            await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(session, "127.0.0.1", int(sys.argv[1]))
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
