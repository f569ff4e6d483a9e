import {
  formatBankgiro,
  formatOrgNumber,
  luhnCheckDigit,
  luhnValid,
  normaliseBankgiro,
  normaliseOrgNumber,
  normalisePostalZone,
  normaliseVatNumber,
  vatNumberFor,
} from '../../server/billing/identifiers';

describe('Swedish organisation numbers', () => {
  it('accepts a number with a valid Luhn check digit, with or without the dash', () => {
    expect(normaliseOrgNumber('212099-0102')).toBe('2120990102');
    expect(normaliseOrgNumber(' 2120990102 ')).toBe('2120990102');
  });

  it('refuses a wrong check digit, the wrong length and letters', () => {
    expect(normaliseOrgNumber('212099-0103')).toBeNull();
    expect(normaliseOrgNumber('21209901')).toBeNull();
    expect(normaliseOrgNumber('21209901AB')).toBeNull();
  });

  it('computes the check digit for demo numbers and formats numbers for people', () => {
    expect(luhnCheckDigit('212099010')).toBe('2');
    expect(luhnValid('2120990102')).toBe(true);
    expect(formatOrgNumber('2120990102')).toBe('212099-0102');
  });
});

describe('VAT numbers, Bankgiro and postcodes', () => {
  it('builds and checks VAT numbers as SE + organisation number + 01 (SE-R-001/002)', () => {
    expect(vatNumberFor('2120990102')).toBe('SE212099010201');
    expect(normaliseVatNumber('se 2120990102 01')).toBe('SE212099010201');
    expect(normaliseVatNumber('SE212099010301')).toBeNull();
    expect(normaliseVatNumber('SE2120990102')).toBeNull();
  });

  it('accepts Bankgiro numbers of 7 or 8 digits with a valid check digit', () => {
    expect(normaliseBankgiro('5050-1055')).toBe('50501055');
    expect(normaliseBankgiro('5050-1056')).toBeNull();
    expect(normaliseBankgiro('123456')).toBeNull();
    expect(formatBankgiro('50501055')).toBe('5050-1055');
  });

  it('writes postcodes as NNN NN', () => {
    expect(normalisePostalZone('72187')).toBe('721 87');
    expect(normalisePostalZone('721 87')).toBe('721 87');
    expect(normalisePostalZone('7218')).toBeNull();
  });
});
