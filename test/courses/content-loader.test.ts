import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCourse } from '../../server/courses/content-loader';
import { ContentImportError, loadCoursesFolder } from '../../server/courses/content-import';
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
    expect(c.questions.find((q) => q.type === 'truefalse')!.options.map((o) => [o.id, o.correct])).toEqual([['true', false], ['false', true]]);
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
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('text: { standard: Vad gör du innan en förflyttning?, easy: Vad gör du först? }', 'text: { standard: Vad gör du innan en förflyttning? }'));
    const result = loadCourse(path.join(dir, 'test-kurs'), dir);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(expect.objectContaining({ file: 'test-kurs/quiz.yaml', line: 5 }));
  });

  it('refuses a missing easy lesson file, raw HTML and an image without alt text', () => {
    const dir = copyFixtures();
    fs.rmSync(path.join(dir, 'test-kurs', 'lessons', 'fallet-ali.easy.md'));
    const lesson = path.join(dir, 'test-kurs', 'lessons', 'bromsar.standard.md');
    fs.writeFileSync(lesson, fs.readFileSync(lesson, 'utf8').replace('Kontrollera', '<script>alert(1)</script> Kontrollera').replace('![En rullstol med låsta bromsar]', '![]'));
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
    fs.writeFileSync(quiz, fs.readFileSync(quiz, 'utf8').replace("      - id: inget\n", '      - id: inget\n        correct: true\n'));
    fs.writeFileSync(path.join(dir, 'test-kurs', 'images', 'rullstol.svg'), '<svg onload="alert(1)"></svg>');
    const result = loadCourse(path.join(dir, 'test-kurs'), dir);
    const messages = result.problems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/exakt ett rätt svar \(har 2\)/);
    expect(messages).toMatch(/attributet onload på <svg>/);
  });

  it('refuses tracks that name a course that does not exist', () => {
    const dir = copyFixtures();
    fs.appendFileSync(path.join(dir, 'tracks.yaml'), '  - id: vaktmastare\n    name: { sv: Vaktmästare, en: Caretaker }\n    required: [finns-inte]\n');
    expect(() => loadCoursesFolder(dir)).toThrow(ContentImportError);
    try {
      loadCoursesFolder(dir);
    } catch (e) {
      expect((e as ContentImportError).message).toContain('tracks.yaml: vaktmastare: kursen finns-inte finns inte');
    }
  });
});
