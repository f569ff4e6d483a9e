import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadCoursesFolder } from '../../server/courses/content-import';
import {
  keyIsLongest,
  opensWithVerdict,
  qualityProblems,
  quizQuality,
} from '../../server/courses/quiz-quality';
import type { CourseContent, QuestionContent } from '../../server/courses/types';
import { FIXTURE_COURSES } from '../support/test-app';

const QUALITY = path.join(FIXTURE_COURSES, '..', 'quiz-quality');
const course = (folder: 'ok' | 'brister'): CourseContent =>
  loadCoursesFolder(path.join(QUALITY, folder)).courses[0].content;
const rules = (c: CourseContent) => qualityProblems(quizQuality(c)).map((p) => p.rule);

describe('quiz quality checks', () => {
  it('finds nothing wrong with a course that meets every rule, and counts its critical questions', () => {
    const q = quizQuality(course('ok'));
    expect(qualityProblems(q)).toEqual([]);
    expect(q).toMatchObject({
      pool: 4,
      drawn: 2,
      caseLessons: [{ id: 'fallet-eva', questions: 2 }],
      singles: 2,
      longestKeys: [],
      critical: 1,
    });
  });

  it('finds each broken rule of the course that breaks them, and says which block publishing', () => {
    const problems = qualityProblems(quizQuality(course('brister')));
    expect(problems.map((p) => [p.rule, p.blocksPublishing])).toEqual([
      ['pool', true],
      ['caseQuestions', true],
      ['verdict', false],
      ['verdict', false],
      ['longestKey', false],
      ['lesson', false],
    ]);
    expect(problems[0].message).toBe(
      'Frågebanken har 3 frågor men testet drar 2; banken behöver minst 4 (minst dubbelt så många).',
    );
    expect(problems[1].message).toBe('Fallet fallet-eva har 1 fråga; det behöver minst 2.');
    expect(problems.map((p) => p.message).join('\n')).toMatch(
      /broms-trasig \(standard\)[\s\S]*dacktryck \(easy\)[\s\S]*2 av 2[\s\S]*utan lektion.*dacktryck/,
    );
  });

  it('requires a pool of at least twice the draw', () => {
    const ok = course('ok');
    expect(rules({ ...ok, questionsPerAttempt: 2 })).not.toContain('pool');
    expect(rules({ ...ok, questionsPerAttempt: 3 })).toContain('pool');
  });

  it('requires two questions on every case lesson, also a case with none', () => {
    const ok = course('ok');
    expect(rules({ ...ok, lessons: ok.lessons.map((l) => ({ ...l, kind: 'case' as const })) })).not.toContain(
      'caseQuestions',
    );
    const third = { ...ok.lessons[1], id: 'fallet-tva' };
    expect(
      qualityProblems(quizQuality({ ...ok, lessons: [...ok.lessons, third] })).find(
        (p) => p.rule === 'caseQuestions',
      )?.message,
    ).toBe('Fallet fallet-tva har 0 frågor; det behöver minst 2.');
  });

  it('recognises an explanation that opens with a verdict word followed by punctuation', () => {
    for (const text of [
      'Rätt. Bromsen ska vara låst.',
      'Fel, du ska ringa.',
      'nej – vänta.',
      'Just det! Så gör du.',
      'Bra: det är säkert.',
      'Stämmer.',
      'Ja',
      '  Sant; därför …',
      'Precis, och …',
      'Korrekt.',
      'Riktigt.',
      'Falskt.',
    ]) {
      expect({ text, verdict: opensWithVerdict(text) }).toEqual({ text, verdict: true });
    }
    for (const text of [
      'Fel på läkemedelsautomaten anmäls som avvikelse.',
      'Bra belysning minskar risken.',
      'Nejlikor är blommor.',
      'Rättigheter gäller alla.',
      'Bromsen ska vara låst. Rätt.',
    ]) {
      expect({ text, verdict: opensWithVerdict(text) }).toEqual({ text, verdict: false });
    }
  });

  it('counts a single-choice key that is strictly the longest option in either variant, and nothing else', () => {
    const t = (standard: string, easy: string) => ({ standard, easy });
    const q = (
      key: [string, string],
      other: [string, string],
      type: QuestionContent['type'] = 'single',
    ): QuestionContent => ({
      id: 'q',
      lesson: 'l',
      type,
      text: t('?', '?'),
      explanation: t('!', '!'),
      options: [
        { id: 'a', text: t(...key), correct: true },
        { id: 'b', text: t(...other), correct: false },
      ],
    });
    expect(keyIsLongest(q(['Ring förskrivaren nu', 'Ring'], ['Vänta', 'Vänta lite']))).toBe(true);
    expect(keyIsLongest(q(['Ring', 'Ring förskrivaren nu'], ['Vänta', 'Vänta']))).toBe(true);
    expect(keyIsLongest(q(['Ringer', 'Ringer'], ['Väntar', 'Väntar']))).toBe(false);
    expect(keyIsLongest(q(['Ring', 'Ring'], ['Vänta till i morgon', 'Vänta till i morgon']))).toBe(false);
    expect(
      keyIsLongest(q(['Ring förskrivaren nu', 'Ring förskrivaren'], ['Vänta', 'Vänta'], 'multiple')),
    ).toBe(false);
  });

  it('allows at most 40 % of single-choice keys to be the longest option', () => {
    const ok = course('ok');
    const single = ok.questions.find((q) => q.id === 'broms-trasig')!;
    const longest = {
      ...single,
      options: single.options.map((o) =>
        o.correct
          ? { ...o, text: { standard: 'Tar stolen ur bruk och gör en felanmälan', easy: o.text.easy } }
          : o,
      ),
    };
    const others = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        ...ok.questions.find((q) => q.id === 'eva-vem')!,
        id: `x${i}`,
      }));
    // 2 of 5 = 40 % passes; 2 of 4 = 50 % does not.
    expect(rules({ ...ok, questions: [longest, { ...longest, id: 'y' }, ...others(3)] })).not.toContain(
      'longestKey',
    );
    expect(rules({ ...ok, questions: [longest, { ...longest, id: 'y' }, ...others(2)] })).toContain(
      'longestKey',
    );
  });
});

describe('npm run courses:check', () => {
  const run = (folder: string) =>
    promisify(execFile)('npx', ['tsx', 'scripts/courses-check.ts', path.join(QUALITY, folder)], {
      cwd: path.join(__dirname, '..', '..'),
    }).then(
      (r) => ({ code: 0, ...r }),
      (error: unknown) => {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      },
    );

  it('prints a table per course and exits 0 when every rule holds', async () => {
    const r = await run('ok');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kurs-ok\s+4\/2\s+fallet-eva:2\s+0\/2\s+0%\s+0\s+1\n/);
  }, 30_000);

  it('lists every broken rule and exits non-zero', async () => {
    const r = await run('brister');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/kurs-brister\s+3\/2\s+fallet-eva:1\s+2\/2\s+100%\s+2\s+0\s+⚠/);
    expect(r.stderr).toContain('kurs-brister: Frågebanken har 3 frågor men testet drar 2');
  }, 30_000);
});
