import { useState } from 'preact/hooks';
import type { Expected } from '../../shared/auth/types.ts';
import { basicChallengePreset, flakyPreset, retryPreset, zendeskApiPreset, type ZendeskCredentials } from '../../shared/rules/presets.ts';
import type { Rule } from '../../shared/rules/types.ts';
import { isComplete } from '../lib/expected.ts';
import { draftsFromRules, type RuleDraft } from '../lib/rule-draft.ts';
import { CredentialsFields } from './CredentialsFields.tsx';
import { RuleField } from './RuleField.tsx';

type PresetName = 'zendesk' | 'basic' | 'retry' | 'flaky';

const ZENDESK_KINDS = ['api-token', 'password', 'oauth'] as const;
const isZendesk = (expected: Expected): expected is ZendeskCredentials => (ZENDESK_KINDS as readonly string[]).includes(expected.kind);

const PRESETS: { name: PresetName; label: string; about: string }[] = [
  { name: 'zendesk', label: 'Zendesk API', about: 'Answers 401 “Couldn’t authenticate you” with the reason, unless the credentials match; then 200 with a user.' },
  { name: 'basic', label: 'Basic challenge', about: 'Answers 401 with WWW-Authenticate: Basic until the expected credentials arrive.' },
  { name: 'retry', label: 'Retry 429', about: 'Answers 429 with Retry-After to the first requests, then the bin’s response.' },
  { name: 'flaky', label: 'Flaky 503', about: 'Answers 503 to the first requests, then the bin’s response.' },
];

function wholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
}

/** One-click rules built by the shared preset builders, appended to the list for the user to review and save. */
export function RulePresets({ onAdd }: { onAdd: (drafts: RuleDraft[]) => void }) {
  const [open, setOpen] = useState<PresetName | null>(null);
  const [expected, setExpected] = useState<Expected>({ kind: 'api-token', email: '', token: '' });
  const [times, setTimes] = useState('2');
  const [retryAfter, setRetryAfter] = useState('7');
  const [error, setError] = useState('');
  const preset = PRESETS.find((p) => p.name === open);

  /** The preset's rules, or why they cannot be built from what was typed. */
  function build(name: PresetName): Rule[] | string {
    const count = wholeNumber(times);
    const seconds = wholeNumber(retryAfter);
    if (name === 'retry' || name === 'flaky') {
      if (count === null || count < 1) return 'How many times must be a whole number, 1 or more.';
      if (name === 'flaky') return flakyPreset({ times: count });
      if (seconds === null) return 'Retry-After must be a whole number of seconds.';
      return retryPreset({ times: count, retryAfter: seconds });
    }
    if (!isComplete(expected)) return 'Fill in the credentials the rule expects.';
    if (name === 'basic') return basicChallengePreset(expected);
    return isZendesk(expected) ? zendeskApiPreset(expected) : 'Zendesk takes an API token, a password or an OAuth token.';
  }

  function add(event: Event) {
    event.preventDefault();
    if (!open) return;
    const rules = build(open);
    if (typeof rules === 'string') return setError(rules);
    onAdd(draftsFromRules(rules));
    setOpen(null);
    setError('');
  }

  return (
    <div class="rule-presets">
      <div class="rule-presets-buttons" role="group" aria-label="Presets">
        {PRESETS.map(({ name, label }) => (
          <button
            key={name}
            type="button"
            class="btn btn-small"
            aria-expanded={open === name}
            onClick={() => {
              setOpen(open === name ? null : name);
              setError('');
            }}
          >
            {label}…
          </button>
        ))}
      </div>
      {preset && (
        <div class="rule-preset-form" role="group" aria-label={`${preset.label} preset`}>
          <p class="muted">{preset.about}</p>
          {(open === 'zendesk' || open === 'basic') && (
            <CredentialsFields idPrefix={`preset-${open}`} expected={expected} onChange={setExpected} kinds={open === 'zendesk' ? ZENDESK_KINDS : undefined} />
          )}
          {(open === 'retry' || open === 'flaky') && <RuleField id="preset-times" label="How many times" inputMode="numeric" value={times} onInput={setTimes} />}
          {open === 'retry' && <RuleField id="preset-retry-after" label="Retry-After (seconds)" inputMode="numeric" value={retryAfter} onInput={setRetryAfter} />}
          {error && (
            <p class="rule-error" role="alert">
              {error}
            </p>
          )}
          <button type="button" class="btn btn-primary btn-small" onClick={add}>
            Add {preset.label} rules
          </button>
        </div>
      )}
    </div>
  );
}
