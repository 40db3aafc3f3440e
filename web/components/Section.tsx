import type { ComponentChildren } from 'preact';

/** A titled part of a page; the title labels the region for screen readers. */
export function Section({ title, id, children, aside }: { title: string; id: string; children: ComponentChildren; aside?: ComponentChildren }) {
  return (
    <section class="section" aria-labelledby={id}>
      <div class="section-head">
        <h2 id={id}>{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}
