import type { RequestDetail } from '../../shared/api.ts';
import './AnswerNote.css';

type Answer = NonNullable<RequestDetail['answer']>;

/**
 * How authbin answered the sender, and why: "Answered 401 by rule Zendesk API — the API token
 * matches once the trailing line break is removed", or "Answered 200 with the bin's response" where no
 * rule did. The reasons come from the rules that decided, or say why authbin answered by itself.
 */
export function AnswerNote({ answer }: { answer: Answer }) {
  const by = answer.rule ? (
    <>
      by rule <em class="answer-rule">{answer.rule.name || 'without a name'}</em>
    </>
  ) : answer.own ? (
    <>by authbin itself</>
  ) : (
    <>with the bin's response</>
  );
  if (answer.status === null) {
    // Not known (stored by an older authbin, or imported without it): the reason says so, nothing is guessed.
    const said = answer.reasons.join('; ');
    return (
      <p class="answer-note" data-testid="answer-note">
        {said.charAt(0).toUpperCase() + said.slice(1)}
      </p>
    );
  }
  return (
    <p class="answer-note" data-testid="answer-note">
      Answered <strong>{answer.status}</strong> {by}
      {answer.reasons.length > 0 && <> — {answer.reasons.join('; ')}</>}
    </p>
  );
}
