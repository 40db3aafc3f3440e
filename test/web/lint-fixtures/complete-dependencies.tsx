import { useEffect, useState } from 'preact/hooks';

/** The same component with its dependency listed: the linter must accept it. */
export function CompleteDependencies({ bin }: { bin: string }) {
  const [title, setTitle] = useState('');
  useEffect(() => {
    setTitle(`${bin} · authbin`);
  }, [bin]);
  return <h1>{title}</h1>;
}
