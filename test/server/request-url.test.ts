import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestDetail, VerifyResult } from '../../shared/api.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

const authToken = 'twilio-auth-token-123';
const params = 'To=%2B15551234&Body=hi';
const publicUrl = 'https://bins.example/b/twilio/sms';

/** Twilio's signature: HMAC-SHA1 over the URL it called and the sorted form fields, computed here independently. */
function twilioSignature(url: string): string {
  const fields = [...new URLSearchParams(params)].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => k + v).join('');
  return createHmac('sha1', authToken).update(url + fields).digest('base64');
}

let t: TestApp | undefined;
afterEach(() => t?.close());

/** A Twilio callback as it reaches authbin through a proxy that ended TLS (or from anyone setting the same headers). */
async function captureProxied(app: TestApp): Promise<{ detail: RequestDetail; verdict: VerifyResult }> {
  const capture = await app.app.request('/b/twilio/sms', {
    method: 'POST',
    headers: {
      Host: 'bins.example',
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-For': '203.0.113.7',
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': twilioSignature(publicUrl),
    },
    body: params,
  });
  const { id } = (await capture.json()) as { id: string };
  const detail = (await (await app.app.request(`/api/requests/${id}`)).json()) as RequestDetail;
  const verify = await app.app.request(`/api/requests/${id}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret: authToken }),
  });
  return { detail, verdict: (await verify.json()) as VerifyResult };
}

describe('the URL a request was sent to', () => {
  it('is https from X-Forwarded-Proto with --trust-proxy, so a signature over the public URL verifies as is', async () => {
    t = makeTestApp({ AUTHBIN_TRUST_PROXY: '1' });
    const { detail, verdict } = await captureProxied(t);
    expect(detail.url).toBe(publicUrl);
    expect(detail.remoteAddress).toBe('203.0.113.7');
    expect(verdict.signatures[0]).toMatchObject({ scheme: 'twilio', status: 'valid' });
    expect(verdict.signatures[0]!.findings.map((f) => f.code)).not.toContain('url-differs');
  });

  it('ignores X-Forwarded-Proto without --trust-proxy: any sender can set it', async () => {
    t = makeTestApp();
    const { detail, verdict } = await captureProxied(t);
    expect(detail.url).toBe('http://bins.example/b/twilio/sms');
    expect(detail.remoteAddress).not.toBe('203.0.113.7');
    // The https variant still matches, and the finding says the URL differs from the one authbin saw.
    expect(verdict.signatures[0]).toMatchObject({ scheme: 'twilio', status: 'valid' });
    expect(verdict.signatures[0]!.findings.map((f) => f.code)).toContain('url-differs');
  });

  it('takes the scheme of the --public-url whose host the request named, when no trusted proxy says otherwise', async () => {
    t = makeTestApp({ AUTHBIN_PUBLIC_URL: 'https://bins.example' });
    const { detail, verdict } = await captureProxied(t);
    expect(detail.url).toBe(publicUrl);
    expect(verdict.signatures[0]!.findings.map((f) => f.code)).not.toContain('url-differs');
  });
});
