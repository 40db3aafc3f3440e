import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { RulesEditor } from '../../../web/components/RulesEditor.tsx';
import { renderAt, startHarness, type Harness } from '../harness.tsx';

let h: Harness;
beforeEach(() => {
  h = startHarness();
});
afterEach(() => h.close());

async function openEditor(bin = 'rules-demo') {
  renderAt(h.store, `/bins/${bin}`, <RulesEditor binId={bin} />);
  return screen.findByRole('form', { name: 'Rules' });
}

const cards = () => screen.queryAllByRole('region').filter((el) => el.classList.contains('rule-card'));
const titles = () => cards().map((card) => within(card).getByRole('heading').textContent);

describe('rules editor', () => {
  it('adds rules, names them, and reorders them with Alt+arrow keys, saying so', async () => {
    await openEditor();
    expect(screen.getByText(/No rules/)).toBeTruthy();
    for (const name of ['First', 'Second', 'Third']) {
      fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
      const card = cards().at(-1)!;
      await waitFor(() => expect(document.activeElement).toBe(card));
      fireEvent.input(within(card).getByLabelText('Name'), { target: { value: name } });
    }
    expect(titles()).toEqual(['Rule 1: First', 'Rule 2: Second', 'Rule 3: Third']);

    const third = cards()[2]!;
    fireEvent.keyDown(within(third).getByLabelText('Name'), { key: 'ArrowUp', altKey: true });
    await waitFor(() => expect(titles()).toEqual(['Rule 1: First', 'Rule 2: Third', 'Rule 3: Second']));
    // The card moved, not its contents: the same element, still focused, and the move announced.
    expect(cards()[1]).toBe(third);
    await waitFor(() => expect(document.activeElement).toBe(third));
    expect(document.querySelector('[aria-live="polite"]')!.textContent).toBe('Rule Third moved to position 2 of 3.');

    fireEvent.keyDown(third, { key: 'ArrowUp', altKey: true });
    await waitFor(() => expect(titles()).toEqual(['Rule 1: Third', 'Rule 2: First', 'Rule 3: Second']));
    // Already first: nothing moves further up; an arrow without Alt is the input's own.
    fireEvent.keyDown(third, { key: 'ArrowUp', altKey: true });
    fireEvent.keyDown(cards()[1]!, { key: 'ArrowDown' });
    expect(titles()).toEqual(['Rule 1: Third', 'Rule 2: First', 'Rule 3: Second']);

    fireEvent.click(screen.getByRole('button', { name: 'Move Rule 2: First down' }));
    expect(titles()).toEqual(['Rule 1: Third', 'Rule 2: Second', 'Rule 3: First']);
    fireEvent.click(screen.getByRole('button', { name: 'Delete Rule 1: Third' }));
    expect(titles()).toEqual(['Rule 1: Second', 'Rule 2: First']);
  });

  it('shows a problem beside the field it names, and saves nothing', async () => {
    await openEditor();
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    const second = cards()[1]!;
    const status = within(second).getByLabelText('Status');
    fireEvent.input(status, { target: { value: '4o1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save rules' }));
    await waitFor(() => expect(status.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(status.getAttribute('aria-describedby')!)!.textContent).toMatch(/status must be a number/);
    expect(within(cards()[0]!).getByLabelText('Status').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByRole('alert').textContent).toMatch(/Not saved/);
  });

  it('shows a condition’s problem at its row', async () => {
    await openEditor();
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add condition' }));
    const row = within(cards()[0]!).getByRole('listitem');
    fireEvent.change(within(row).getByLabelText('Condition'), { target: { value: 'body' } });
    fireEvent.change(within(row).getByLabelText('Test'), { target: { value: 'json' } });
    fireEvent.input(within(row).getByLabelText('JSON path'), { target: { value: '$.ticket.id' } });
    fireEvent.input(within(row).getByLabelText('Equals (JSON)'), { target: { value: '{not json' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save rules' }));
    await waitFor(() => expect(row.getAttribute('aria-describedby')).toBe('rule-0-when-0-error'));
    expect(within(row).getByText(/must be JSON/)).toBeTruthy();
  });

  it('fills rules from the Zendesk preset, the token typed hidden', async () => {
    await openEditor();
    fireEvent.click(screen.getByRole('button', { name: 'Zendesk API…' }));
    const preset = screen.getByRole('group', { name: 'Zendesk API preset' });
    fireEvent.input(within(preset).getByLabelText('Email'), { target: { value: 'me@example.com' } });
    const token = within(preset).getByLabelText('API token');
    expect(token.getAttribute('type')).toBe('password');
    fireEvent.input(token, { target: { value: 'abcd1234' } });
    fireEvent.click(within(preset).getByRole('button', { name: 'Add Zendesk API rules' }));
    await waitFor(() => expect(cards().length).toBeGreaterThan(0));
    const statuses = cards().map((card) => (within(card).getByLabelText('Status') as HTMLInputElement).value);
    expect(statuses).toContain('401');
    const credentials = cards().flatMap((card) => within(card).queryAllByLabelText('Email') as HTMLInputElement[]);
    expect(credentials.map((input) => input.value)).toContain('me@example.com');
    expect(document.body.textContent).not.toContain('abcd1234');
  });

  it('shows the shared reader’s problem at the condition it names: a regular expression that does not compile', async () => {
    await openEditor();
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add condition' }));
    const row = within(cards()[0]!).getByRole('listitem');
    fireEvent.change(within(row).getByLabelText('Condition'), { target: { value: 'header' } });
    fireEvent.input(within(row).getByLabelText('Header name'), { target: { value: 'X-Id' } });
    fireEvent.change(within(row).getByLabelText('Test'), { target: { value: 'matches' } });
    fireEvent.input(within(row).getByLabelText('Text'), { target: { value: '([a-z]' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save rules' }));
    await waitFor(() => expect(within(row).getByText('invalid regular expression')).toBeTruthy());
  });

  it('shows a secret an import left out as one to type again, and keeps it waiting when saved untouched', async () => {
    const put = await h.server.app.request('/api/bins/rules-demo/import', { method: 'POST', body: `${JSON.stringify({ authbin: 1, rules: [{ name: 'Imported', when: [{ credentials: { kind: 'oauth', token: 'secret not exported: re-enter it' } }], respond: { status: 401 } }] })}\n` });
    expect(put.status).toBe(201);
    await openEditor();
    await waitFor(() => expect(titles()).toEqual(['Rule 1: Imported']));
    const token = within(cards()[0]!).getByLabelText('OAuth token') as HTMLInputElement;
    expect(token.value).toBe('');
    expect(within(cards()[0]!).getByText('Not exported with the rules: type the secret again.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save rules' }));
    await waitFor(() => expect(screen.getByText(/saved/i)).toBeTruthy());
    expect(((await (await h.server.app.request('/api/bins/rules-demo/rules')).json()) as { rules: { when: unknown[] }[] }).rules[0]!.when).toEqual([
      { credentials: { kind: 'oauth', token: 'secret not exported: re-enter it' } },
    ]);
  });

  it('shows each rule\'s counter as the API gives it, with or without times, and resets them', async () => {
    const rules = [
      { name: 'Limited', when: [{ method: 'POST' }], respond: { status: 503 }, times: 2 },
      { name: 'Always', when: [], respond: { status: 202 } },
    ];
    await h.server.app.request('/api/bins/rules-demo/rules', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
    for (const method of ['POST', 'POST', 'POST', 'GET']) await h.server.app.request('/b/rules-demo', { method });
    await openEditor();
    await waitFor(() => expect(titles()).toEqual(['Rule 1: Limited', 'Rule 2: Always']));
    const counters = () => screen.getAllByTestId('rule-counter').map((counter) => counter.textContent);
    expect(counters()).toEqual(['Answered 2 requests of at most 2 since the counters were last reset.', 'Answered 2 requests since the counters were last reset.']);
    fireEvent.click(screen.getByRole('button', { name: 'Reset counters' }));
    await waitFor(() => expect(counters()).toEqual(['Answered 0 requests of at most 2 since the counters were last reset.', 'Answered 0 requests since the counters were last reset.']));
    const api = (await (await h.server.app.request('/api/bins/rules-demo/rules')).json()) as { rules: { answered: number }[] };
    expect(api.rules.map((rule) => rule.answered)).toEqual([0, 0]);
  });
});
