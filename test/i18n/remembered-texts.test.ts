/**
 * Issue 13: views' t() remembers texts, also those with simple options ("about {{count}} minutes"). A
 * remembered text must be exactly what i18next says for that key, language and those values.
 */
import path from 'node:path';
import type { Request, Response } from 'express';
import type { TFunction } from 'i18next';
import { createI18n, languageMiddleware } from '../../server/i18n/i18n';

const i18n = createI18n(path.join(__dirname, '..', '..', 'locales'));

function tFor(lang: 'sv' | 'en'): TFunction {
  const req = { user: undefined, session: { lang } } as unknown as Request;
  const res = { locals: {} } as unknown as Response;
  languageMiddleware(i18n)(req, res, () => undefined);
  return res.locals.t;
}

it('gives the same text as i18next for options, also when asked again, per value and language', () => {
  const sv = tFor('sv');
  const en = tFor('en');
  for (let round = 0; round < 2; round++) {
    expect(sv('courses:minutes', { count: 1 })).toBe('cirka 1 minut');
    expect(sv('courses:minutes', { count: 5 })).toBe('cirka 5 minuter');
    expect(en('courses:minutes', { count: 5 })).toBe('about 5 minutes');
    expect(sv('courses:minutes', { count: 5 })).toBe(i18n.getFixedT('sv')('courses:minutes', { count: 5 }));
  }
});

it('escapes interpolated values the same way when remembered', () => {
  const sv = tFor('sv');
  const direct = i18n.getFixedT('sv')('courses:minutes', { count: '<b>' });
  expect(sv('courses:minutes', { count: '<b>' })).toBe(direct);
  expect(sv('courses:minutes', { count: '<b>' })).toBe(direct);
  expect(direct).not.toContain('<b>');
});

it('does not remember options that are not plain values (a date is formatted each time)', () => {
  const sv = tFor('sv');
  const options = { count: 2, when: new Date(0) };
  expect(sv('courses:minutes', options)).toBe(i18n.getFixedT('sv')('courses:minutes', options));
});
