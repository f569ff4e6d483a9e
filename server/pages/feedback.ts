/** The accessibility statement's feedback form: anyone can report a barrier or ask for another format. */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { paths } from '../http/paths';
import { parseForm, type FieldErrors } from '../http/validation';
import type { Services } from '../services';

const trimmed = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(max, 'pages:feedback.tooLong'));

export const feedbackSchema = z.object({
  message: trimmed(5000).pipe(z.string().min(1, 'pages:feedback.messageRequired')),
  page: trimmed(500),
  contact: trimmed(254),
});

export function feedbackController(services: Services) {
  const render = (
    req: Request,
    res: Response,
    status: number,
    values: Record<string, string>,
    errors: FieldErrors,
  ) => {
    res.status(status).render('pages/accessibility', {
      title: req.t('pages:accessibility.title'),
      values,
      errors,
      thanks: req.query.tack === '1',
    });
  };

  return {
    show: (req: Request, res: Response) => {
      render(
        req,
        res,
        200,
        { page: typeof req.query.sida === 'string' ? req.query.sida.slice(0, 500) : '' },
        {},
      );
    },

    async send(req: Request, res: Response) {
      const form = parseForm(feedbackSchema, req.body);
      if (!form.ok) {
        render(req, res, 400, req.body ?? {}, form.errors);
        return;
      }
      await services.db.transaction(async (trx) => {
        const [row] = await trx('accessibility_feedback')
          .insert({
            message: form.data.message,
            page: form.data.page || null,
            contact: form.data.contact || null,
            user_id: req.user?.id ?? null,
          })
          .returning('id');
        await services.mail.send(
          {
            to: services.config.feedbackTo,
            subject: `Synpunkt på tillgängligheten (#${row.id})`,
            text: `${form.data.message}\n\nSida: ${form.data.page || '–'}\nKontakt: ${form.data.contact || '–'}`,
          },
          { trx },
        );
      });
      res.redirect(303, `${paths.accessibility}?tack=1#synpunkter`);
    },
  };
}
