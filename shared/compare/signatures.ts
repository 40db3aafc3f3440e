import { detect, type Detected } from '../signatures/detect.ts';
import { headerView } from '../signatures/headers.ts';
import type { SignedFields } from '../signatures/schemes/scheme.ts';
import { signatureInputOf, type SignedRequest } from '../signatures/stored-request.ts';
import type { SignatureInput } from '../signatures/types.ts';
import type { SchemeComparison, SignatureComparison, SignedInput } from './types.ts';

const fieldOf: Record<SignedInput, keyof SignedFields> = {
  timestamp: 'timestamp',
  id: 'id',
  method: 'method',
  url: 'url',
  'content-type': 'contentType',
  body: 'body',
};

const inputName: Record<SignedInput, string> = {
  timestamp: 'signed timestamp',
  id: 'message id',
  method: 'method',
  url: 'URL',
  'content-type': 'Content-Type',
  body: 'body bytes',
};

function signedFields(input: SignatureInput, detected: Detected): SignedFields {
  return {
    method: input.method,
    url: input.url,
    body: input.body,
    contentType: headerView(input.headers).value('Content-Type'),
    timestamp: detected.parsed.timestamp ?? '',
    id: detected.parsed.id ?? '',
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function list(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * An input differs when putting B's value into A's fields changes the message the scheme signs: the
 * scheme's own rule decides, so a Twilio form reordered (it sorts the parameters) does not count.
 */
function differentInputs(a: Detected, fieldsA: SignedFields, fieldsB: SignedFields, bodyUnknown: boolean): SignedInput[] {
  const message = a.module.message(fieldsA);
  return (Object.keys(fieldOf) as SignedInput[]).filter((input) => {
    if (input === 'body' && bodyUnknown) return false;
    const swapped = a.module.message({ ...fieldsA, [fieldOf[input]]: fieldsB[fieldOf[input]] });
    return !sameBytes(message, swapped);
  });
}

function sentence(sender: string, sameSignature: boolean, inputs: SignedInput[], bodyUnknown: boolean, sameJson: boolean): string {
  const names = list(inputs.map((input) => `the ${inputName[input]}${input === 'body' && sameJson ? ' (the same JSON, written differently)' : ''}`));
  const unknown = bodyUnknown ? ' (a stored body is truncated or was never read, so the signed bodies are not compared)' : '';
  if (inputs.length > 0 && !sameSignature) return `${sender} signatures are over different inputs: ${names}${unknown}`;
  const verb = inputs.length === 1 && inputs[0] !== 'body' ? 'differs' : 'differ';
  if (inputs.length > 0) return `${sender} signatures: the same signature, though ${names} ${verb}, so one of them cannot verify${unknown}`;
  if (sameSignature) return '';
  return bodyUnknown ? `${sender} signatures differ${unknown}` : `${sender} signatures differ over the same signed inputs: they were made with different secrets`;
}

/**
 * Signatures of the same scheme on both sides, and which input of the signed message differs: the
 * timestamp, the body bytes, the URL… When none does and the signatures still differ, the secrets do.
 * Needs no secret; checking each side with one is `verifySignatures`'s job.
 *
 * @example
 * compareSignatures(a, b, { sameJson: true }).summary;
 * // ['Zendesk signatures are over different inputs: the signed timestamp and the body bytes (the same JSON, written differently)']
 */
export function compareSignatures(a: SignedRequest, b: SignedRequest, bodies: { sameJson: boolean }): SignatureComparison {
  const inputA = signatureInputOf(a);
  const inputB = signatureInputOf(b);
  const detectedA = detect(inputA);
  const detectedB = detect(inputB);
  const schemes: SchemeComparison[] = [];
  for (const left of detectedA) {
    const right = detectedB.find((d) => d.module.scheme === left.module.scheme);
    if (!right) continue;
    const bodyUnknown = inputA.bodyTruncated || inputB.bodyTruncated;
    const macsA = left.parsed.macs;
    const macsB = right.parsed.macs;
    const sameSignature = macsA.length === macsB.length && macsA.every((mac, i) => sameBytes(mac, macsB[i]!));
    const inputs = differentInputs(left, signedFields(inputA, left), signedFields(inputB, right), bodyUnknown);
    const sameJson = bodies.sameJson && inputs.includes('body');
    schemes.push({ scheme: left.module.scheme, sameSignature, differentInputs: inputs, bodyUnknown, summary: sentence(left.module.sender, sameSignature, inputs, bodyUnknown, sameJson) });
  }
  const schemesOf = (detected: Detected[]) => detected.map((d) => d.module.scheme);
  const onlyInA = schemesOf(detectedA).filter((s) => !schemesOf(detectedB).includes(s));
  const onlyInB = schemesOf(detectedB).filter((s) => !schemesOf(detectedA).includes(s));
  const senders = (names: string[], detected: Detected[]) => list(names.map((s) => detected.find((d) => d.module.scheme === s)!.module.sender));
  const summary = [
    ...schemes.map((s) => s.summary).filter((s) => s !== ''),
    ...(onlyInA.length > 0 ? [`Only A carries a ${senders(onlyInA, detectedA)} signature`] : []),
    ...(onlyInB.length > 0 ? [`Only B carries a ${senders(onlyInB, detectedB)} signature`] : []),
  ];
  return { schemes, onlyInA, onlyInB, summary };
}
