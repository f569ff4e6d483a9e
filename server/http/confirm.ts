/**
 * A confirmation step for destructive actions that works without JavaScript: the first POST shows a page
 * that says what will happen and posts the same fields again with `confirmed=ja`; only that second POST
 * acts. Returns true when the action is confirmed (the caller goes on), false when the page was shown.
 */
import type { Request, Response } from 'express';

export interface ConfirmText {
  /** The question, e.g. "Vill du avboka utbildningen?" (already translated). */
  title: string;
  /** What happens, in plain words (already translated). */
  consequence: string;
  /** The label of the button that acts, e.g. "Ja, avboka". */
  confirmLabel: string;
  /** Where "Nej, gå tillbaka" leads. */
  backHref: string;
  /** Another label for the back link, e.g. "Nej, behåll repliken" (already translated). */
  backLabel?: string;
  /** Links above the heading, e.g. the library and the film the action concerns. */
  breadcrumb?: { href: string; label: string }[];
  /** What the action concerns, quoted as it is (e.g. a caption cue's times and text), one paragraph each. */
  quote?: string[];
}

export function confirmedOrAsk(req: Request, res: Response, text: ConfirmText): boolean {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (body.confirmed === 'ja') return true;
  const fields: [string, string][] = [];
  for (const [name, value] of Object.entries(body)) {
    if (name === '_csrf' || name === 'confirmed') continue;
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') fields.push([name, v]);
  }
  res
    .status(200)
    .render('partials/confirm-page', { title: text.title, text, action: req.originalUrl, fields });
  return false;
}
