/** The findings that speak of a whole report rather than of one header. */
import type { Finding } from './types.ts';
import type { SchemeModule } from './schemes/scheme.ts';

export function bodyTruncatedFinding(storedBytes: number): Finding {
  return {
    code: 'body-truncated',
    severity: 'warning',
    message: `Only the first ${storedBytes} bytes of this body were stored, and the signature covers the whole body, so it can't be checked.`,
    fix: 'Send a smaller body, or raise the limit authbin stores whole (--max-body-bytes).',
  };
}

export function signatureMissingFinding(module: SchemeModule): Finding {
  return {
    code: 'signature-missing',
    severity: 'error',
    message: `The request has no ${module.signatureHeader} header, so there is no ${module.sender} signature to check.`,
    fix: `Check that the webhook has signing turned on and that nothing between ${module.sender} and the receiver drops the header.`,
  };
}

export function signatureValidFinding(module: SchemeModule, bodyBytes: number, timestamp: string | undefined): Finding {
  const asSent = timestamp !== undefined ? ` The timestamp enters the message exactly as sent ("${timestamp}").` : '';
  return {
    code: 'signature-valid',
    severity: 'info',
    message: `The signature matches this secret: ${module.recipe}.${asSent} A receiver must compute exactly this over the raw ${bodyBytes}-byte body.`,
  };
}

export function signatureMismatchFinding(module: SchemeModule, bodyBytes: number): Finding {
  const signed = [module.timestamp?.header, module.signsUrl ? 'URL' : undefined, `stored ${bodyBytes}-byte body`]
    .filter((part) => part !== undefined)
    .join(' and the ');
  const url = module.signsUrl ? `, or ${module.sender} called a different URL (give the URL its console shows)` : '';
  return {
    code: 'signature-mismatch',
    severity: 'error',
    message:
      `The signature doesn't match this secret over the ${signed}. None of the usual mistakes (a decoded secret, stray whitespace, a re-serialised body) explains it, ` +
      `so most likely the secret isn't the one ${module.sender} signs this webhook with${url}, or something between ${module.sender} and authbin changed the request.`,
    fix: `Copy the signing secret again from ${module.sender}'s settings for this webhook (it changes when regenerated), then verify again.`,
  };
}
