/**
 * Issue 13: views include each other by absolute path from the views folder, so ejs resolves an
 * include without asking the file system on every render (app.ts gives ejs the views folder as root).
 */
import fs from 'node:fs';
import path from 'node:path';

const VIEWS = path.join(__dirname, '..', '..', 'views');

function viewFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? viewFiles(path.join(dir, e.name))
        : e.name.endsWith('.ejs')
          ? [path.join(dir, e.name)]
          : [],
    );
}

it('includes every partial by an absolute path that exists', () => {
  const wrong: string[] = [];
  for (const file of viewFiles(VIEWS)) {
    for (const [, target] of fs.readFileSync(file, 'utf8').matchAll(/include\(\s*['"]([^'"]+)['"]/g)) {
      const resolved = path.join(VIEWS, target.endsWith('.ejs') ? target : `${target}.ejs`);
      if (!target.startsWith('/') || !fs.existsSync(resolved))
        wrong.push(`${path.relative(VIEWS, file)}: ${target}`);
    }
  }
  expect(wrong).toEqual([]);
});
