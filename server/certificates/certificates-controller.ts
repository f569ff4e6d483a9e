/** The certificate PDF for its owner, and the public verification page that shows only name, course and dates. */
import type { Request, Response } from 'express';
import { signedInUser } from '../auth/policy';
import { forbidden, notFound } from '../http/errors';
import { paths } from '../http/paths';
import { idParam } from '../http/validation';
import { formatDate } from '../i18n/i18n';
import { certificatePdf } from './certificate-pdf';
import type { CertificatesService } from './certificates-service';

export interface CertificatesDeps {
  certificates: CertificatesService;
  config: { publicBaseUrl: string };
}

/** Codes are typed from paper: compare without case, spaces or dashes, then format as XXXX-XXXX-XXXX. */
export function normaliseCode(raw: unknown): string | null {
  const compact = (typeof raw === 'string' ? raw : '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return /^[A-Z0-9]{12}$/.test(compact)
    ? `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`
    : null;
}

export function certificatesController(deps: CertificatesDeps) {
  const { certificates, config } = deps;

  return {
    async pdf(req: Request, res: Response) {
      const id = idParam(String(req.params.id).replace(/\.pdf$/, ''));
      const completion = id === null ? null : await certificates.byId(id);
      if (!completion) throw notFound('certificates:errors.notFound');
      if (completion.userId !== signedInUser(req).id) throw forbidden('certificates:errors.notYours');
      const { name, courseTitle } = completion;
      const t = req.t;
      const pdf = await certificatePdf({
        name,
        courseTitle,
        completedAt: formatDate(completion.completedAt, 'sv'),
        validUntil: formatDate(completion.validUntil, 'sv'),
        verificationCode: completion.verificationCode,
        verificationUrl: `${config.publicBaseUrl}${paths.verify(completion.verificationCode)}`,
        labels: {
          heading: t('certificates:pdf.heading', { lng: 'sv' }),
          intro: t('certificates:pdf.intro', { lng: 'sv' }),
          course: t('certificates:pdf.course', { lng: 'sv' }),
          completed: t('certificates:pdf.completed', { lng: 'sv' }),
          validUntil: t('certificates:pdf.validUntil', { lng: 'sv' }),
          code: t('certificates:pdf.code', { lng: 'sv' }),
          verifyAt: t('certificates:pdf.verifyAt', { lng: 'sv' }),
          issuer: t('common:issuer', { lng: 'sv' }),
        },
      });
      res.set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="intyg-${completion.verificationCode}.pdf"`,
        'Cache-Control': 'private, no-store',
      });
      res.send(pdf);
    },

    verifyForm(req: Request, res: Response) {
      if (req.query.kod !== undefined) {
        const code = normaliseCode(req.query.kod);
        if (code) {
          res.redirect(paths.verify(code));
          return;
        }
        res.status(400).render('certificates/verify-form', {
          title: req.t('certificates:verify.title'),
          errors: { kod: 'certificates:errors.codeFormat' },
          value: typeof req.query.kod === 'string' ? req.query.kod : '',
        });
        return;
      }
      res.render('certificates/verify-form', {
        title: req.t('certificates:verify.title'),
        errors: {},
        value: '',
      });
    },

    async verify(req: Request, res: Response) {
      const code = normaliseCode(req.params.code);
      const completion = code ? await certificates.byCode(code) : null;
      if (!completion) {
        res.status(404);
        res.render('certificates/verify', {
          title: req.t('certificates:verify.title'),
          found: false,
          code: String(req.params.code),
        });
        return;
      }
      const { name, courseTitle } = completion;
      res.set('Cache-Control', 'no-store');
      res.set('X-Robots-Tag', 'noindex');
      res.render('certificates/verify', {
        title: req.t('certificates:verify.title'),
        found: true,
        code,
        name,
        courseTitle,
        completedAt: completion.completedAt,
        validUntil: completion.validUntil,
        valid: completion.validUntil > new Date(),
      });
    },
  };
}
