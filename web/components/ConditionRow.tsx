import { findingCodes } from '../../shared/auth/index.ts';
import { SCHEME_LABEL, SIGNATURE_SCHEMES } from '../../shared/signatures/scheme-names.ts';
import { CONDITION_KINDS, type ConditionDraft, type ConditionKind, type MatchOp } from '../lib/rule-draft.ts';
import { CredentialsFields } from './CredentialsFields.tsx';
import { RuleField, RuleSelect } from './RuleField.tsx';

interface ConditionRowProps {
  /** Prefix of every id in the row, e.g. "rule-0-when-1". */
  idPrefix: string;
  condition: ConditionDraft;
  onChange: (condition: ConditionDraft) => void;
  onRemove: () => void;
  error?: string | undefined;
}

const MATCH_OPS: { op: MatchOp; label: string }[] = [
  { op: 'present', label: 'is present' },
  { op: 'equals', label: 'equals' },
  { op: 'contains', label: 'contains' },
  { op: 'matches', label: 'matches the regular expression' },
];

const BODY_OPS: { op: MatchOp; label: string }[] = [
  { op: 'contains', label: 'contains' },
  { op: 'matches', label: 'matches the regular expression' },
  { op: 'json', label: 'has at a JSON path' },
];

const VALUE_LABEL: Partial<Record<ConditionKind, [label: string, placeholder: string]>> = {
  method: ['Method', 'POST'],
  path: ['Path after the bin (glob)', '/api/v2/*'],
  pathRegex: ['Path after the bin (regular expression)', '^/api/v2/users/\\d+$'],
};

/** One condition of a rule: its kind, `not`, and the inputs that kind takes; its problem shown below it. */
export function ConditionRow({ idPrefix, condition, onChange, onRemove, error }: ConditionRowProps) {
  const set = (patch: Partial<ConditionDraft>) => onChange({ ...condition, ...patch });
  const field = (name: 'value' | 'name' | 'jsonPath', label: string, placeholder?: string) => (
    <RuleField id={`${idPrefix}-${name}`} label={label} value={condition[name]} placeholder={placeholder} onInput={(value) => set({ [name]: value })} />
  );
  const ops = condition.kind === 'body' ? BODY_OPS : MATCH_OPS;
  const fixedValue = VALUE_LABEL[condition.kind];
  return (
    <li class="condition-row" aria-describedby={error ? `${idPrefix}-error` : undefined}>
      <div class="condition-head">
        <RuleSelect
          id={`${idPrefix}-kind`}
          label="Condition"
          value={condition.kind}
          options={CONDITION_KINDS.map(({ kind, label }) => ({ value: kind, label }))}
          onChange={(kind) => set({ kind, op: kind === 'body' ? 'contains' : 'present' })}
        />
        <label class="condition-not">
          <input type="checkbox" checked={condition.not} onChange={(e) => set({ not: e.currentTarget.checked })} />
          <span>not</span>
        </label>
        <button type="button" class="btn btn-small" aria-label="Remove this condition" onClick={onRemove}>
          Remove
        </button>
      </div>
      <div class="condition-inputs">
        {fixedValue && field('value', fixedValue[0], fixedValue[1])}
        {(condition.kind === 'query' || condition.kind === 'header') && field('name', condition.kind === 'query' ? 'Parameter name' : 'Header name')}
        {(condition.kind === 'query' || condition.kind === 'header' || condition.kind === 'body') && (
          <RuleSelect id={`${idPrefix}-op`} label="Test" value={condition.op} options={ops.map(({ op, label }) => ({ value: op, label }))} onChange={(op) => set({ op })} />
        )}
        {condition.op === 'json' && condition.kind === 'body' && field('jsonPath', 'JSON path', '$.ticket.id')}
        {(condition.kind === 'query' || condition.kind === 'header' || condition.kind === 'body') &&
          condition.op !== 'present' &&
          field('value', condition.op === 'json' ? 'Equals (JSON)' : 'Text', condition.op === 'json' ? '42' : undefined)}
        {condition.kind === 'finding' && (
          <RuleSelect
            id={`${idPrefix}-finding`}
            label="Finding"
            value={condition.value}
            options={[{ value: '', label: 'Pick one…' }, ...findingCodes.map((code) => ({ value: code, label: code }))]}
            onChange={(value) => set({ value })}
          />
        )}
        {condition.kind === 'credentials' && <CredentialsFields idPrefix={idPrefix} expected={condition.expected} onChange={(expected) => set({ expected })} />}
        {condition.kind === 'signature' && (
          <>
            <RuleSelect
              id={`${idPrefix}-scheme`}
              label="Scheme"
              value={condition.scheme}
              options={[{ value: '', label: 'Any' }, ...SIGNATURE_SCHEMES.map((scheme) => ({ value: scheme, label: SCHEME_LABEL[scheme] }))]}
              onChange={(scheme) => set({ scheme })}
            />
            <RuleField id={`${idPrefix}-secret`} label="Signing secret" secret value={condition.secret} onInput={(secret) => set({ secret })} />
          </>
        )}
      </div>
      {error && (
        <p class="rule-error" id={`${idPrefix}-error`}>
          {error}
        </p>
      )}
    </li>
  );
}
