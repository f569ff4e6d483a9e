/** Who may read which invoices: administrators all of them, an orderer their own organisations' issued ones. */
import type { CurrentUser } from '../auth/types';

export const isAdmin = (user: CurrentUser): boolean => user.permissions.some((p) => p.kind === 'admin');

/** The organisations whose invoices the person receives (booker permissions are scoped to an organisation). */
export function invoicedOrganisations(user: CurrentUser): number[] {
  return user.permissions.flatMap((p) =>
    p.kind === 'booker' && p.organisationId !== null ? [p.organisationId] : [],
  );
}
