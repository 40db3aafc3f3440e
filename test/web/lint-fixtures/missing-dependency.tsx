import { useEffect, useState } from 'preact/hooks';

/** Breaks exhaustive-deps on purpose: the effect reads `bin` but does not list it, so it keeps the first bin's title. */
export function MissingDependency({ bin }: { bin: string }) {
  const [title, setTitle] = useState('');
  useEffect(() => {
    setTitle(`${bin} · authbin`);
  }, []);
  return <h1>{title}</h1>;
}
