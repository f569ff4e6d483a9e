/**
 * Swedish identifiers on invoices (pure, unit-tested): organisation numbers with a Luhn check digit
 * (Peppol COMMON-R049, SE-R-003/004/013), VAT numbers SE + 12 digits (SE-R-001/002), Bankgiro numbers.
 */

/** The Luhn (mod 10) check over a string of digits, check digit last. */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The check digit that makes `body` + digit pass the Luhn check (used for demo numbers). */
export function luhnCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${body}${d}`)) return String(d);
  throw new Error(`no check digit for ${body}`);
}

/** An organisation number as typed ("212000-1835", "2120001835") → 10 digits with a valid check digit, else null. */
export function normaliseOrgNumber(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const compact = input.replace(/[\s-]/g, '');
  return /^[0-9]{10}$/.test(compact) && luhnValid(compact) ? compact : null;
}

/** "2120001835" → "212000-1835". */
export function formatOrgNumber(orgNumber: string | null): string {
  return orgNumber && /^[0-9]{10}$/.test(orgNumber)
    ? `${orgNumber.slice(0, 6)}-${orgNumber.slice(6)}`
    : (orgNumber ?? '');
}

/** The Swedish VAT number of an organisation number: SE + the 10 digits + 01. */
export function vatNumberFor(orgNumber: string): string {
  return `SE${orgNumber}01`;
}

/** A VAT number as typed ("SE 212000183501") → "SE212000183501" when it is SE + a valid organisation number + 01. */
export function normaliseVatNumber(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  const match = /^SE([0-9]{10})01$/.exec(compact);
  return match && luhnValid(match[1]) ? compact : null;
}

/** A Bankgiro number as typed ("5050-1055") → 7 or 8 digits with a valid check digit, else null. */
export function normaliseBankgiro(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const compact = input.replace(/[\s-]/g, '');
  return /^[0-9]{7,8}$/.test(compact) && luhnValid(compact) ? compact : null;
}

/** "50501055" → "5050-1055", "1234566" → "123-4566". */
export function formatBankgiro(bankgiro: string | null): string {
  return bankgiro ? `${bankgiro.slice(0, -4)}-${bankgiro.slice(-4)}` : '';
}

/** A Swedish postal code as typed ("72189", "721 89") → "721 89", else null. */
export function normalisePostalZone(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const compact = input.replace(/\s/g, '');
  return /^[0-9]{5}$/.test(compact) ? `${compact.slice(0, 3)} ${compact.slice(3)}` : null;
}
