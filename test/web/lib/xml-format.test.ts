import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tokensToText } from '../../../web/lib/json-format.ts';
import { formatXml } from '../../../web/lib/xml-format.ts';

describe('formatXml', () => {
  it('puts one element a line, indented, with text-only elements kept on one line', () => {
    const tokens = formatXml('<?xml version="1.0"?><ticket id="7"><subject>Help</subject><tags><tag/></tags></ticket>');
    expect(tokensToText(tokens!)).toBe(
      '<?xml version="1.0"?>\n<ticket id="7">\n  <subject>Help</subject>\n  <tags>\n    <tag/>\n  </tags>\n</ticket>',
    );
  });

  it('colours tag names, attribute names and values', () => {
    const tokens = formatXml(`<a href='x>y' data-n="1">t</a>`)!;
    expect(tokens.filter((t) => t.kind === 'tag').map((t) => t.text)).toEqual(['a', 'a']);
    expect(tokens.filter((t) => t.kind === 'attr').map((t) => t.text)).toEqual(['href', 'data-n']);
    expect(tokens.filter((t) => t.kind === 'value').map((t) => t.text)).toEqual([`'x>y'`, '"1"']);
  });

  it('keeps comments and CDATA as they are', () => {
    const text = tokensToText(formatXml('<r><!-- note <b> --><![CDATA[<raw>&]]></r>')!);
    expect(text).toContain('<!-- note <b> -->');
    expect(text).toContain('<![CDATA[<raw>&]]>');
  });

  it('keeps a script payload as plain text tokens (they are rendered as text, never markup)', () => {
    const tokens = formatXml('<x><script>alert(1)</script></x>')!;
    expect(tokensToText(tokens)).toBe('<x>\n  <script>alert(1)</script>\n</x>');
  });

  it('returns null for text that is not XML', () => {
    expect(formatXml('plain text')).toBeNull();
    expect(formatXml('<unclosed')).toBeNull();
    expect(formatXml('<a b="1></a>')).toBeNull();
    expect(formatXml('<>')).toBeNull();
  });

  it('only ever adds indentation between tags: removing it gives back the document', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);
    const text = fc.stringMatching(/^[^<>&\s]([^<>&]{0,10}[^<>&\s])?$/);
    const attrs = fc.array(fc.tuple(name, fc.stringMatching(/^[^"<&]{0,8}$/)), { maxLength: 2 });
    const { element } = fc.letrec<{ element: string }>((tie) => ({
      element: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.tuple(name, attrs).map(([n, a]) => `<${n}${a.map(([k, v]) => ` ${k}="${v}"`).join('')}/>`),
        fc.tuple(name, text).map(([n, t]) => `<${n}>${t}</${n}>`),
        fc.tuple(name, fc.array(tie('element'), { maxLength: 3 })).map(([n, children]) => `<${n}>${children.join('')}</${n}>`),
      ),
    }));
    fc.assert(
      fc.property(element, (xml) => {
        const tokens = formatXml(xml);
        expect(tokens).not.toBeNull();
        expect(tokensToText(tokens!).replace(/>\n\s*</g, '><')).toBe(xml);
      }),
    );
  });
});
