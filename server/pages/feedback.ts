/** The accessibility statement's feedback form: anyone can report a barrier or ask for another format. */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { paths } from '../http/paths';
import { parseForm, type FieldErrors } from '../http/validation';
import type { InTransaction } from '../db/transaction';
import { formBody } from '../http/body-parsing';
import type { MailService } from '../mail/mail-service';
import type { FeedbackRepository } from './feedback-repository';

/** What the feedback form needs: where the messages are kept and mailed to. */
export interface FeedbackDeps {
  feedbackInbox: Pick<FeedbackRepository, 'add'>;
  mail: Pick<MailService, 'send'>;
  transaction: InTransaction;
  config: { feedbackTo: string };
}

const trimmed = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(max, 'pages:feedback.tooLong'));

export const feedbackSchema = z.object({
  message: trimmed(5000).pipe(z.string().min(1, 'pages:feedback.messageRequired')),
  page: trimmed(500),
  contact: trimmed(254),
});

export function feedbackController(deps: FeedbackDeps) {
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
        const body = formBody(req);
        const values = Object.fromEntries(
          ['message', 'page', 'contact'].map((k) => [k, typeof body[k] === 'string' ? body[k] : '']),
        );
        render(req, res, 400, values, form.errors);
        return;
      }
      await deps.transaction(async (trx) => {
        const id = await deps.feedbackInbox.add(
          {
            message: form.data.message,
            page: form.data.page || null,
            contact: form.data.contact || null,
            userId: req.user?.id ?? null,
          },
          trx,
        );
        await deps.mail.send(
          {
            to: deps.config.feedbackTo,
            subject: `Synpunkt på tillgängligheten (#${id})`,
            text: `${form.data.message}\n\nSida: ${form.data.page || '–'}\nKontakt: ${form.data.contact || '–'}`,
          },
          { trx },
        );
      });
      res.redirect(303, `${paths.accessibility}?tack=1#synpunkter`);
    },
  };
}
