/** Form schemas for orders, HMC's handling, participants, attendance and offerings; messages are translation keys. */
import { z } from 'zod';
import { normaliseOrgNumber } from '../billing/identifiers';
import { formString, type FieldErrors } from '../http/validation';
import { isCalendarDate, isClockTime } from './dates';
import { LENGTHS, OFFERING_AREAS, PLACES, type Offering } from './types';

const optionalText = (max: number, key: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
    z.string().max(max, key).nullable(),
  );
const flag = z.preprocess((v) => v === 'on' || v === 'true' || v === '1', z.boolean());
const email = (requiredKey: string) =>
  formString(requiredKey).pipe(
    z.email('bookings:errors.emailInvalid').max(254, 'bookings:errors.emailInvalid'),
  );
/** Repeated form fields arrive as an array, a single one as a string, none as undefined. */
export const asArray = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' && v !== '' ? [v] : [];
const idList = z.preprocess(
  (v) =>
    asArray(v)
      .filter((s) => /^[1-9]\d{0,9}$/.test(s))
      .map(Number),
  z.array(z.number()),
);
const dateField = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined),
  z.string({ error: 'bookings:errors.dateRequired' }).refine(isCalendarDate, 'bookings:errors.dateInvalid'),
);
const optionalDate = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
  z.string().refine(isCalendarDate, 'bookings:errors.dateInvalid').nullable(),
);

export const orderSchema = z.object({
  organisationId: z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined),
    z.number({ error: 'bookings:errors.organisationRequired' }),
  ),
  requestToken: z.uuid({ error: 'errors:badRequest' }),
  date1: optionalDate,
  date2: optionalDate,
  date3: optionalDate,
  place: z.enum(PLACES, { error: 'bookings:errors.placeRequired' }),
  placeAddress: optionalText(300, 'bookings:errors.tooLong'),
  expectedParticipants: z.preprocess(
    (v) => (typeof v === 'string' && /^\d{1,4}$/.test(v.trim()) ? Number(v.trim()) : undefined),
    z
      .number({ error: 'bookings:errors.participantsRequired' })
      .int()
      .min(1, 'bookings:errors.participantsRequired'),
  ),
  withVenue: flag,
  withCoffee: flag,
  contactName: formString('bookings:errors.contactNameRequired').pipe(
    z.string().max(200, 'bookings:errors.tooLong'),
  ),
  contactEmail: email('bookings:errors.contactEmailRequired'),
  contactPhone: optionalText(40, 'bookings:errors.tooLong'),
  buyerReference: formString('bookings:errors.buyerReferenceRequired').pipe(
    z.string().max(100, 'bookings:errors.buyerReferenceTooLong'),
  ),
  costCentre: optionalText(100, 'bookings:errors.tooLong'),
  orgNumber: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string()),
  message: optionalText(2000, 'bookings:errors.tooLong'),
});
export type OrderForm = z.infer<typeof orderSchema>;

/**
 * The checks that need the offering and today's date: two or three different future dates, a place the
 * offering has, an address for the workplace, a group that fits, and a valid organisation number when
 * the organisation has none yet.
 */
export function checkOrder(
  form: OrderForm,
  offering: Offering,
  today: string,
  needsOrgNumber: boolean,
): { errors: FieldErrors; dates: string[]; orgNumber: string | null } {
  const { errors, dates } = checkDates(form, today);
  if (!offering.places.includes(form.place)) errors.place = 'bookings:errors.placeNotOffered';
  if (form.place === 'workplace' && !form.placeAddress)
    errors.placeAddress = 'bookings:errors.addressRequired';
  if (form.expectedParticipants > offering.maxParticipants)
    errors.expectedParticipants = {
      key: 'bookings:errors.participantsMax',
      params: { max: offering.maxParticipants },
    };
  let orgNumber: string | null = null;
  if (needsOrgNumber) {
    orgNumber = normaliseOrgNumber(form.orgNumber);
    if (!form.orgNumber) errors.orgNumber = 'bookings:errors.orgNumberRequired';
    else if (!orgNumber) errors.orgNumber = 'bookings:errors.orgNumberInvalid';
  }
  return { errors, dates: [...dates].sort(), orgNumber };
}

type DateFields = Partial<Record<'date1' | 'date2' | 'date3', string | null | undefined>>;

/** Two or three different dates after today. */
function checkDates(form: DateFields, today: string): { errors: FieldErrors; dates: string[] } {
  const errors: FieldErrors = {};
  const given = (['date1', 'date2', 'date3'] as const).filter((k) => form[k]);
  for (const k of given) if ((form[k] as string) <= today) errors[k] = 'bookings:errors.datePast';
  const dates = given.map((k) => form[k] as string);
  const missing = given.length === 0 ? 'date1' : 'date2';
  if (dates.length < 2) {
    if (!(missing in errors)) errors[missing] = 'bookings:errors.twoDates';
  } else if (new Set(dates).size !== dates.length && !('date2' in errors)) {
    errors.date2 = 'bookings:errors.datesDiffer';
  }
  return { errors, dates };
}

