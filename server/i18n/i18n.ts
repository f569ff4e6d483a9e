/** i18next with every namespace of locales/<lng>/<ns>.json loaded at start; Swedish is the default. */
import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import type { RequestHandler } from 'express';

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'sv';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Reads locales/ into a ready i18next instance. */
export function createI18n(localesDir: string): i18n {
  const resources: Record<string, Record<string, object>> = {};
  const namespaces = new Set<string>();
  for (const lng of LANGUAGES) {
    resources[lng] = {};
    const dir = path.join(localesDir, lng);
    for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : []) {
      const ns = path.basename(file, '.json');
      namespaces.add(ns);
      resources[lng][ns] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as object;
    }
  }
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    ns: [...namespaces],
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false }, // EJS escapes on output
    returnNull: false,
  });
  return instance;
}

const dateFormats: Record<Language, Intl.DateTimeFormat> = {
  sv: new Intl.DateTimeFormat('sv-SE', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Stockholm',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Stockholm',
  }),
};

/** A date as people read it in the language ("22 november 2026"), in Swedish time. */
export function formatDate(date: Date | string, lng: Language): string {
  return dateFormats[lng].format(typeof date === 'string' ? new Date(date) : date);
}

const timeFormat = new Intl.DateTimeFormat('sv-SE', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Stockholm',
});

/** A clock time in Swedish time ("09.00" is written "09:00" in both languages). */
export function formatTime(date: Date | string): string {
  return timeFormat.format(typeof date === 'string' ? new Date(date) : date).replace('.', ':');
}

/** Texts without options looked up once: a page asks for dozens and the texts never change while running. */
const REMEMBERED_TEXTS = 5_000;
/** Texts with simple options ("{{count}} minutes"), remembered per key and values; emptied when full. */
const REMEMBERED_WITH_OPTIONS = 5_000;

/** The options as a cache key when every value is a string, number or boolean; else null (not remembered). */
function optionsKey(options: unknown): string | null {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return null;
  const values = Object.values(options);
  return values.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    ? JSON.stringify(options)
    : null;
}

function rememberingT(t: TFunction): TFunction {
  const plain = new Map<string, string>();
  const withOptions = new Map<string, string>();
  const call = t as unknown as (...args: unknown[]) => unknown;
  return ((key: unknown, ...rest: unknown[]) => {
    if (typeof key !== 'string' || rest.length > 1) return call(key, ...rest);
    if (rest.length === 1) {
      const options = optionsKey(rest[0]);
      if (options === null) return call(key, ...rest);
      const cacheKey = `${key}\u0000${options}`;
      const known = withOptions.get(cacheKey);
      if (known !== undefined) return known;
      const text = call(key, ...rest);
      if (typeof text === 'string') {
        if (withOptions.size >= REMEMBERED_WITH_OPTIONS) withOptions.clear();
        withOptions.set(cacheKey, text);
      }
      return text;
    }
    const known = plain.get(key);
    if (known !== undefined) return known;
    const text = call(key);
    if (typeof text === 'string' && plain.size < REMEMBERED_TEXTS) plain.set(key, text);
    return text;
  }) as unknown as TFunction;
}

/** Chooses the UI language (the person's setting, else the session's, else Swedish) and exposes t() to views. */
export function languageMiddleware(i18n: i18n): RequestHandler {
  const fixed = Object.fromEntries(
    LANGUAGES.map((lng) => [lng, rememberingT(i18n.getFixedT(lng))]),
  ) as Record<Language, TFunction>;
  return (req, res, next) => {
    const chosen = req.user?.uiLanguage ?? req.session.lang;
    const lng: Language = isLanguage(chosen) ? chosen : DEFAULT_LANGUAGE;
    const t: TFunction = fixed[lng];
    req.lng = lng;
    req.t = t;
    res.locals.lng = lng;
    res.locals.t = t;
    res.locals.formatDate = (d: Date | string) => formatDate(d, lng);
    res.locals.formatTime = formatTime;
    next();
  };
}
