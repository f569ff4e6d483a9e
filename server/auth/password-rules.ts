/**
 * What a new password must be: at least PASSWORD_MIN characters, not one of the common passwords shipped
 * in common-passwords.txt, and not the person's own e-mail address, its local part or their name.
 * Applied wherever a password is set (joining, reset, change, an administrator creating a person).
 */
import fs from 'node:fs';
import path from 'node:path';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

let common: Set<string> | null = null;

function commonPasswords(): Set<string> {
  if (common) return common;
  // The list sits beside this file in the source tree; the compiled app (dist/) reads the same file.
  const beside = path.join(__dirname, 'common-passwords.txt');
  const source = path.resolve(__dirname, '..', '..', '..', 'server', 'auth', 'common-passwords.txt');
  const text = fs.readFileSync(fs.existsSync(beside) ? beside : source, 'utf8');
  common = new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map(normal),
  );
  return common;
}

const normal = (s: string) => s.normalize('NFC').toLowerCase().trim();
/** Letters and digits only, so "Anna.Svensson!" and "annasvensson" compare alike. */
const bare = (s: string) => normal(s).replace(/[^\p{L}\p{N}]/gu, '');

/** The translation key of what is wrong with a new password, or null when it may be used. */
export function passwordProblem(
  password: string,
  person: { email?: string | null; name?: string | null },
): string | null {
  // Characters as people count them on a keyboard: code points, so å or an emoji is one (NIST SP 800-63B).
  if (Array.from(password).length < PASSWORD_MIN) return 'auth:errors.passwordTooShort';
  if (password.length > PASSWORD_MAX) return 'auth:errors.passwordTooLong';
  if (commonPasswords().has(normal(password))) return 'auth:errors.passwordCommon';
  const pw = bare(password);
  const email = normal(person.email ?? '');
  const local = email.split('@')[0] ?? '';
  const name = person.name ?? '';
  const own = [email, local, name, ...name.split(/\s+/)].map(bare).filter((s) => s.length >= 3);
  // The whole password is (a part of) the address or name, or the address/name with something added.
  if (own.some((s) => pw === s || (s.length >= 5 && pw.includes(s)) || (pw.length >= 3 && s.includes(pw))))
    return 'auth:errors.passwordPersonal';
  return null;
}
