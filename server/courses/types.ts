/** Course content as the app uses it: one immutable version of a course, in both language variants. */

export const VARIANTS = ['standard', 'easy'] as const;
export type Variant = (typeof VARIANTS)[number];
export type Texts = Record<Variant, string>;

export const AREAS = [
  'grund',
  'forflyttning',
  'trycksar',
  'inkontinens',
  'kognition',
  'kommunikation',
  'ledning',
  'skola',
  'medicinska',
] as const;
export type Area = (typeof AREAS)[number];

export interface LessonContent {
  id: string;
  kind: 'lesson' | 'case';
  minutes: number;
  title: Texts;
  /** Markdown; image links point at `images/<name>`. */
  body: Texts;
  /** The slug of a film in the video library shown with the lesson, if any. */
  video: string | null;
}

export interface OptionContent {
  id: string;
  text: Texts;
  correct: boolean;
}

export type QuestionType = 'single' | 'multiple' | 'truefalse';

export interface QuestionContent {
  id: string;
  lesson: string | null;
  type: QuestionType;
  text: Texts;
  /** For true/false the two options `true` and `false`. */
  options: OptionContent[];
  explanation: Texts;
  /** A safety question: a wrong answer fails the attempt whatever the score. Present only when true. */
  critical?: boolean;
}

export interface AssetRef {
  sha256: string;
  contentType: string;
}

export interface CourseContent {
  slug: string;
  area: Area;
  title: Texts;
  summary: Texts;
  estimatedMinutes: number;
  passMark: number;
  questionsPerAttempt: number;
  validityMonths: number;
  keyPoints: Record<Variant, string[]>;
  lessons: LessonContent[];
  questions: QuestionContent[];
  /** Image name (as written in Markdown, `images/x.svg`) → stored asset. */
  images: Record<string, AssetRef>;
  /**
   * The texts as written where they refer to regional facts (`{{region:KEY}}`), by path such as
   * `lessons.2.body.easy`; the texts above hold the region's values (server/courses/region.ts).
   */
  regionTemplates?: Record<string, string>;
}

export interface JobRoleTrack {
  id: string;
  name: { sv: string; en: string };
  required: string[];
  recommended: string[];
  repeatMonths: number;
}

/** A problem in a content file, named by file (relative to courses/) and line. */
export interface ContentProblem {
  file: string;
  line: number | null;
  message: string;
}

export function isVariant(value: unknown): value is Variant {
  return value === 'standard' || value === 'easy';
}
