/** The authoring history's log lines in words: translation keys and their values, never raw part ids. */
import type { CourseContent } from '../courses/types';
import type { Change } from './draft-checks';

export interface AuditEdit {
  action: string;
  details: { part?: string; version?: number; changes?: Change[] } | null;
}

/** What one logged edit did, as translation keys; `content` (the current draft) names parts of older entries. */
export function editChanges(edit: AuditEdit, content: CourseContent): Change[] {
  const details = edit.details ?? {};
  if (edit.action !== 'draft.change')
    return [
      {
        key: `authoring:audit.${edit.action.replace('.', '_')}`,
        params: { version: String(details.version ?? '') },
      },
    ];
  if (details.changes?.length) return details.changes;
  // Entries from before the log kept its changes in words: name the part from the current draft.
  const part = details.part ?? '';
  const [kind, id] = part.split(':');
  if (kind === 'lesson') {
    const lesson = content.lessons.find((l) => l.id === id);
    return [
      lesson
        ? { key: 'authoring:history.edit.lesson', params: { title: lesson.title.standard } }
        : { key: 'authoring:history.edit.lessonGone' },
    ];
  }
  if (kind === 'question') {
    const text = content.questions.find((q) => q.id === id)?.text.standard.trim();
    return [
      text
        ? { key: 'authoring:history.edit.question', params: { text } }
        : { key: 'authoring:history.edit.questionGone' },
    ];
  }
  return [{ key: kind === 'facts' ? 'authoring:history.edit.facts' : 'authoring:history.edit.structure' }];
}
