import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../../web/api/client.ts';
import { replayProblem } from '../../../web/lib/replay-error.ts';

describe('replayProblem', () => {
  it('names AUTHBIN_REPLAY_ALLOW when the server refuses the target', () => {
    const problem = replayProblem(new ApiRequestError(403, 'replay_not_allowed', '10.0.0.5 is not a loopback address'));
    expect(problem.message).toBe('Not an allowed replay target: 10.0.0.5 is not a loopback address');
    expect(problem.hint).toMatch(/AUTHBIN_REPLAY_ALLOW/);
  });

  it('says the target did not answer on a 502 or 504', () => {
    expect(replayProblem(new ApiRequestError(502, 'replay_failed', 'connect ECONNREFUSED 127.0.0.1:3000')).message).toBe('The target did not answer: connect ECONNREFUSED 127.0.0.1:3000');
    expect(replayProblem(new ApiRequestError(504, 'replay_timeout', 'no answer within 10 s')).message).toMatch(/^The target did not answer/);
  });

  it('tells a deleted request from a server without the replay API', () => {
    expect(replayProblem(new ApiRequestError(404, 'request_not_found', 'no request with id 9')).message).toMatch(/no longer exists/);
    expect(replayProblem(new ApiRequestError(404, 'not_found', 'no such API route')).message).toMatch(/cannot replay requests/);
  });

  it('passes any other message on as the server wrote it', () => {
    expect(replayProblem(new ApiRequestError(400, 'invalid_input', '"url" must be a URL'))).toEqual({ message: '"url" must be a URL' });
    expect(replayProblem(new ApiRequestError(0, 'network', 'Cannot reach the authbin server. Is it running?')).message).toMatch(/^Cannot reach/);
  });
});
