/**
 * A course zip is unpacked off the request thread within limits (issue 11): a zip bomb is refused with
 * a Swedish message naming the limit while /healthz keeps answering, and nothing is left behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import { unzipSync, zipSync } from 'fflate';
import request from 'supertest';
import { unzipWithLimits } from '../../server/authoring/unzip-worker';
import { ZIP_LIMITS } from '../../server/authoring/zip-limits';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';

/**
 * A zip with one stored-as-deflate file of `megabytes` MB of zeros, built from repeated deflate blocks so
 * the test never holds the unpacked bytes (about 1 kB packed per MB unpacked).
 */
function zipBomb(name: string, megabytes: number): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const data = Buffer.concat([...Array.from({ length: megabytes }, () => block), Buffer.from([0x03, 0x00])]);
  const fileName = Buffer.from(name);
  const size = megabytes * 1024 * 1024;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(0, 14); // CRC: never reached, the limits stop first
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size >>> 0, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size >>> 0, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralAt = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralAt, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

const tempFolders = () =>
  fs
    .readdirSync(os.tmpdir())
    .filter((n) => n.startsWith('hms-course-'))
    .sort();
const text = (s: string) => new TextEncoder().encode(s);

describe('unzipWithLimits', () => {
  const isImage = (n: string) => n.startsWith('images/');

  it('unpacks an ordinary zip', () => {
    const result = unzipWithLimits(
      zipSync({ 'course.yaml': text('slug: a\n'), 'images/a.svg': text('<svg/>') }),
      ZIP_LIMITS,
      isImage,
    );
    expect(result.ok && new Map(result.files).get('course.yaml')).toEqual(text('slug: a\n'));
  });

  it('stops at the entry count, the total, the per-file size and the ratio', () => {
    const many = zipSync(
      Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`lessons/l${i}.standard.md`, text('x')])),
    );
    expect(unzipWithLimits(many, { ...ZIP_LIMITS, entries: 5 }, isImage)).toMatchObject({
      ok: false,
      refusal: { status: 413, key: 'authoring:import.tooManyFiles', params: { limit: 5 } },
    });
    const random = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256));
    const two = zipSync({ 'images/a.png': random(3000), 'images/b.png': random(3000) }, { level: 0 });
    expect(unzipWithLimits(two, { ...ZIP_LIMITS, totalBytes: 5000 }, isImage)).toMatchObject({
      ok: false,
      refusal: { key: 'authoring:import.tooLargeUnpacked' },
    });
    expect(unzipWithLimits(two, { ...ZIP_LIMITS, imageBytes: 2000 }, isImage)).toMatchObject({
      ok: false,
      refusal: { key: 'authoring:import.fileTooLarge', params: { name: 'images/a.png' } },
    });
    const bomb = zipBomb('lessons/a.standard.md', 8);
    expect(unzipWithLimits(bomb, { ...ZIP_LIMITS, textBytes: 100 * 1024 * 1024 }, isImage)).toMatchObject({
      ok: false,
      refusal: { status: 413, key: 'authoring:import.ratio' },
    });
  });

  it('refuses names that climb out, are absolute, or are . and ..', () => {
    for (const name of ['images/.', 'images/..', '../x', '/x', 'a//b', 'C:/x', 'a\\b']) {
      expect(unzipWithLimits(zipSync({ [name]: text('x') }), ZIP_LIMITS, isImage)).toMatchObject({
        ok: false,
        refusal: { status: 422, key: 'authoring:import.unsafeName', params: { name } },
      });
    }
    // A folder entry is no file and no danger.
    expect(
      unzipWithLimits(
        zipSync({ 'kurs/': new Uint8Array(), 'kurs/course.yaml': text('x') }),
        ZIP_LIMITS,
        isImage,
      ).ok,
    ).toBe(true);
  });
});

describe('importing a zip bomb over HTTP', () => {
  let t: TestApp;
  let educator: Awaited<ReturnType<typeof loginAs>>;
  beforeAll(async () => {
    t = await startTestApp();
    const person = await buildPerson(t.db, {
      jobRole: null,
      permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
    });
    educator = await loginAs(t.app, person.email);
  });
  afterAll(async () => t.close());

  it('is refused with a message naming the limit, while /healthz answers before the import is done', async () => {
    const folders = tempFolders();
    const drafts = await t.db('course_drafts').count({ n: '*' }).first();
    // 256 MB of zeros in 260 kB: unpacked synchronously this held the event loop (and the memory) for seconds.
    const bomb = zipBomb('kurs/images/bild.png', 256);
    const events: string[] = [];
    // Set by the import's callback while this loop awaits; a function keeps TypeScript from narrowing it.
    let importDone = false;
    const stillImporting = () => !importDone;
    const importing = educator.agent
      .post(`/redigera/importera?_csrf=${encodeURIComponent(educator.csrf)}`)
      .attach('zip', bomb, 'kurs.zip')
      .then((res) => (events.push('import answered'), (importDone = true), res));
    // /healthz asked again and again, each after the last answered, for as long as the import runs. A
    // synchronous unpack blocks the event loop: no answer can come between its start and the import's.
    while (stillImporting()) {
      const health = await request(t.app).get('/healthz');
      expect(health.status).toBe(200);
      if (stillImporting()) events.push('healthz answered');
    }
    const res = await importing;
    expect(events.at(-1)).toBe('import answered');
    expect(events.filter((e) => e === 'healthz answered').length).toBeGreaterThanOrEqual(10);
    expect(res.status).toBe(413);
    expect(res.text).toContain('bild.png');
    expect(res.text).toContain('2 MB');
    expect(await t.db('course_drafts').count({ n: '*' }).first()).toEqual(drafts);
    expect(tempFolders()).toEqual(folders);
  });

  it('checks images in a zip by their content, as the editor does for an upload', async () => {
    const exported = await educator.agent
      .get('/redigera/kurser/test-kurs/export.zip')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          cb(null, Buffer.concat(chunks));
        });
      });
    const files = unzipSync(new Uint8Array(exported.body as Buffer));
    files['test-kurs/images/falsk.png'] = text('hej, jag är ingen PNG');
    const res = await educator.agent
      .post(`/redigera/importera?_csrf=${encodeURIComponent(educator.csrf)}`)
      .attach('zip', Buffer.from(zipSync(files)), 'kurs.zip');
    expect(res.status).toBe(422);
    expect(res.text).toContain('falsk.png');
    expect(res.text).toContain('inte en bild av den typ som namnet säger');
  });
});
