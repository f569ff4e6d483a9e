/** Who may see and do what with commissioned trainings (checked on the server for every request). */
import type { CurrentUser } from '../auth/types';
import { forbidden } from '../http/errors';
import type { TrainingOrder } from './types';

/** HMC staff: educators and administrators handle every order. */
export const isHmc = (user: CurrentUser): boolean =>
  user.permissions.some((p) => p.kind === 'educator' || p.kind === 'admin');

export const isAdmin = (user: CurrentUser): boolean => user.permissions.some((p) => p.kind === 'admin');

/** The organisations a person orders for (booker permissions are scoped to an organisation). */
export function bookerOrganisations(user: CurrentUser): number[] {
  return user.permissions
    .filter((p) => p.kind === 'booker' && p.organisationId !== null)
    .map((p) => p.organisationId as number);
}

/** Whether the person orders for the order's organisation. */
export const ordersFor = (user: CurrentUser, organisationId: number): boolean =>
  bookerOrganisations(user).includes(organisationId);

/** An orderer sees only their own organisation's orders; HMC sees every order. */
export function assertCanSeeOrder(user: CurrentUser, order: TrainingOrder): void {
  if (!isHmc(user) && !ordersFor(user, order.organisationId)) throw forbidden('bookings:errors.notYourOrder');
}

/** The orderer's side of an order (participants, accepting, cancelling): the organisation's orderers and administrators. */
export function assertOrdererOf(user: CurrentUser, order: TrainingOrder): void {
  if (!isAdmin(user) && !ordersFor(user, order.organisationId))
    throw forbidden('bookings:errors.notYourOrder');
}

/** Attendance is registered by the order's educator or an administrator. */
export function assertRegistersAttendance(user: CurrentUser, order: TrainingOrder): void {
  if (!isAdmin(user) && order.educatorId !== user.id) throw forbidden('bookings:errors.notYourTraining');
}
