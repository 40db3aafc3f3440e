import type { AuthorizationReading } from '../../shared/auth/read-authorization.ts';
import { readingLasts } from './authorization-readings.ts';

/** Outcomes `CredentialOutcomes` keeps per kept secret at most; then it starts over for that secret. */
const keptOutcomes = 256;

type Outcome = { holds: boolean; reason: string };

/**
 * What a `credentials` condition decided lately, by the secret it keeps and the Authorization value
 * a capture sent. A sender sends the same credentials request after request, and the condition's
 * outcome (comparing the email, the scheme, hashing the secret and each repaired candidate, naming
 * the mistake) depends on nothing else once the reading lasts (`readingLasts`). Kept by the kept
 * secret's own object, which rules read again when they change: a changed rule is never answered
 * by what the one before it decided. Only in memory, as the Authorization readings are.
 */
export class CredentialOutcomes {
  readonly #bySecret = new WeakMap<object, Map<string, Outcome>>();

  /**
   * `decide()`, or what it gave before for this kept secret and Authorization value. `reading`
   * reads the value (once per capture); outcomes on a reading that may change with time are not kept.
   */
  outcome(kept: object, authorization: string, reading: () => AuthorizationReading, decide: () => Outcome): Outcome {
    const outcomes = this.#bySecret.get(kept);
    const known = outcomes?.get(authorization);
    if (known) return known;
    const decided = decide();
    if (!readingLasts(reading())) return decided;
    if (!outcomes) this.#bySecret.set(kept, new Map([[authorization, decided]]));
    else {
      if (outcomes.size >= keptOutcomes) outcomes.clear();
      outcomes.set(authorization, decided);
    }
    return decided;
  }
}
