import type { Token } from './tokens.ts';

type XmlNode =
  | { type: 'open'; tokens: Token[]; selfClosing: boolean }
  | { type: 'close'; tokens: Token[] }
  | { type: 'text'; text: string }
  | { type: 'other'; tokens: Token[] };

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ATTR = /^\s*([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'))?/;

function parseTag(source: string): XmlNode | null {
  const closing = source.startsWith('</');
  const inner = source.slice(closing ? 2 : 1, source.length - 1);
  const name = NAME.exec(inner);
  if (!name) return null;
  if (closing) {
    if (inner.slice(name[0].length).trim() !== '') return null;
    return { type: 'close', tokens: [{ kind: 'punct', text: '</' }, { kind: 'tag', text: name[0] }, { kind: 'punct', text: '>' }] };
  }
  const selfClosing = inner.endsWith('/');
  let rest = inner.slice(name[0].length, selfClosing ? -1 : undefined);
  const tokens: Token[] = [{ kind: 'punct', text: '<' }, { kind: 'tag', text: name[0] }];
  while (rest.trim() !== '') {
    const attr = ATTR.exec(rest);
    if (!attr) return null;
    tokens.push({ kind: 'plain', text: ' ' }, { kind: 'attr', text: attr[1] as string });
    if (attr[2] !== undefined) tokens.push({ kind: 'punct', text: '=' }, { kind: 'value', text: attr[2] });
    rest = rest.slice(attr[0].length);
  }
  tokens.push({ kind: 'punct', text: selfClosing ? '/>' : '>' });
  return { type: 'open', tokens, selfClosing };
}

function parseXml(text: string): XmlNode[] | null {
  const nodes: XmlNode[] = [];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt === -1 || lt > i) {
      const end = lt === -1 ? text.length : lt;
      const chunk = text.slice(i, end);
      if (chunk.trim() !== '') nodes.push({ type: 'text', text: chunk.trim() });
      i = end;
      continue;
    }
    const special: [string, string, Token['kind']][] = [
      ['<!--', '-->', 'comment'],
      ['<![CDATA[', ']]>', 'meta'],
      ['<?', '?>', 'meta'],
      ['<!', '>', 'meta'],
    ];
    const kind = special.find(([open]) => text.startsWith(open, i));
    if (kind) {
      const end = text.indexOf(kind[1], i + kind[0].length);
      if (end === -1) return null;
      nodes.push({ type: 'other', tokens: [{ kind: kind[2], text: text.slice(i, end + kind[1].length) }] });
      i = end + kind[1].length;
      continue;
    }
    const gt = findTagEnd(text, i);
    if (gt === -1) return null;
    const tag = parseTag(text.slice(i, gt + 1));
    if (!tag) return null;
    nodes.push(tag);
    i = gt + 1;
  }
  return nodes;
}

/** The index of the `>` closing the tag that starts at `start`, skipping `>` inside quoted attribute values. */
function findTagEnd(text: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
    else if (c === '<') return -1;
  }
  return -1;
}

/**
 * Pretty-prints XML as coloured tokens: one element a line, two-space indented, an element holding only text kept on one line.
 * Text and attribute values are kept exactly as written. Returns null when the text is not well-formed enough to indent.
 */
export function formatXml(text: string): Token[] | null {
  if (!text.trimStart().startsWith('<')) return null;
  const nodes = parseXml(text);
  if (!nodes || !nodes.some((n) => n.type === 'open')) return null;
  const out: Token[] = [];
  let depth = 0;
  const line = (tokens: Token[]) => {
    if (out.length > 0) out.push({ kind: 'plain', text: '\n' });
    if (depth > 0) out.push({ kind: 'plain', text: '  '.repeat(depth) });
    out.push(...tokens);
  };
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as XmlNode;
    if (node.type === 'open') {
      const text = nodes[i + 1];
      const close = nodes[i + 2];
      if (!node.selfClosing && text?.type === 'text' && close?.type === 'close') {
        line([...node.tokens, { kind: 'plain', text: text.text }, ...close.tokens]);
        i += 2;
      } else {
        line(node.tokens);
        if (!node.selfClosing) depth++;
      }
    } else if (node.type === 'close') {
      depth = Math.max(0, depth - 1);
      line(node.tokens);
    } else if (node.type === 'text') {
      line([{ kind: 'plain', text: node.text }]);
    } else {
      line(node.tokens);
    }
  }
  return out;
}
