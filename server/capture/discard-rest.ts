import type { IncomingMessage } from 'node:http';

const lingerMs = 2_000;

/**
 * Past the cap, while the 413 goes out: drops the rest of the body as it arrives, up to `maxBytes`
 * more or for 2 s, and then closes the connection (an endless or huge upload). Closing at once,
 * with the client's bytes unread, makes the kernel send a reset, which can reach a reverse proxy
 * before the 413 does: Caddy then answers 502 instead of passing authbin's 413 on. A body that ends
 * in time leaves the connection open for the proxy's next request.
 */
export function discardRest(incoming: IncomingMessage, maxBytes: number): void {
  if (incoming.complete) return;
  let dropped = 0;
  const finish = () => {
    clearTimeout(timer);
    incoming.off('data', onData);
    incoming.off('end', finish);
    incoming.off('close', finish);
  };
  const cut = () => {
    finish();
    incoming.socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > maxBytes) cut();
  };
  const timer = setTimeout(cut, lingerMs);
  incoming.on('data', onData);
  incoming.on('end', finish);
  incoming.on('close', finish);
  incoming.resume();
}

/**
 * Reads and drops what is left of a request body, up to `maxBytes` or for 2 s, and resolves then:
 * an answer sent with `Connection: close` after it reaches the client whole, where closing with
 * the client's bytes still unread would send a reset that can overtake it.
 */
export function dropRest(incoming: IncomingMessage, maxBytes: number): Promise<void> {
  if (incoming.complete || incoming.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let dropped = 0;
    const done = () => {
      clearTimeout(timer);
      incoming.off('data', onData);
      incoming.off('end', done);
      incoming.off('close', done);
      incoming.pause();
      resolve();
    };
    const onData = (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > maxBytes) done();
    };
    const timer = setTimeout(done, lingerMs);
    incoming.on('data', onData);
    incoming.on('end', done);
    incoming.on('close', done);
    incoming.resume();
  });
}