/**
 * When the form itself has errors, the checks that need the offering still run on what can be read, so
 * the orderer gets every error in one round (missing dates were reported only on the second send).
 */
export function checkOrderLeniently(
  body: Record<string, unknown>,
  offering: Offering,
  today: string,
): FieldErrors {
  const read = (k: 'date1' | 'date2' | 'date3') => {
    const parsed = optionalDate.safeParse(body[k]);
    return parsed.success ? parsed.data : null;
  };
  const { errors } = checkDates({ date1: read('date1'), date2: read('date2'), date3: read('date3') }, today);
  const place = typeof body.place === 'string' ? body.place : '';
  const address = typeof body.placeAddress === 'string' ? body.placeAddress.trim() : '';
  if (place === 'workplace' && !address) errors.placeAddress = 'bookings:errors.addressRequired';
  if (place && !(offering.places as string[]).includes(place))
    errors.place = 'bookings:errors.placeNotOffered';
  return errors;
}

export const handleSchema = z.discriminatedUnion(
  'action',
  [
    z.object({
      action: z.enum(['confirm', 'propose']),
      date: dateField,
      startTime: z
        .string({ error: 'bookings:errors.timeInvalid' })
        .refine(isClockTime, 'bookings:errors.timeInvalid'),
      endTime: z
        .string({ error: 'bookings:errors.timeInvalid' })
        .refine(isClockTime, 'bookings:errors.timeInvalid'),
      educatorId: z.preprocess(
        (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined),
        z.number({ error: 'bookings:errors.educatorRequired' }),
      ),
      note: optionalText(2000, 'bookings:errors.tooLong'),
    }),
    z.object({
      action: z.literal('decline'),
      reason: formString('bookings:errors.declineReasonRequired').pipe(
        z.string().max(2000, 'bookings:errors.tooLong'),
      ),
    }),
  ],
  { error: 'errors:badRequest' },
);

export const cancelSchema = z.object({
  reason: optionalText(2000, 'bookings:errors.tooLong'),
  cancelReason: optionalText(2000, 'bookings:errors.tooLong'),
});

export const participantsSchema = z
  .object({
    userIds: idList,
    guestName: optionalText(200, 'bookings:errors.tooLong'),
    guestEmail: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
      z.email('bookings:errors.emailInvalid').max(254, 'bookings:errors.emailInvalid').nullable(),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.guestEmail && !v.guestName)
      ctx.addIssue({ code: 'custom', path: ['guestName'], message: 'bookings:errors.guestNameRequired' });
    if (v.guestName && !v.guestEmail)
      ctx.addIssue({ code: 'custom', path: ['guestEmail'], message: 'bookings:errors.guestEmailRequired' });
    if (!v.userIds.length && !v.guestName && !v.guestEmail)
      ctx.addIssue({ code: 'custom', path: ['userIds'], message: 'bookings:errors.nobodyChosen' });
  });

export const attendanceSchema = z.object({ attended: idList, correction: flag });

export const offeringSchema = z.object({
  titleStandard: formString('bookings:errors.titleRequired').pipe(
    z.string().max(200, 'bookings:errors.tooLong'),
  ),
  titleEasy: formString('bookings:errors.titleRequired').pipe(z.string().max(200, 'bookings:errors.tooLong')),
  descriptionStandard: formString('bookings:errors.descriptionRequired').pipe(
    z.string().max(4000, 'bookings:errors.tooLong'),
  ),
  descriptionEasy: formString('bookings:errors.descriptionRequired').pipe(
    z.string().max(4000, 'bookings:errors.tooLong'),
  ),
  area: z.enum(OFFERING_AREAS, { error: 'bookings:errors.areaRequired' }),
  length: z.enum(LENGTHS, { error: 'bookings:errors.lengthRequired' }),
  places: z.preprocess(
    (v) => asArray(v),
    z
      .array(z.enum(PLACES, { error: 'bookings:errors.placeRequired' }))
      .min(1, 'bookings:errors.placesRequired'),
  ),
  maxParticipants: z.preprocess(
    (v) => (typeof v === 'string' && /^\d{1,4}$/.test(v.trim()) ? Number(v.trim()) : undefined),
    z
      .number({ error: 'bookings:errors.maxRequired' })
      .int()
      .min(1, 'bookings:errors.maxRequired')
      .max(100, 'bookings:errors.maxTooLarge'),
  ),
  courseId: z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null),
    z.number().nullable(),
  ),
  jobRoles: z.preprocess((v) => asArray(v), z.array(z.string().max(100))),
  published: flag,
});
