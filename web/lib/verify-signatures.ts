import type { SignatureInput, SignatureReport, VerifyOptions } from '../../shared/signatures/index.ts';

let verifier: Promise<typeof import('../../shared/signatures/verify.ts')> | undefined;

/**
 * `verifySignatures` from shared/, loaded the first time a secret is used: the schemes and their crypto are a
 * sixth of the UI's code, and most visits never verify a signature.
 */
export async function verifySignatures(input: SignatureInput, options: VerifyOptions): Promise<SignatureReport[]> {
  verifier ??= import('../../shared/signatures/verify.ts');
  return (await verifier).verifySignatures(input, options);
}
