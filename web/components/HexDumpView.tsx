import { useState } from 'preact/hooks';
import { hexDump } from '../lib/hex-dump.ts';
import './CodeView.css';

const FIRST_BYTES = 4096;

/** Binary content as a hex dump, the first 4 KB at first. */
export function HexDumpView({ bytes }: { bytes: Uint8Array }) {
  const [all, setAll] = useState(false);
  const limit = all ? bytes.length : FIRST_BYTES;
  const text = hexDump(bytes, limit)
    .map((line) => `${line.offset}  ${line.hex.padEnd(49)}  ${line.ascii}`)
    .join('\n');
  return (
    <div>
      <pre class="code-view hex-dump" aria-label="Hex dump" tabIndex={0}>
        <code>{text}</code>
      </pre>
      {bytes.length > limit && (
        <button type="button" class="btn-link" onClick={() => setAll(true)}>
          Show all {bytes.length.toLocaleString('en-US')} bytes
        </button>
      )}
    </div>
  );
}
