import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..', 'locales');

function flatten(obj: Record<string, unknown>, prefix = ''): Record<string, string> {
  return Object.entries(obj).reduce<Record<string, string>>((acc, [k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(acc, flatten(v as Record<string, unknown>, key));
    else acc[key] = String(v);
    return acc;
  }, {});
}

const placeholders = (s: string) => [...s.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();
const read = (lng: string, file: string) =>
  flatten(JSON.parse(fs.readFileSync(path.join(root, lng, file), 'utf8')));

describe('locales', () => {
  const files = fs.readdirSync(path.join(root, 'sv'));

  it('has the same namespaces in Swedish and English', () => {
    expect(fs.readdirSync(path.join(root, 'en')).sort()).toEqual([...files].sort());
  });

  it.each(files)('%s has the same keys and placeholders in both languages', (file) => {
    const sv = read('sv', file);
    const en = read('en', file);
    expect(Object.keys(en).sort()).toEqual(Object.keys(sv).sort());
    for (const key of Object.keys(sv))
      expect({ key, p: placeholders(en[key] ?? '') }).toEqual({ key, p: placeholders(sv[key]) });
  });

  it('uses in the views only keys that exist in Swedish', () => {
    const views = path.join(__dirname, '..', '..', 'views');
    const all: Record<string, Record<string, string>> = {};
    for (const file of files) all[path.basename(file, '.json')] = read('sv', file);
    const missing: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (p.endsWith('.ejs')) {
          for (const m of fs
            .readFileSync(p, 'utf8')
            .matchAll(/\bt\('([a-z]+):([A-Za-z0-9_.]*[A-Za-z0-9_])'(?!\s*\+)/g)) {
            const keys = all[m[1]] ?? {};
            if (!(m[2] in keys) && !(`${m[2]}_one` in keys))
              missing.push(`${path.relative(views, p)}: ${m[1]}:${m[2]}`);
          }
        }
      }
    };
    walk(views);
    expect(missing).toEqual([]);
  });
});
