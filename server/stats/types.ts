/** The statistics feature's domain: scopes, filters, figures, and the tables that views and exports share. */
import type { CourseState } from '../courses/course-status';

/** The states a required course can be in for a person, in the order figures are shown. */
export const STATES: CourseState[] = ['completed', 'expiring', 'expired', 'in_progress', 'not_started'];

/** States that mean a person lacks (or will soon lack) a required course. */
export const LACKING_STATES: CourseState[] = ['expiring', 'expired', 'in_progress', 'not_started'];

/** The units a manager may see: the union of their manager permissions. */
export interface ManagerScope {
  unitIds: number[];
  /** Set when every unit in scope lies in an organisation the manager has whole (organisation scopes). */
  wholeOrganisationIds?: number[];
  /** The units' names, when read together with the scope (sorted by organisation and unit name). */
  units?: { id: number; name: string; organisationName: string }[];
}

/** A month as `YYYY-MM`, inclusive at both ends of a period. */
export interface Period {
  from: string;
  to: string;
}

export interface ManagerFilters {
  unitId: number | null;
  jobRole: string | null;
  courseId: number | null;
  period: Period;
}

export interface HmcFilters {
  organisationId: number | null;
  courseId: number | null;
  period: Period;
}

export type StateCounts = Record<CourseState, number>;

export interface UnitCourseFigures {
  unitId: number;
  courseId: number;
  counts: StateCounts;
  /** Completions in the chosen period (e-learning and classroom). */
  completedInPeriod: number;
}

export interface LackingPerson {
  userId: number;
  name: string;
  unitId: number;
  jobRole: string | null;
  courseId: number;
  state: CourseState;
  validUntil: Date | null;
}

export interface ManagerFigures {
  staffByRole: { jobRole: string | null; people: number }[];
  staffTotal: number;
  byUnitCourse: UnitCourseFigures[];
  lacking: LackingPerson[];
  lackingTotal: number;
  /** When precomputed figures were computed; null when they are live. */
  asOf: Date | null;
}

export interface CourseMonth {
  courseId: number;
  organisationId: number;
  month: string;
  started: number;
  completed: number;
}

export interface QuizFigures {
  attempts: number;
  passed: number;
  attemptsToPass: number;
}

export interface EvaluationFigures {
  /** statement → scale value (1–4) → answers */
  useful: Record<number, number>;
  matchesDescription: Record<number, number>;
  answers: number;
}

/** A cell: text, a number (formatted by the reader's language), a share 0–1, or a date. */
export type Cell = string | number | null | { share: number } | { date: Date };

export interface Column {
  label: string;
  numeric?: boolean;
}

/** A table of figures as shown on a page and written to CSV and XLSX: the same data in all three. */
export interface DataTable {
  id: string;
  caption: string;
  columns: Column[];
  rows: Cell[][];
  /** Rows left out on the page (the export has them all). */
  truncated?: number;
}

/** Classroom trainings of one organisation in a period (issue 6 reading issue 5's tables). */
export interface ClassroomRow {
  organisation: string;
  trainings: number;
  participants: number;
  invoiced_ore: number;
}
