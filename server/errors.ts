import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiError } from '../shared/api.ts';

/** An error the client caused or should know about, answered as `{ error: { code, message } }`. */
export class ApiFailure extends HTTPException {
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: ContentfulStatusCode, code: string, message: string, headers: Record<string, string> = {}) {
    super(status, { message });
    this.code = code;
    this.headers = headers;
  }
}

export function errorBody(code: string, message: string): ApiError {
  return { error: { code, message } };
}

const codeByStatus: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'too_large',
  431: 'headers_too_large',
  500: 'internal',
  503: 'unavailable',
};

export function codeForStatus(status: number): string {
  return codeByStatus[status] ?? 'error';
}
