import type { VerifyOptions } from '../../shared/signatures/index.ts';
import type { SignatureSettings } from '../state/signature-secrets.ts';

export { signatureInputOf } from '../../shared/signatures/stored-request.ts';

/** The options of `verifySignatures` for the settings the user gave (a blank URL means the one authbin saw). */
export function verifyOptions(settings: SignatureSettings): VerifyOptions {
  const url = settings.url?.trim();
  return {
    secret: settings.secret,
    ...(settings.scheme && { scheme: settings.scheme }),
    ...(url && { url }),
  };
}
