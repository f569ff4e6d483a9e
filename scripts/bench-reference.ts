/**
 * The bare Express + EJS reference for `npm run bench:http`: renders a page of the same bytes as the
 * learner's lesson page (read from BENCH_REFERENCE_HTML), through a layout with header and footer
 * partials and the view cache on, as the app does. Listens on loopback at BENCH_REFERENCE_PORT.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';

const html = fs.readFileSync(String(process.env.BENCH_REFERENCE_HTML), 'utf8');
const views = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-bench-ref-'));
// The page's own markup split in three: head (partial), body lines (a loop) and foot (partial).
const lines = html.split('\n');
const third = Math.floor(lines.length / 3);
fs.writeFileSync(
  path.join(views, 'head.ejs'),
  `${lines.slice(0, third).join('\n')}\n<title><%= title %></title>\n`,
);
fs.writeFileSync(path.join(views, 'foot.ejs'), `${lines.slice(2 * third).join('\n')}\n`);
fs.writeFileSync(
  path.join(views, 'page.ejs'),
  `<%- include('head') %><% for (const line of body) { %><%- line %>\n<% } %><p><%= user.name %></p><%- include('foot') %>`,
);
const body = lines.slice(third, 2 * third);

const app = express();
app.set('view engine', 'ejs');
app.set('views', views);
app.set('view cache', true);
app.get('/', (_req, res) => {
  res.render('page', { title: 'Referens', body, user: { name: 'Amina Yusuf' } });
});
const server = app.listen(Number(process.env.BENCH_REFERENCE_PORT), '127.0.0.1', () =>
  process.send?.('ready'),
);
process.on('SIGTERM', () => {
  server.close();
  fs.rmSync(views, { recursive: true, force: true });
  process.exit(0);
});
