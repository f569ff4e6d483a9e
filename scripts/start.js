/**
 * `npm start`: builds only when a source is newer than the last build, then runs the compiled app in
 * this process. So the first start (or the first after `git pull`) type-checks and compiles, and every
 * later start goes straight to the app. Plain JavaScript, so it runs without tsx or TypeScript.
 * Production runs `npm run start:prod` (never builds) after `npm run build` in a step with the dev dependencies.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const entry = path.join(root, 'dist', 'server', 'main.js');
const sources = ['server', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The newest modification time under `file` (a file or a folder), in ms. */
function newest(file) {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(file)
    .reduce((max, name) => Math.max(max, newest(path.join(file, name))), stat.mtimeMs);
}

function needsBuild() {
  const built = fs.statSync(entry, { throwIfNoEntry: false });
  return !built || sources.some((s) => newest(path.join(root, s)) > built.mtimeMs);
}

if (needsBuild()) {
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    process.stderr.write(
      'dist/ is missing or older than the sources, and TypeScript is not installed (npm ci --omit=dev?). Run `npm ci && npm run build` first, then start with `npm run start:prod`.\n',
    );
    process.exit(1);
  }
  process.stdout.write('Building (the sources changed since the last build)…\n');
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
    cwd: root,
  });
}

process.setSourceMapsEnabled(true);
require(entry);
