/** Form schemas for the price list, master data, settings, credit notes and the export; messages are translation keys. */
import { z } from 'zod';
import { isCalendarDate } from '../bookings/dates';
import { asArray } from '../bookings/bookings-validation';
import { formString, type FieldErrors } from '../http/validation';
import {
  normaliseBankgiro,
  normaliseOrgNumber,
  normalisePostalZone,
  normaliseVatNumber,
  vatNumberFor,
} from './identifiers';
import { parseKronor } from './money';
import { ARTICLE_CODES } from './types';

const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
    z.string().max(max, 'billing:errors.tooLong').nullable(),
  );
// Strict: 2026-02-30 is refused, never read as 2 March.
const calendarDate = (schema: z.ZodString) =>
  schema
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'billing:errors.dateInvalid')
    .refine(isCalendarDate, 'billing:errors.dateNotInCalendar');
const date = (key: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined),
    calendarDate(z.string({ error: key })),
  );
const optionalDate = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
  calendarDate(z.string()).nullable(),
);
const int = (key: string, min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\d{1,4}$/.test(v.trim()) ? Number(v.trim()) : undefined),
    z.number({ error: key }).int().min(min, key).max(max, key),
  );

export const priceSchema = z
  .object({
    articleCode: z.enum(ARTICLE_CODES, { error: 'billing:errors.articleRequired' }),
    validFrom: date('billing:errors.validFromRequired'),
    validUntil: optionalDate,
    price: z.preprocess(
      (v) => parseKronor(v) ?? undefined,
      z.number({ error: 'billing:errors.priceInvalid' }),
    ),
    vatCategory: z.enum(['S', 'E'], { error: 'billing:errors.vatCategoryRequired' }),
    vatPercent: z.preprocess(
      (v) => (typeof v === 'string' && v !== '' ? Number(v) : undefined),
      z.number().optional(),
    ),
    exemptionReason: optionalText(300),
  })
  .superRefine((v, ctx) => {
    if (v.validUntil && v.validUntil < v.validFrom)
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'billing:errors.untilBeforeFrom' });
    if (v.vatCategory === 'S' && ![25, 12, 6].includes(v.vatPercent ?? -1))
      ctx.addIssue({ code: 'custom', path: ['vatPercent'], message: 'billing:errors.vatPercent' });
    if (v.vatCategory === 'E' && !v.exemptionReason)
      ctx.addIssue({
        code: 'custom',
        path: ['exemptionReason'],
        message: 'billing:errors.exemptionReasonRequired',
      });
  });

export const partySchema = z.object({
  orgNumber: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string()),
  vatNumber: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string()),
  streetName: optionalText(200),
  additionalStreetName: optionalText(200),
  postalZone: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string()),
  cityName: optionalText(100),
  peppolScheme: z.enum(['0007', '0088', '9955'], { error: 'billing:errors.peppolScheme' }),
  peppolId: optionalText(50),
  invoiceEmail: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
    z.email('billing:errors.emailInvalid').nullable(),
  ),
  contactName: optionalText(200),
  contactPhone: optionalText(40),
});
export type PartyForm = z.infer<typeof partySchema>;

/** Normalises and cross-checks master data: organisation number (Luhn), VAT = SE + number + 01, postcode, Peppol id. */
export function checkParty(form: PartyForm): {
  errors: FieldErrors;
  orgNumber: string | null;
  vatNumber: string | null;
  postalZone: string | null;
  peppolId: string | null;
} {
  const errors: FieldErrors = {};
  const orgNumber = form.orgNumber ? normaliseOrgNumber(form.orgNumber) : null;
  if (form.orgNumber && !orgNumber) errors.orgNumber = 'billing:errors.orgNumberInvalid';
  const vatNumber = form.vatNumber ? normaliseVatNumber(form.vatNumber) : null;
  if (form.vatNumber && !vatNumber) errors.vatNumber = 'billing:errors.vatNumberInvalid';
  else if (vatNumber && orgNumber && vatNumber !== vatNumberFor(orgNumber))
    errors.vatNumber = 'billing:errors.vatNumberMismatch';
  const postalZone = form.postalZone ? normalisePostalZone(form.postalZone) : null;
  if (form.postalZone && !postalZone) errors.postalZone = 'billing:errors.postalZoneInvalid';
  let peppolId: string | null = null;
  if (form.peppolId) {
    if (form.peppolScheme === '0007') peppolId = normaliseOrgNumber(form.peppolId);
    else if (form.peppolScheme === '9955') peppolId = normaliseVatNumber(form.peppolId);
    else peppolId = /^\d{13}$/.test(form.peppolId) ? form.peppolId : null;
    if (!peppolId) errors.peppolId = 'billing:errors.peppolIdInvalid';
  }
  return { errors, orgNumber, vatNumber, postalZone, peppolId };
}

export const settingsSchema = z.object({
  sellerOrganisationId: z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null),
    z.number().nullable(),
  ),
  sellerUnitName: formString('billing:errors.unitNameRequired').pipe(
    z.string().max(200, 'billing:errors.tooLong'),
  ),
  bankgiro: z
    .preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string())
    .transform((v, ctx) => {
      if (!v) return null;
      const bg = normaliseBankgiro(v);
      if (!bg) ctx.addIssue({ code: 'custom', message: 'billing:errors.bankgiroInvalid' });
      return bg;
    }),
  fSkatt: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
  paymentTermsDays: int('billing:errors.termsDays', 0, 90),
  freeCancellationDays: int('billing:errors.cancellationDays', 0, 365),
});

export const creditSchema = z.object({
  lineIds: z.preprocess(
    (v) =>
      asArray(v)
        .filter((s) => /^\d+$/.test(s))
        .map(Number),
    z.array(z.number()).min(1, 'billing:errors.chooseLines'),
  ),
  reason: formString('billing:errors.creditReasonRequired').pipe(
    z.string().max(500, 'billing:errors.tooLong'),
  ),
});

export const exportSchema = z
  .object({ from: date('billing:errors.fromRequired'), to: date('billing:errors.toRequired') })
  .superRefine((v, ctx) => {
    if (v.to < v.from)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'billing:errors.untilBeforeFrom' });
  });
