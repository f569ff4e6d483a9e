/** The outbox for administrators: every e-mail the app has sent or kept (the local mailbox in embedded mode). */
import { Router } from 'express';
import { requireLogin, requirePermission } from '../auth/policy';
import { notFound } from '../http/errors';
import { paths } from '../http/paths';
import { idParam } from '../http/validation';
import type { MailService } from './mail-service';

export function mailRoutes(services: {
  mail: Pick<MailService, 'list' | 'find'>;
  config: { smtpUrl: string | undefined };
}): Router {
  const router = Router();
  const adminOnly = [requireLogin, requirePermission('admin')];
  router.get(paths.adminOutbox, ...adminOnly, async (req, res) => {
    res.render('mail/outbox', {
      title: req.t('mail:outbox.title'),
      messages: await services.mail.list(),
      smtp: !!services.config.smtpUrl,
    });
  });
  router.get(paths.adminOutboxMessage(), ...adminOnly, async (req, res) => {
    const id = idParam(req.params.id);
    const message = id ? await services.mail.find(id) : null;
    if (!message) throw notFound();
    res.render('mail/message', { title: message.subject, message });
  });
  router.get(paths.adminOutboxAttachment(), ...adminOnly, async (req, res) => {
    const id = idParam(req.params.id);
    const message = id ? await services.mail.find(id) : null;
    const attachment = message?.attachments[Number(req.params.index)];
    if (!attachment) throw notFound();
    res.set({
      'Content-Type': attachment.contentType,
      'Content-Disposition': `attachment; filename="${attachment.filename.replace(/[^\w.-]/g, '_')}"`,
    });
    res.send(attachment.content);
  });
  return router;
}
