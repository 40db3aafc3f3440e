import { useState } from 'preact/hooks';

/** Breaks rules-of-hooks on purpose: a hook called only on some renders. */
export function ConditionalHook({ open }: { open: boolean }) {
  if (!open) return null;
  const [count, setCount] = useState(0);
  return <button onClick={() => setCount(count + 1)}>{count}</button>;
}
