/** The quiz question editor: type, lesson, both variants of question, options and explanation. */
import type { Request, Response } from 'express';
import { signedInUser } from '../auth/policy';
import { canEditCourses } from '../auth/types';
import type { QuestionContent } from '../courses/types';
import { notFound } from '../http/errors';
import { paths } from '../http/paths';
import { parseForm, type FieldErrors } from '../http/validation';
import type { AuthoringService } from './authoring-service';
import { questionSchema } from './authoring-validation';
import { bodyOf, textField, viewDraft } from './authoring-controller';
import { DraftConflictError, type Draft } from './types';

export const OPTION_ROWS = 6;

export function questionEditorController(deps: { authoring: AuthoringService }) {
  const { authoring } = deps;
  const slugOf = (req: Request) => String(req.params.slug);
  const questionOf = (req: Request) => String(req.params.question);

  async function render(
    req: Request,
    res: Response,
    status = 200,
    errors: FieldErrors = {},
    conflict: Draft | null = null,
  ) {
    const view = await viewDraft(authoring, req, slugOf(req));
    const content = conflict?.content ?? view.content;
    const question = content.questions.find((q) => q.id === questionOf(req));
    if (!question) throw notFound('authoring:errors.questionNotFound');
    const revisions = conflict?.revisions ?? view.revisions;
    res.status(status).render('authoring/question', {
      title: req.t('authoring:question.title'),
      ...view,
      question: status === 200 ? question : typedQuestion(req, question),
      revision: revisions[`question:${question.id}`] ?? 0,
      rows: OPTION_ROWS,
      canEdit: canEditCourses(req.user),
      errors,
      conflict: !!conflict,
      saved: req.query.sparat === '1',
    });
  }

  /** What was typed, so a refused save loses nothing. */
  function typedQuestion(req: Request, base: QuestionContent): QuestionContent {
    const b = bodyOf(req);
    const list = (v: unknown): string[] =>
      (Array.isArray(v) ? (v as unknown[]) : [v]).filter((x): x is string => typeof x === 'string');
    const types: QuestionContent['type'][] = ['single', 'multiple', 'truefalse'];
    const std = list(b.optionStandard);
    const easy = list(b.optionEasy);
    const ids = list(b.optionId);
    const correct = list(b.correct);
    return {
      ...base,
      type: types.find((type) => type === b.type) ?? base.type,
      critical: b.critical === 'on' || b.critical === 'true' || undefined,
      text: { standard: textField(b.textStandard), easy: textField(b.textEasy) },
      explanation: { standard: textField(b.explanationStandard), easy: textField(b.explanationEasy) },
      options:
        b.type === 'truefalse'
          ? base.options
          : std
              .map((s, i) => ({
                id: ids[i] ?? '',
                text: { standard: s, easy: easy[i] ?? '' },
                correct: correct.includes(String(i)),
              }))
              .filter((o) => o.text.standard || o.text.easy),
    };
  }

  return {
    show: (req: Request, res: Response) => render(req, res),

    async add(req: Request, res: Response) {
      const draft = await authoring.openDraft(slugOf(req), signedInUser(req).id);
      const id = await authoring.addQuestion(draft, signedInUser(req).id);
      res.redirect(303, paths.authoringQuestion(slugOf(req), id));
    },

    async save(req: Request, res: Response) {
      const slug = slugOf(req);
      const draft = await authoring.openDraft(slug, signedInUser(req).id);
      if (!draft.content.questions.some((q) => q.id === questionOf(req)))
        throw notFound('authoring:errors.questionNotFound');
      if (bodyOf(req).action === 'remove') {
        await authoring.removeQuestion(draft, questionOf(req), signedInUser(req).id);
        res.redirect(303, `${paths.authoringCourse(slug)}#fragor`);
        return;
      }
      const form = parseForm(questionSchema, req.body);
      if (!form.ok) return render(req, res, 400, form.errors);
      const filled = form.data.optionStandard
        .map((s, i) => ({ s, e: form.data.optionEasy[i] ?? '', row: String(i) }))
        .filter((o) => o.s || o.e);
      const correct = filled.filter((o) => form.data.correct.includes(o.row)).length;
      if (form.data.type !== 'truefalse' && filled.length < 2)
        return render(req, res, 400, { optionStandard: 'authoring:question.twoOptions' });
      if (form.data.type === 'single' && correct !== 1)
        return render(req, res, 400, { correct: 'authoring:question.oneCorrect' });
      if (form.data.type === 'multiple' && correct < 1)
        return render(req, res, 400, { correct: 'authoring:question.someCorrect' });
      if (form.data.type === 'truefalse' && !form.data.answer)
        return render(req, res, 400, { answer: 'authoring:question.chooseAnswer' });
      try {
        await authoring.saveQuestion(draft, questionOf(req), form.data, signedInUser(req).id);
      } catch (error) {
        if (error instanceof DraftConflictError) return render(req, res, 409, {}, error.current);
        throw error;
      }
      res.redirect(303, `${paths.authoringQuestion(slug, questionOf(req))}?sparat=1`);
    },
  };
}
