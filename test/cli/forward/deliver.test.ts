import { describe, expect, it } from 'vitest';
import { forwardedPath } from '../../../server/cli/forward/deliver.ts';
import type { RawRequest } from '../../../server/cli/forward/raw-message.ts';

const sentTo = (target: string): RawRequest => ({ method: 'POST', target, httpVersion: '1.1', headers: [], body: Buffer.alloc(0) });

describe('the path authbin forward sends a capture to', () => {
  it.each([
    ['/b/demo', '/hook?via=cli'],
    ['/b/demo/zendesk?x=1', '/hook/zendesk?via=cli&x=1'],
    ['/b/demo/../admin', '/hook/admin?via=cli'],
    ['/b/demo/%2e%2e/%2E%2E/admin?x=../y', '/hook/admin?via=cli&x=../y'],
    ['/b/demo/a/../../x', '/hook/x?via=cli'],
  ])('%s goes to %s, never above the --to path', (captured, sent) => {
    expect(forwardedPath(sentTo(captured), 'demo', new URL('http://localhost:3000/hook?via=cli'))).toBe(sent);
  });
});
