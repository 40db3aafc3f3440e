/** Checking signatures against a secret, and naming the mistake when a near-miss matches. */
import type { Finding, SignatureInput, SignatureReport, SignatureStatus, VerifyOptions } from './types.ts';
import type { SchemeModule, SignedFields, ParsedSignature } from './schemes/scheme.ts';
import { schemeModule } from './schemes/index.ts';
import { detect, type Detected } from './detect.ts';
import { headerView } from './headers.ts';
import { hmac } from './hmac.ts';
import { timingSafeEqual, utf8 } from './bytes.ts';
import { reserialiseJson } from './body.ts';
import { urlVariants } from './urls.ts';
import { signatureMismatchFinding, signatureMissingFinding, signatureValidFinding } from './report-findings.ts';

/** Another way the sender may have signed, tried only after the scheme's own rule fails. */
interface Alternative {
  key: Uint8Array;
  fields: SignedFields;
  status: Exclude<SignatureStatus, 'unverified' | 'malformed'>;
  finding: Finding;
}

async function matches(module: SchemeModule, parsed: ParsedSignature, key: Uint8Array, fields: SignedFields): Promise<boolean> {
  const mac = await hmac(parsed.hash, key, module.message(fields));
  let matched = false;
  // Every candidate is compared, so the time taken doesn't tell which one matched.
  for (const candidate of parsed.macs) matched = timingSafeEqual(candidate, mac) || matched;
  return matched;
}

function* alternatives(module: SchemeModule, secret: string, fields: SignedFields, urls: string[]): Generator<Alternative> {
  const trimmed = secret.trim();
  if (trimmed !== secret && trimmed !== '') {
    yield {
      key: module.key(trimmed).key,
      fields,
      status: 'valid',
      finding: {
        code: 'secret-whitespace',
        severity: 'warning',
        message: 'The signature matches once the spaces or line breaks around the secret are removed: the secret as given has stray whitespace.',
        fix: 'Trim the secret wherever your receiver reads it (environment files and copy-paste often add a newline).',
      },
    };
  }
  for (const mistake of module.mistakenKeys(secret)) yield { key: mistake.key, fields, status: mistake.status, finding: mistake.finding };
  const key = module.key(secret).key;
  for (const url of urls.slice(1)) {
    yield {
      key,
      fields: { ...fields, url },
      status: 'valid',
      finding: {
        code: 'url-differs',
        severity: 'warning',
        message: `The signature matches the URL ${url}, not ${fields.url}: ${module.sender} signs the URL it called, which a proxy or tunnel changes on the way.`,
        fix: `Have your receiver rebuild the URL ${module.sender} called (scheme, host, port), e.g. from X-Forwarded-Proto and X-Forwarded-Host, or configure it.`,
      },
    };
  }
  const reserialised = reserialiseJson(fields.body);
  if (reserialised) {
    yield {
      key,
      fields: { ...fields, body: utf8(reserialised.text) },
      status: 'invalid',
      finding: {
        code: 'signed-reserialised-body',
        severity: 'error',
        message: `The signature matches the body re-serialised as compact JSON, not the ${fields.body.length} bytes that were sent: the sender signs a different serialisation than it sends.`,
        fix: 'Sign exactly the bytes you send: serialise once, then sign and send that same string.',
      },
    };
  }
}

async function verifyDetected({ module, parsed, report }: Detected, input: SignatureInput, options: VerifyOptions): Promise<SignatureReport> {
  if (report.status === 'malformed' || input.bodyTruncated) return report;
  const headers = headerView(input.headers);
  const urls = module.signsUrl ? urlVariants(input.url, options.url, headers) : [options.url ?? input.url];
  const fields: SignedFields = {
    method: input.method,
    url: urls[0] ?? input.url,
    body: input.body,
    contentType: headers.value('Content-Type'),
    timestamp: parsed.timestamp ?? '',
    id: parsed.id ?? '',
  };
  const findings = [...report.findings];
  const verified = (status: SignatureStatus, finding: Finding): SignatureReport => ({
    ...report,
    status,
    findings: [finding, ...findings],
  });
  if (module.checkBody) findings.push(...(await module.checkBody(fields)));
  const primary = module.key(options.secret);
  if (primary.finding) findings.push(primary.finding);
  if (await matches(module, parsed, primary.key, fields)) {
    return verified('valid', signatureValidFinding(module, input.body.length, parsed.timestamp));
  }
  for (const alternative of alternatives(module, options.secret, fields, urls)) {
    if (await matches(module, parsed, alternative.key, alternative.fields)) return verified(alternative.status, alternative.finding);
  }
  return verified('invalid', signatureMismatchFinding(module, input.body.length));
}

/**
 * Verifies each detected signature with `secret` over the raw body bytes as stored. A failure is
 * explained when a common mistake (decoded secret, test secret, whitespace, another URL, a
 * re-serialised body) matches instead. The secret is used for this call only.
 * @example
 * const [report] = await verifySignatures(request, { secret: ZENDESK_TEST_SECRET, scheme: 'zendesk' });
 * report.status // 'valid' | 'invalid' | 'malformed' | 'unverified' (body truncated)
 */
export async function verifySignatures(input: SignatureInput, options: VerifyOptions): Promise<SignatureReport[]> {
  const detected = detect(input, options.scheme);
  if (options.scheme && detected.length === 0) {
    return [{ scheme: options.scheme, headers: [], status: 'malformed', findings: [signatureMissingFinding(schemeModule(options.scheme))] }];
  }
  return Promise.all(detected.map((entry) => verifyDetected(entry, input, options)));
}
