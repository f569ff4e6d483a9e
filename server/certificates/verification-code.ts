/** Certificate verification codes: printed on every certificate and typed from paper on the public check page. */
import crypto from 'node:crypto';

// No 0/O, 1/I/L: codes are typed from paper.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A verification code for a certificate, e.g. `HM7Q-4KXP-R2TD`. */
export function newVerificationCode(): string {
  const chars = [...crypto.randomBytes(12)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
