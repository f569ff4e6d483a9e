/**
 * The cancellation policy (pure, unit-tested): a customer cancels free of charge until `freeDays`
 * calendar days before the training day (Swedish dates); later, the late-cancellation fee applies.
 * Only a confirmed training can be charged; a cancellation by HMC is never charged.
 */
import { addDays, swedishDate } from './dates';

export interface CancellationTerms {
  /** Whether cancelling now costs the fee. */
  charged: boolean;
  /** The last day a cancellation is free (YYYY-MM-DD), when the training has a confirmed date. */
  freeUntil: string | null;
}

export function cancellationTerms(input: {
  status: string;
  startsAt: Date | null;
  now: Date;
  freeDays: number;
  byHmc: boolean;
}): CancellationTerms {
  if (input.status !== 'confirmed' || !input.startsAt) return { charged: false, freeUntil: null };
  const freeUntil = addDays(swedishDate(input.startsAt), -input.freeDays);
  if (input.byHmc) return { charged: false, freeUntil };
  return { charged: swedishDate(input.now) > freeUntil, freeUntil };
}
