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
