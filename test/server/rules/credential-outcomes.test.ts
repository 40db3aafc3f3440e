import { describe, expect, it } from 'vitest';
import { readAuthorization } from '../../../shared/auth/read-authorization.ts';
import { CredentialOutcomes } from '../../../server/rules/credential-outcomes.ts';

const basic = `Basic ${Buffer.from('me@example.com/token:abc').toString('base64')}`;
const bearer = 'Bearer abc';

/** An outcome that says how many times it was decided, so that a kept one shows. */
function counting() {
  let decided = 0;
  return { decide: () => ({ holds: false, reason: `decided ${++decided}` }), count: () => decided };
}

describe('CredentialOutcomes', () => {
  it('decides once per kept secret and Basic value, and again for another value or another kept secret', () => {
    const outcomes = new CredentialOutcomes();
    const kept = { hash: 'h' };
    const { decide, count } = counting();
    const read = (value: string) => () => readAuthorization(value, 0);
    expect(outcomes.outcome(kept, basic, read(basic), decide).reason).toBe('decided 1');
    expect(outcomes.outcome(kept, basic, read(basic), decide).reason).toBe('decided 1');
    const other = `Basic ${Buffer.from('me@example.com/token:abd').toString('base64')}`;
    expect(outcomes.outcome(kept, other, read(other), decide).reason).toBe('decided 2');
    // Rules read again after a change keep their secrets in new objects: what the old ones decided is not used.
    expect(outcomes.outcome({ hash: 'h' }, basic, read(basic), decide).reason).toBe('decided 3');
    expect(count()).toBe(3);
  });

  it('decides a bearer token every time: what its reading finds may depend on when it arrived', () => {
    const outcomes = new CredentialOutcomes();
    const kept = { hash: 'h' };
    const { decide, count } = counting();
    for (let at = 0; at < 3; at++) outcomes.outcome(kept, bearer, () => readAuthorization(bearer, 0), decide);
    expect(count()).toBe(3);
  });

  it('stays right past the number of values it keeps per secret', () => {
    const outcomes = new CredentialOutcomes();
    const kept = { hash: 'h' };
    for (let at = 0; at < 600; at++) {
      const value = `Basic ${Buffer.from(`me@example.com/token:${at % 300}`).toString('base64')}`;
      const outcome = outcomes.outcome(kept, value, () => readAuthorization(value, 0), () => ({ holds: at % 300 === 7, reason: `for ${at % 300}` }));
      expect(outcome).toEqual({ holds: at % 300 === 7, reason: `for ${at % 300}` });
    }
  });
});
