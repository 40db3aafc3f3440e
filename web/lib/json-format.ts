import type { Token } from './tokens.ts';

const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}[\]:,]|\s+/gy;

/**
 * Pretty-prints JSON text as coloured tokens, two-space indented, keeping every token exactly as written
 * (big numbers, escapes and duplicate keys survive, unlike JSON.parse + stringify). Returns null when the text is not JSON.
 */
export function formatJson(text: string): Token[] | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  const lexemes: string[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (match = TOKEN.exec(text))) {
    if (!/^\s/.test(match[0])) lexemes.push(match[0]);
  }
  // JSON.parse accepted it, so the lexer must have consumed everything; anything else is a lexer bug, shown raw.
  if (TOKEN.lastIndex !== text.length && text.trim() !== '') return null;

  const out: Token[] = [];
  let depth = 0;
  const newline = () => out.push({ kind: 'plain', text: '\n' + '  '.repeat(depth) });
  for (let i = 0; i < lexemes.length; i++) {
    const lex = lexemes[i] as string;
    const next = lexemes[i + 1];
    if (lex === '{' || lex === '[') {
      out.push({ kind: 'punct', text: lex });
      if (next === '}' || next === ']') {
        out.push({ kind: 'punct', text: next });
        i++;
      } else {
        depth++;
        newline();
      }
    } else if (lex === '}' || lex === ']') {
      depth--;
      newline();
      out.push({ kind: 'punct', text: lex });
    } else if (lex === ',') {
      out.push({ kind: 'punct', text: ',' });
      newline();
    } else if (lex === ':') {
      out.push({ kind: 'punct', text: ': ' });
    } else if (lex.startsWith('"')) {
      out.push({ kind: next === ':' ? 'key' : 'string', text: lex });
    } else if (lex === 'true' || lex === 'false' || lex === 'null') {
      out.push({ kind: 'literal', text: lex });
    } else {
      out.push({ kind: 'number', text: lex });
    }
  }
  return out;
}

/** The plain text of tokens, e.g. to copy what is shown. */
export function tokensToText(tokens: Token[]): string {
  return tokens.map((t) => t.text).join('');
}
