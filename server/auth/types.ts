/** People, their permissions and the scopes those permissions reach. */
import type { Language } from '../i18n/i18n';
import type { Variant } from '../courses/types';

export const PERMISSION_KINDS = ['learner', 'educator', 'manager', 'booker', 'admin', 'reviewer'] as const;
export type PermissionKind = (typeof PERMISSION_KINDS)[number];

export interface Permission {
  kind: PermissionKind;
  organisationId: number | null;
  unitId: number | null;
  /** Only reviewers: the course they review. */
  courseId?: number | null;
}

export function canEditCourses(user: CurrentUser | undefined): boolean {
  return !!user && user.permissions.some((p) => p.kind === 'educator' || p.kind === 'admin');
}

/** Educators and administrators read every draft; a reviewer reads the drafts of their courses. */
export function canReadDraft(user: CurrentUser | undefined, courseId: number): boolean {
  return (
    canEditCourses(user) ||
    (!!user && user.permissions.some((p) => p.kind === 'reviewer' && p.courseId === courseId))
  );
}

export interface CurrentUser {
  id: number;
  email: string;
  name: string;
  unitId: number | null;
  unitName: string | null;
  organisationId: number | null;
  organisationName: string | null;
  jobRole: string | null;
  contentVariant: Variant;
  uiLanguage: Language;
  permissions: Permission[];
  /** When the account was made: the start of the person's introduction period. */
  joinedAt: Date;
}

export function hasPermission(user: CurrentUser | undefined, kind: PermissionKind): boolean {
  return !!user && user.permissions.some((p) => p.kind === kind);
}
