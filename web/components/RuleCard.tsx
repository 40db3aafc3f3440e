import { emptyCondition, type RuleDraft } from '../lib/rule-draft.ts';
import { ConditionRow } from './ConditionRow.tsx';
import { RuleField } from './RuleField.tsx';

interface RuleCardProps {
  index: number;
  count: number;
  draft: RuleDraft;
  onChange: (draft: RuleDraft) => void;
  /** Moves the rule by `delta` places (-1 up, +1 down). */
  onMove: (delta: number) => void;
  onRemove: () => void;
  /** Problems by the field they name (`rules[0].respond.status`, `rules[0].when[1]`…). */
  errors: ReadonlyMap<string, string>;
  /** How many requests the rule has answered since its counter was last reset; absent for a new rule. */
  answered?: number | undefined;
  /** The card's key in the list, on its element so the editor can find it to move focus there. */
  ruleKey: number;
}

/** One rule: when it applies, what it answers, how often; Alt+↑/↓ anywhere inside moves it. */
export function RuleCard({ index, count, draft, onChange, onMove, onRemove, errors, answered, ruleKey }: RuleCardProps) {
  const path = `rules[${index}]`;
  const id = `rule-${index}`;
  const set = (patch: Partial<RuleDraft>) => onChange({ ...draft, ...patch });
  const title = `Rule ${index + 1}${draft.name ? `: ${draft.name}` : ''}`;
  const text = (name: 'name' | 'status' | 'headers' | 'body' | 'delayMs' | 'times', label: string, options: { errorPath: string; multiline?: boolean; placeholder?: string; numeric?: boolean }) => (
    <RuleField
      id={`${id}-${name}`}
      label={label}
      value={draft[name]}
      onInput={(value) => set({ [name]: value })}
      error={errors.get(options.errorPath)}
      multiline={options.multiline}
      placeholder={options.placeholder}
      inputMode={options.numeric ? 'numeric' : undefined}
    />
  );
  return (
    <section
      class="rule-card"
      data-rule-key={ruleKey}
      tabIndex={-1}
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
        e.preventDefault();
        onMove(e.key === 'ArrowUp' ? -1 : 1);
      }}
    >
      <div class="rule-card-head">
        <h4 id={`${id}-title`}>{title}</h4>
        <div class="rule-card-actions">
          <button type="button" class="btn btn-small" aria-label={`Move ${title} up`} aria-keyshortcuts="Alt+ArrowUp" disabled={index === 0} onClick={() => onMove(-1)}>
            ↑
          </button>
          <button type="button" class="btn btn-small" aria-label={`Move ${title} down`} aria-keyshortcuts="Alt+ArrowDown" disabled={index === count - 1} onClick={() => onMove(1)}>
            ↓
          </button>
          <button type="button" class="btn btn-small btn-danger" aria-label={`Delete ${title}`} onClick={onRemove}>
            Delete
          </button>
        </div>
      </div>
      {text('name', 'Name', { errorPath: `${path}.name`, placeholder: 'Zendesk API' })}
      <fieldset class="rule-when">
        <legend>When {draft.when.length === 0 ? '(always)' : 'all of these hold'}</legend>
        {draft.when.length > 0 && (
          <ol class="rule-conditions">
            {draft.when.map((condition, at) => (
              <ConditionRow
                // Conditions have no identity of their own; their place is what the server names them by too.
                key={at}
                idPrefix={`${id}-when-${at}`}
                condition={condition}
                error={errors.get(`${path}.when[${at}]`)}
                onChange={(next) => set({ when: draft.when.map((c, i) => (i === at ? next : c)) })}
                onRemove={() => set({ when: draft.when.filter((_, i) => i !== at) })}
              />
            ))}
          </ol>
        )}
        <button type="button" class="btn btn-small" onClick={() => set({ when: [...draft.when, emptyCondition()] })}>
          Add condition
        </button>
      </fieldset>
      <fieldset class="rule-respond">
        <legend>Respond</legend>
        <div class="rule-respond-grid">
          {text('status', 'Status', { errorPath: `${path}.respond.status`, placeholder: 'the bin’s', numeric: true })}
          {text('delayMs', 'Delay (ms)', { errorPath: `${path}.respond.delayMs`, placeholder: '0', numeric: true })}
          {text('times', 'Answers at most (times)', { errorPath: `${path}.times`, placeholder: 'no limit', numeric: true })}
        </div>
        {text('headers', 'Headers (one “Name: value” a line; {{reason}} and other placeholders allowed)', { errorPath: `${path}.respond.headers`, multiline: true, placeholder: 'X-Authbin-Reason: {{reason}}' })}
        {text('body', 'Body', { errorPath: `${path}.respond.body`, multiline: true })}
      </fieldset>
      {answered !== undefined && (
        <p class="rule-counter muted" data-testid="rule-counter">
          Answered {answered} {answered === 1 ? 'request' : 'requests'}
          {draft.times.trim() !== '' ? ` of at most ${draft.times.trim()}` : ''} since the counters were last reset.
        </p>
      )}
    </section>
  );
}
