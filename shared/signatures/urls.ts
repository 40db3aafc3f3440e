/**
 * The URLs a sender may have signed. Twilio signs the URL it called, which behind a proxy or
 * tunnel differs from the one authbin saw in scheme, host or port.
 */
import type { HeaderView } from './headers.ts';

function firstItem(value: string | undefined): string | undefined {
  const item = value?.split(',')[0]?.trim();
  return item ? item : undefined;
}

/** The URL rebuilt from `X-Forwarded-*` / `Forwarded`, as a proxy in front of authbin reports it. */
function forwardedUrl(seen: URL, headers: HeaderView): string | undefined {
  const forwarded = firstItem(headers.value('Forwarded'));
  const field = (name: string): string | undefined =>
    forwarded
      ?.split(';')
      .map((part) => part.trim().split('='))
      .find(([key]) => key?.toLowerCase() === name)?.[1]
      ?.replace(/^"|"$/g, '');
  const proto = field('proto') ?? firstItem(headers.value('X-Forwarded-Proto'));
  const host = field('host') ?? firstItem(headers.value('X-Forwarded-Host'));
  if (!proto && !host) return undefined;
  try {
    const url = new URL(seen.href);
    if (proto === 'http' || proto === 'https') url.protocol = `${proto}:`;
    if (host) {
      // Setting only the host name would keep the port authbin listens on.
      url.port = '';
      url.host = host;
      const port = firstItem(headers.value('X-Forwarded-Port'));
      if (port && !host.includes(':') && /^\d+$/.test(port)) url.port = port;
    }
    return url.href;
  } catch {
    return undefined;
  }
}

/** The same URL with its default port written out, or left out when it was written. */
function portVariant(url: URL): string | undefined {
  const defaultPort = url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : undefined;
  if (!defaultPort) return undefined;
  if (url.port === '') return `${url.protocol}//${url.host}:${defaultPort}${url.pathname}${url.search}`;
  return undefined;
}

function protocolVariant(url: URL): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const other = new URL(url.href);
  other.protocol = url.protocol === 'http:' ? 'https:' : 'http:';
  // A non-default port seen by authbin is rarely the one the sender called over the other scheme.
  if (other.port !== '') other.port = '';
  return other.href;
}

/**
 * Candidate signed URLs, the one to trust first: `override`, else the URL as seen.
 * @example urlVariants('http://bin.local/b/x', undefined, headers)[1] // 'https://bin.local/b/x' (or the X-Forwarded one)
 */
export function urlVariants(seen: string, override: string | undefined, headers: HeaderView): string[] {
  const bases = [override, seen].filter((url): url is string => url !== undefined && url !== '');
  const variants: string[] = [...bases];
  for (const base of bases) {
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      continue;
    }
    const forwarded = forwardedUrl(url, headers);
    const rebuilt = [forwarded, url.href, protocolVariant(url)].filter((href): href is string => href !== undefined);
    for (const href of rebuilt) variants.push(href, portVariant(new URL(href)) ?? href);
  }
  return [...new Set(variants)];
}
