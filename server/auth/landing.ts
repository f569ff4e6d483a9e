/** Where each person lands after logging in: where their work is, not always Mina kurser. */
import { paths } from '../http/paths';
import { hasPermission, type CurrentUser } from './types';

/** HMC staff → their order queue; managers → statistics; orderers → their trainings; everyone else → Mina kurser. */
export function landingPath(user: CurrentUser): string {
  if (hasPermission(user, 'admin') || hasPermission(user, 'educator')) return paths.hmcOrders;
  if (hasPermission(user, 'manager')) return paths.stats;
  if (hasPermission(user, 'booker')) return paths.bookingOrders;
  return paths.myCourses;
}
