export interface HexLine {
  offset: string;
  hex: string;
  ascii: string;
}

/**
 * A classic hex dump, 16 bytes a line: offset, hex bytes in two groups of 8, printable ASCII (others as ".").
 * Only the first `limit` bytes are dumped, so a large binary body stays cheap to render.
 */
export function hexDump(bytes: Uint8Array, limit = bytes.length): HexLine[] {
  const end = Math.min(bytes.length, limit);
  const lines: HexLine[] = [];
  for (let start = 0; start < end; start += 16) {
    const row = bytes.subarray(start, Math.min(start + 16, end));
    const hexParts: string[] = [];
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const byte = row[i];
      hexParts.push(byte === undefined ? '  ' : byte.toString(16).padStart(2, '0'));
      if (byte !== undefined) ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    }
    lines.push({
      offset: start.toString(16).padStart(8, '0'),
      hex: (hexParts.slice(0, 8).join(' ') + '  ' + hexParts.slice(8).join(' ')).trimEnd(),
      ascii,
    });
  }
  return lines;
}
