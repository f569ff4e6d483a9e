import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCourse } from '../../server/courses/content-loader';
import {
  ContentImportError,
  lessonReadability,
  loadCoursesFolder,
} from '../../server/courses/content-import';
import { readability } from '../../server/courses/lix';
import { placeholdersUsed, readRegion, toTemplate } from '../../server/courses/region';
import type { CourseContent } from '../../server/courses/types';
import { FIXTURE_COURSES } from '../support/test-app';

/** A copy of the fixture courses to break on purpose. */
function copyFixtures(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-courses-'));
  fs.cpSync(FIXTURE_COURSES, dir, { recursive: true });
  return dir;
}

describe('course content validation', () => {
  it('loads the fixture course with both variants of every text', () => {
    const result = loadCourse(path.join(FIXTURE_COURSES, 'test-kurs'), FIXTURE_COURSES);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const c = result.value.content;
    expect(c.lessons.map((l) => l.id)).toEqual(['bromsar', 'fallet-ali']);
    expect(c.lessons[1].kind).toBe('case');
    expect(c.questions.find((q) => q.type === 'truefalse')!.options.map((o) => [o.id, o.correct])).toEqual([
      ['true', false],
      ['false', true],
    ]);
    expect(Object.keys(c.images)).toEqual(['images/rullstol.svg']);
  });

  it('names the file and line of a YAML syntax error', () => {
    const dir = copyFixtures();
    const file = path.join(dir, 'test-kurs', 'course.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('passMark: 100', 'passMark: [100'));
    const result = loadCourse(path.join(dir, 'test-kurs'), dir);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ file: 'test-kurs/course.yaml' });
    expect(result.problems[0].line).toBeGreaterThanOrEqual(5);
  });

  it('names the line of a missing easy-Swedish text in the quiz', () => {
    const dir = copyFixtures();
    const file = path.join(dir, 'test-kurs', 'quiz.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace(
          'text: { standard: Vad gör du innan en förflyttning?, easy: Vad gör du först? }',
          'text: { standard: Vad gör du innan en förflyttning? }',
        ),
    );
    const result = loadCourse(path.join(dir, 'test-kurs'), dir);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(expect.objectContaining({ file: 'test-kurs/quiz.yaml', line: 5 }));
  });

  it('refuses a missing easy lesson file, raw HTML and an image without alt text', () => {
    const dir = copyFixtures();
    fs.rmSync(path.join(dir, 'test-kurs', 'lessons', 'fallet-ali.easy.md'));
    const lesson = path.join(dir, 'test-kurs', 'lessons', 'bromsar.standard.md');
    fs.writeFileSync(
      lesson,
      fs
        .readFileSync(lesson, 'utf8')
        .replace('Kontrollera', '<script>alert(1)</script> Kontrollera')
        .replace('![En rullstol med låsta bromsar]', '![]'),
    );
    const result = loadCourse(path.join(dir, 'test-kurs'), dir);
    const messages = result.problems.map((p) => `${p.file}:${p.line ?? ''} ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/fallet-ali\.easy\.md:.*saknas/),
        expect.stringMatching(/bromsar\.standard\.md:5 HTML är inte tillåtet/),
        expect.stringMatching(/bromsar\.standard\.md:7 Bilden saknar alt-text/),
      ]),
    );
  });

  it('refuses a single-choice question with two right answers and an SVG with script', () => {
    const dir = copyFixtures();
    const quiz = path.join(dir, 'test-kurs', 'quiz.yaml');
    fs.writeFileSync(
      quiz,
      fs
        .readFileSync(quiz, 'utf8')
        .replace('      - id: inget\n', '      - id: inget\n        correct: true\n'),
    );
    fs.writeFileSync(path.join(dir, 'test-kurs', 'images', 'rullstol.svg'), '<svg onload="alert(1)"></svg>');
    const result = loadCourse(path.join(dir, 'test-kurs'), dir);
    const messages = result.problems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/exakt ett rätt svar \(har 2\)/);
    expect(messages).toMatch(/attributet onload på <svg>/);
  });

  it('refuses tracks that name a course that does not exist', () => {
    const dir = copyFixtures();
    fs.appendFileSync(
      path.join(dir, 'tracks.yaml'),
      '  - id: vaktmastare\n    name: { sv: Vaktmästare, en: Caretaker }\n    required: [finns-inte]\n',
    );
    expect(() => loadCoursesFolder(dir)).toThrow(ContentImportError);
    try {
      loadCoursesFolder(dir);
    } catch (e) {
      expect((e as ContentImportError).message).toContain(
        'tracks.yaml: vaktmastare: kursen finns-inte finns inte',
      );
    }
  });
});

describe('regional facts ({{region:KEY}} and region.yaml)', () => {
  it('puts the region value in every text, marks a placeholder, and keeps the texts as written', () => {
    const result = loadCourse(path.join(FIXTURE_COURSES, 'test-kurs'), FIXTURE_COURSES);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const c = result.value.content;
    const ali = c.lessons.find((l) => l.id === 'fallet-ali')!;
    expect(ali.body.standard).toContain(
      'Så gör du en felanmälan: [Exempel – HMC fyller i: Här ska HMC beskriva hur en felanmälan görs.]',
    );
    expect(ali.body.easy).toContain(
      'Så anmäler du ett fel: [Exempel – HMC fyller i: Här ska HMC skriva hur du anmäler ett fel.]',
    );
    const explanation = c.questions.find((q) => q.id === 'ali-ringer')!.explanation;
    expect(explanation).toEqual({
      standard: 'Förskrivaren ansvarar för hjälpmedlet. Kontakt: Ring 010-123 45 67.',
      easy: 'Förskrivaren har ansvar. Kontakt: Ring 010-123 45 67.',
    });
    expect(JSON.stringify(c)).not.toMatch(/\{\{region:(?!felanmalan|hmc-kontakt)/);
    expect(c.regionTemplates?.['lessons.1.body.standard']).toContain('{{region:felanmalan}}');
    const template = toTemplate(c);
    expect(template.regionTemplates).toBeUndefined();
    expect(template.questions.find((q) => q.id === 'ali-ringer')!.explanation.easy).toBe(
      'Förskrivaren har ansvar. Kontakt: {{region:hmc-kontakt}}',
    );
    expect(
      placeholdersUsed(c, readRegion(path.join(FIXTURE_COURSES, 'region.yaml')).region).map((p) => p.where),
    ).toEqual([
      'lessons.1.body.standard',
      'lessons.1.body.easy',
      'questions.3.explanation.standard',
      'questions.3.explanation.easy',
    ]);
  });

  it('counts LIX on the text with the region value in place', () => {
    const c = (
      loadCourse(path.join(FIXTURE_COURSES, 'test-kurs'), FIXTURE_COURSES) as {
        value: { content: CourseContent };
      }
    ).value.content;
    const row = lessonReadability(c).find((r) => r.lesson === 'fallet-ali')!;
    expect(row.standard).toBe(readability(c.lessons[1].body.standard).lix);
    expect(row.standard).not.toBe(readability(toTemplate(c).lessons[1].body.standard).lix);
  });

  it('names the file and line of an unknown or misspelt key, and of a fact the region lacks', () => {
    const dir = copyFixtures();
    const lesson = path.join(dir, 'test-kurs', 'lessons', 'bromsar.easy.md');
    fs.appendFileSync(lesson, '\nRing {{region:telefon}}.\n\nEller {{ region:hmc }}.\n');
    const quiz = path.join(dir, 'test-kurs', 'quiz.yaml');
    fs.writeFileSync(
      quiz,
      fs
        .readFileSync(quiz, 'utf8')
        .replace('Kontakt: {{region:hmc-kontakt}}"', 'Kontakt: {{region:kontakt}}"'),
    );
    const result = loadCourse(path.join(dir, 'test-kurs'), dir);
    const lines = fs.readFileSync(lesson, 'utf8').split('\n');
    const messages = result.problems.map((p) => `${p.file}:${p.line} ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        `test-kurs/lessons/bromsar.easy.md:${lines.findIndex((l) => l.includes('telefon')) + 1} Okänd regionuppgift {{region:telefon}}; använd {{region:NYCKEL}} med en av: hmc, region, hmc-kontakt, hmc-oppettider, felanmalan, aterlamning, instruktionsfilmer, overenskommelse-skola`,
        expect.stringMatching(
          new RegExp(
            `^test-kurs/lessons/bromsar\\.easy\\.md:${lines.findIndex((l) => l.includes('{{ region:hmc }}')) + 1} Okänd regionuppgift \\{\\{ region:hmc \\}\\}`,
          ),
        ),
        expect.stringMatching(/^test-kurs\/quiz\.yaml:\d+ Okänd regionuppgift \{\{region:kontakt\}\}/),
      ]),
    );

    fs.rmSync(path.join(dir, 'region.yaml'));
    const withoutRegion = loadCourse(path.join(dir, 'test-kurs'), dir);
    expect(withoutRegion.problems.map((p) => p.message)).toContain(
      'Regionen saknar uppgiften felanmalan ({{region:felanmalan}}) i region.yaml',
    );
  });

  it('refuses a region.yaml with an unknown key, a missing fact or a bracket in a value', () => {
    const dir = copyFixtures();
    const file = path.join(dir, 'region.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace('  region: Testregionen\n', '  regionen: Testregionen\n')
        .replace('Vardagar 8–16.', 'Vardagar [8–16].'),
    );
    expect(() => loadCoursesFolder(dir)).toThrow(ContentImportError);
    const { problems } = readRegion(file);
    expect(problems.map((p) => `${p.file}:${p.line ?? ''} ${p.message}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^region\.yaml:\d* facts.*regionen/),
        expect.stringMatching(/^region\.yaml:\d* facts\.region: /),
        expect.stringMatching(/^region\.yaml:7 facts\.hmc-oppettider: .*Får inte innehålla/),
      ]),
    );
  });
});
