import { readFileSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { Config } from './config.ts';
import type { TlsMaterial } from './http-server.ts';

/** The certificate and key files, read now (at start, and again on each SIGHUP). */
export function readTls(files: NonNullable<Config['tls']>): TlsMaterial {
  const read = (what: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`cannot read the TLS ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  };
  const material = { cert: read('certificate', files.cert), key: read('key', files.key) };
  try {
    createSecureContext(material);
  } catch (error) {
    throw new Error(`cannot use the TLS certificate ${files.cert} with the key ${files.key}: ${(error as Error).message}`);
  }
  return material;
}

/**
 * Certbot and the like renew certificates in place: on SIGHUP, new connections get the files as
 * they are now, open ones keep theirs. A bad pair is reported and the previous one kept.
 */
export function reloadTlsOnHangup(server: HttpsServer, files: NonNullable<Config['tls']>): void {
  process.on('SIGHUP', () => {
    try {
      server.setSecureContext(readTls(files));
      console.log('authbin: TLS certificate reloaded');
    } catch (error) {
      console.error(`authbin: kept the previous TLS certificate: ${(error as Error).message}`);
    }
  });
}
