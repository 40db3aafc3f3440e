/**
 * Separators as the target (or a proxy before it) may read them: `\` is `/` to WHATWG URL
 * parsers, and servers that decode before routing turn `%2F` and `%5C` into separators too.
 */
const separators = /(\/|\\|%2f|%5c)/i;

/** 1 for a `.` segment, 2 for `..`, also percent-encoded and with `;` parameters (`..;x`, as Tomcat reads it); else 0. */
function dots(segment: string): 0 | 1 | 2 {
  const name = segment.replace(/;.*$/, '').replace(/%2e/gi, '.');
  return name === '.' ? 1 : name === '..' ? 2 : 0;
}

/**
 * The sub-path of a capture as relayed: `.` and `..` segments resolved (RFC 3986 §5.2.4) in
 * every spelling a target might read as one, so that no captured path climbs above the
 * forwardTo URL's own path. The rest is kept byte for byte.
 *
 * @example
 * relayPath('/../admin') // '/admin'
 * relayPath('/a/%2e%2E/..%2fx/') // '/x/'
 * relayPath('/files/a%2Fb') // '/files/a%2Fb'
 */
export function relayPath(path: string): string {
  const parts = path.split(separators);
  // [segment, separator, segment, separator, segment…]: each kept segment keeps the separator before it.
  const kept: [separator: string, segment: string][] = parts[0] === '' ? [] : [['/', parts[0]!]];
  let endsInDots = false;
  for (let i = 1; i < parts.length; i += 2) {
    const segment = parts[i + 1]!;
    const kind = dots(segment);
    if (kind === 2) kept.pop();
    else if (kind === 0) kept.push([parts[i]!, segment]);
    endsInDots = kind !== 0;
  }
  if (kept.length === 0) return '/';
  const joined = kept.map(([separator, segment], i) => (i === 0 ? '/' : separator) + segment).join('');
  return endsInDots ? `${joined}/` : joined;
}
