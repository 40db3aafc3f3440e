import { ApiRequestError } from '../api/client.ts';

/** What to tell the user when a replay fails: the server's message, and what to do about it. */
export interface ReplayProblem {
  message: string;
  hint?: string;
}

/** Turns a failed replay call into words: a forbidden target names AUTHBIN_REPLAY_ALLOW, an unreachable one says so. */
export function replayProblem(error: unknown): ReplayProblem {
  if (!(error instanceof ApiRequestError)) return { message: (error as Error).message };
  switch (error.status) {
    case 403:
      return {
        message: `Not an allowed replay target: ${error.message}`,
        hint: 'authbin only replays to the targets AUTHBIN_REPLAY_ALLOW lists (loopback addresses by default), so a public instance cannot be used to reach other networks. Restart the server with AUTHBIN_REPLAY_ALLOW set to include this host to allow it.',
      };
    case 502:
    case 504:
      return { message: `The target did not answer: ${error.message}`, hint: 'Check that the receiver is running and listening at that URL.' };
    case 404:
      return error.code === 'request_not_found'
        ? { message: 'This request no longer exists: it was deleted or expired.' }
        : { message: 'This authbin server cannot replay requests (it has no replay API).', hint: 'Update authbin, or copy the request as curl and send it yourself.' };
    default:
      return { message: error.message };
  }
}
