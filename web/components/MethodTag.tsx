import './MethodTag.css';

const KNOWN = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** An HTTP method in a fixed-width coloured tag; unknown methods (PROPFIND…) are shown as sent. */
export function MethodTag({ method }: { method: string }) {
  const upper = method.toUpperCase();
  return <span class={`method-tag method-${KNOWN.has(upper) ? upper.toLowerCase() : 'other'}`}>{method}</span>;
}
