#!/usr/bin/python3
"""A delaying TCP proxy for the Pollux benchmark: simulates a long link on loopback.

Listens on 127.0.0.1 (only), forwards every connection to --target (127.0.0.1:PORT) and
holds every chunk --delay-ms milliseconds in each direction before passing it on, so a
round trip costs 2 x delay. With --rate-mbit each direction of each connection is also a
link of that bandwidth: a chunk leaves only when the chunks before it have been
serialised. What is held per direction is bounded (--max-chunks chunks of at most
16 KiB); a full queue stops reading, as a full link would.

Prints "PORT <n>" on stdout once it listens. Stops on SIGTERM/SIGINT or when stdin
closes (so it dies with the benchmark).
"""
import argparse
import asyncio
import signal
import sys

CHUNK = 16 * 1024


async def pump(reader, writer, delay, max_chunks, rate):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue(maxsize=max_chunks)
    link_free = 0.0  # when the link has serialised everything queued so far

    async def receive():
        nonlocal link_free
        while True:
            try:
                data = await reader.read(CHUNK)
            except (ConnectionError, OSError):
                data = b""
            now = loop.time()
            if rate:
                link_free = max(now, link_free) + len(data) / rate
                now = link_free
            await queue.put((now + delay, data))
            if not data:
                return

    async def send():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
            except (ConnectionError, OSError):
                return

    await asyncio.gather(receive(), send())


async def handle(client_reader, client_writer, args):
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", args.target)
    except OSError:
        client_writer.close()
        return
    delay = args.delay_ms / 1000.0
    rate = args.rate_mbit * 1e6 / 8
    try:
        await asyncio.gather(
            pump(client_reader, server_writer, delay, args.max_chunks, rate),
            pump(server_reader, client_writer, delay, args.max_chunks, rate),
        )
    except asyncio.CancelledError:
        pass
    finally:
        for w in (client_writer, server_writer):
            w.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=int, required=True, help="port on 127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="listen port (0: any free one)")
    parser.add_argument("--delay-ms", type=float, default=15.0, help="delay per direction")
    parser.add_argument("--rate-mbit", type=float, default=0, help="bandwidth (0: unlimited)")
    parser.add_argument("--max-chunks", type=int, default=1024, help="queue bound per direction")
    args = parser.parse_args()

    server = await asyncio.start_server(
        lambda r, w: handle(r, w, args), host="127.0.0.1", port=args.port
    )
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    loop.add_reader(sys.stdin.fileno(), lambda: stop.done() or stop.set_result(None))
    await stop
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
