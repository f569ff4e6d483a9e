/** Routes of commissioned trainings, for orderers and HMC (their invoices are billing's: billing-routes.ts). */
import { Router } from 'express';
import { requireLogin, requirePermission } from '../auth/policy';
import { paths } from '../http/paths';
import { bookingsController, type BookingsControllerDeps } from './bookings-controller';
import { guestConfirmationController, guestConfirmPath } from './guest-confirmation';

export function bookingsRoutes(deps: BookingsControllerDeps): Router {
  const router = Router();
  const bookings = bookingsController(deps);
  const guests = guestConfirmationController(deps);
  const anyone = [requireLogin, requirePermission('booker', 'educator', 'admin')];
  const booker = [requireLogin, requirePermission('booker', 'admin')];
  const hmc = [requireLogin, requirePermission('educator', 'admin')];
  const admin = [requireLogin, requirePermission('admin')];

  router.get(paths.offerings, ...anyone, bookings.offeringsList);
  router.get(paths.offering(), ...anyone, bookings.offeringPage);
  router.get(paths.offeringOrder(), ...booker, bookings.orderForm);
  router.post(paths.offeringOrder(), ...booker, bookings.submitOrder);

  router.get(paths.bookingOrders, ...anyone, bookings.myOrders);
  router.get(paths.bookingOrder(), ...anyone, bookings.order);
  router.post(paths.bookingOrderAccept(), ...booker, bookings.accept);
  router.post(paths.bookingOrderCancel(), ...booker, bookings.cancel);
  router.post(paths.bookingParticipants(), ...booker, bookings.addParticipants);
  router.post(paths.bookingParticipantRemove(), ...booker, bookings.removeParticipant);
  router.get(guestConfirmPath(), requireLogin, guests.show);
  router.post(guestConfirmPath(), requireLogin, guests.confirm);

  router.get(paths.hmcOrders, ...hmc, bookings.hmcOrders);
  router.get(paths.hmcOrder(), ...hmc, bookings.hmcOrder);
  router.post(paths.hmcOrderHandle(), ...hmc, bookings.handle);
  router.post(paths.hmcOrderCancel(), ...hmc, bookings.cancel);
  router.post(paths.hmcAttendance(), ...hmc, bookings.attendance);
  router.post(paths.hmcOrderDraft(), ...admin, bookings.draftAgain);
  router.get(paths.hmcOfferings, ...hmc, bookings.hmcOfferings);
  router.get(paths.hmcOfferingNew, ...hmc, bookings.offeringForm);
  router.post(paths.hmcOfferings, ...hmc, bookings.saveOffering);
  router.get(paths.hmcOffering(), ...hmc, bookings.offeringForm);
  router.post(paths.hmcOffering(), ...hmc, bookings.saveOffering);

  return router;
}
