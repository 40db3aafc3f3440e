import { useEffect, useRef, useState } from 'preact/hooks';
import type { Rule } from '../../shared/rules/types.ts';
import { readRules } from '../../shared/rules/validate.ts';
import { ApiRequestError } from '../api/client.ts';
import { draftsFromRules, emptyRule, fieldOfPath, moveItem, problemFromMessage, rulesFromDrafts, type DraftProblem, type RuleDraft } from '../lib/rule-draft.ts';
import { useAppState } from '../state/context.ts';
import { RuleCard } from './RuleCard.tsx';
import { RulePresets } from './RulePresets.tsx';
import './RulesEditor.css';

/** A draft with a key of its own, so a card keeps its DOM (and focus) when the list is reordered. */
interface Item {
  key: number;
  draft: RuleDraft;
}

let nextKey = 0;
const itemsOf = (drafts: RuleDraft[]): Item[] => drafts.map((draft) => ({ key: nextKey++, draft }));

/** Problems by the form field they name; the first problem of a field wins. */
function errorMap(problems: DraftProblem[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const { path, message } of problems) {
    const field = fieldOfPath(path);
    if (!map.has(field)) map.set(field, message);
  }
  return map;
}

/**
 * A bin's ordered rules: the first whose conditions all hold answers. Edited here, saved as one list
 * (the server takes all of it or none), problems shown beside the field they name.
 */
export function RulesEditor({ binId }: { binId: string }) {
  const { client } = useAppState();
  const [items, setItems] = useState<Item[] | null>(null);
  const [answered, setAnswered] = useState<ReadonlyMap<string, number>>(new Map());
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [busy, setBusy] = useState(false);
  const list = useRef<HTMLDivElement>(null);
  const focusKey = useRef<number | null>(null);

  function load(rules: readonly Rule[]) {
    setItems(itemsOf(draftsFromRules(rules)));
    setAnswered(new Map(rules.flatMap((rule) => (rule.answered === undefined ? [] : [[rule.id, rule.answered] as const]))));
  }

  useEffect(() => {
    let live = true;
    client.getRules(binId).then(
      ({ rules }) => live && load(rules),
      // A bin that has not caught anything yet has no rules either.
      (e: unknown) => live && (e instanceof ApiRequestError && e.status === 404 ? load([]) : setMessage({ error: true, text: (e as Error).message })),
    );
    return () => {
      live = false;
    };
  }, [client, binId]);

  useEffect(() => {
    if (focusKey.current === null) return;
    // An effect of an earlier render may run first: keep the key until its card is there.
    const card = list.current?.querySelector<HTMLElement>(`[data-rule-key="${focusKey.current}"]`);
    if (!card) return;
    card.focus();
    focusKey.current = null;
  });

  if (!items) return <p class="muted rules-loading">{message ? message.text : 'Loading rules…'}</p>;

  const titleOf = (item: Item, at: number) => (item.draft.name ? `Rule ${item.draft.name}` : `Rule ${at + 1}`);

  function move(from: number, delta: number) {
    if (!items) return;
    const to = from + delta;
    if (to < 0 || to >= items.length) return;
    const item = items[from]!;
    setItems(moveItem(items, from, to));
    setErrors(new Map());
    focusKey.current = item.key;
    setAnnouncement(`${titleOf(item, from)} moved to position ${to + 1} of ${items.length}.`);
  }

  function append(drafts: RuleDraft[]) {
    if (!items) return;
    const added = itemsOf(drafts);
    setItems([...items, ...added]);
    focusKey.current = added[0]?.key ?? null;
    setAnnouncement(drafts.length === 1 ? `Rule ${items.length + 1} added.` : `${drafts.length} rules added, from ${items.length + 1} on.`);
  }

  async function save(event: Event) {
    event.preventDefault();
    if (!items) return;
    const built = rulesFromDrafts(items.map((item) => item.draft));
    // The shared reader the server applies too, so the editor shows every problem before sending.
    const checked = 'rules' in built ? readRules(built.rules) : built;
    if ('problems' in checked) {
      setErrors(errorMap(checked.problems));
      setMessage({ error: true, text: `Not saved: ${checked.problems.length === 1 ? 'one field needs' : `${checked.problems.length} fields need`} a change (shown beside it).` });
      return;
    }
    setBusy(true);
    try {
      load((await client.setRules(binId, checked.rules)).rules);
      setErrors(new Map());
      setMessage({ error: false, text: 'Rules saved. The next request is answered by them.' });
    } catch (e) {
      const problem = e instanceof ApiRequestError && e.status === 400 ? problemFromMessage(e.message) : null;
      if (problem) setErrors(errorMap([problem]));
      setMessage({ error: true, text: problem ? 'Not saved: the server refused a field (shown beside it).' : (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  async function resetCounters() {
    setBusy(true);
    try {
      load((await client.resetRules(binId)).rules);
      setMessage({ error: false, text: 'Counters reset: every rule answers again as if no request had come.' });
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="settings-form rules-editor" onSubmit={save} aria-labelledby="rules-title" noValidate>
      <div class="settings-form-head">
        <h3 id="rules-title">Rules</h3>
        <p class="muted">
          The first rule whose conditions all hold answers the request; when none does, the response above does. Move a rule with its arrows, or Alt+↑ and Alt+↓
          inside it.
        </p>
      </div>
      <RulePresets onAdd={append} />
      {items.length === 0 ? (
        <p class="muted">No rules: every request gets the bin’s response.</p>
      ) : (
        <div class="rules-list" ref={list}>
          {items.map((item, at) => (
            <RuleCard
              key={item.key}
              index={at}
              count={items.length}
              draft={item.draft}
              errors={errors}
              answered={item.draft.id ? answered.get(item.draft.id) : undefined}
              ruleKey={item.key}
              onChange={(draft) => setItems(items.map((other) => (other.key === item.key ? { ...other, draft } : other)))}
              onMove={(delta) => move(at, delta)}
              onRemove={() => {
                setItems(items.filter((other) => other.key !== item.key));
                setErrors(new Map());
                setAnnouncement(`${titleOf(item, at)} deleted.`);
              }}
            />
          ))}
        </div>
      )}
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {message && (
        <p class={message.error ? 'notice' : 'settings-saved'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <div class="settings-form-actions">
        <button type="button" class="btn" onClick={() => append([emptyRule()])}>
          Add rule
        </button>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          Save rules
        </button>
        <button type="button" class="btn" disabled={busy} onClick={() => void resetCounters()}>
          Reset counters
        </button>
      </div>
    </form>
  );
}
