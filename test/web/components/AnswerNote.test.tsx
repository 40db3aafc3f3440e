import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/preact';
import { AnswerNote } from '../../../web/components/AnswerNote.tsx';

afterEach(cleanup);

describe('answer note', () => {
  it('names the status, the rule and the reasons', () => {
    render(<AnswerNote answer={{ status: 401, rule: { id: 'r1', name: 'Zendesk API' }, reasons: ['the API token matches once the trailing line break is removed'] }} />);
    expect(screen.getByTestId('answer-note').textContent).toBe('Answered 401 by rule Zendesk API — the API token matches once the trailing line break is removed');
  });

  it('says when no rule answered, and joins several reasons', () => {
    render(<AnswerNote answer={{ status: 200, rule: null, reasons: ['rule 1: the email differs', 'rule 2: no X-Api-Key header'] }} />);
    expect(screen.getByTestId('answer-note').textContent).toBe("Answered 200 with the bin's response — rule 1: the email differs; rule 2: no X-Api-Key header");
  });

  it('says when authbin answered by itself', () => {
    render(<AnswerNote answer={{ status: 204, rule: null, reasons: ['a CORS preflight, which authbin answers itself'], own: true }} />);
    expect(screen.getByTestId('answer-note').textContent).toBe('Answered 204 by authbin itself — a CORS preflight, which authbin answers itself');
  });

  it('says the answer is not known rather than a status, for a request an older authbin stored', () => {
    render(<AnswerNote answer={{ status: null, rule: null, reasons: ['answer not recorded (stored by an older authbin)'] }} />);
    expect(screen.getByTestId('answer-note').textContent).toBe('Answer not recorded (stored by an older authbin)');
  });
});
