import { Hono } from 'hono';
import { analyze } from '../../shared/auth/index.ts';
import type { Expected, HeaderPair } from '../../shared/auth/types.ts';
import type { AppDeps, AppEnv } from '../app-deps.ts';
import { ApiFailure } from '../errors.ts';
import { isObject, jsonBody } from './validate.ts';

const expectedFields: Record<Expected['kind'], string[]> = {
  password: ['email', 'password'],
  'api-token': ['email', 'token'],
  oauth: ['token'],
  'api-key': ['header', 'value'],
  header: ['value'],
};

function invalid(message: string): never {
  throw new ApiFailure(400, 'invalid_input', message);
}

function headerPairs(value: unknown): HeaderPair[] {
  if (!Array.isArray(value)) invalid('"headers" must be an array of [name, value] pairs');
  return value.map((pair, index) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      invalid(`"headers"[${index}] must be a [name, value] pair of strings`);
    }
    return [pair[0], pair[1]];
  });
}

function expectedCredential(value: unknown): Expected {
  if (!isObject(value) || typeof value.kind !== 'string' || !(value.kind in expectedFields)) {
    invalid(`"expected.kind" must be one of ${Object.keys(expectedFields).join(', ')}`);
  }
  const kind = value.kind as Expected['kind'];
  for (const field of expectedFields[kind]) {
    if (typeof value[field] !== 'string') invalid(`"expected.${field}" must be a string for kind "${kind}"`);
  }
  return value as unknown as Expected;
}

/** `POST /api/analyze`: the Authorization analysis of a header or header list given as JSON. */
export function analyzeRoutes(_deps: AppDeps) {
  return new Hono<AppEnv>().post('/', async (c) => {
    const input = await jsonBody(c);
    if (!isObject(input)) invalid('expected a JSON object such as {"authorization": "Basic …"}');
    if (input.authorization !== undefined && typeof input.authorization !== 'string') invalid('"authorization" must be a string');
    for (const field of ['url', 'body'] as const) {
      if (input[field] !== undefined && typeof input[field] !== 'string') invalid(`"${field}" must be a string`);
    }
    const headers = input.headers === undefined ? [] : headerPairs(input.headers);
    if (typeof input.authorization === 'string') headers.push(['Authorization', input.authorization]);
    const analysis = analyze({
      headers,
      ...(typeof input.url === 'string' && { url: input.url }),
      ...(typeof input.body === 'string' && { body: input.body }),
      ...(input.expected !== undefined && { expected: expectedCredential(input.expected) }),
    });
    return c.json(analysis, 200);
  });
}
