/** Commissioned classroom trainings: offerings, orders and their participants. */
import { AREAS } from '../courses/types';

export const OFFERING_AREAS = AREAS; // 'medicinska' is now a course area too (it was an offering-only area)
export type OfferingArea = (typeof OFFERING_AREAS)[number];

export const LENGTHS = ['half_day', 'full_day'] as const;
export type TrainingLength = (typeof LENGTHS)[number];

export const PLACES = ['hmc', 'workplace', 'digital'] as const;
export type Place = (typeof PLACES)[number];

export const ORDER_STATUSES = [
  'requested',
  'proposed',
  'confirmed',
  'declined',
  'cancelled',
  'delivered',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Offering {
  id: number;
  title: { standard: string; easy: string };
  description: { standard: string; easy: string };
  area: OfferingArea;
  length: TrainingLength;
  places: Place[];
  maxParticipants: number;
  courseId: number | null;
  courseSlug: string | null;
  published: boolean;
  jobRoles: string[];
}

/** What an orderer states about a training: shared by the request and the stored order. */
export interface OrderDetails {
  preferredDates: string[];
  place: Place;
  placeAddress: string | null;
  expectedParticipants: number;
  withVenue: boolean;
  withCoffee: boolean;
  contactName: string;
  contactEmail: string;
  contactPhone: string | null;
  buyerReference: string;
  costCentre: string | null;
  message: string | null;
}

export interface TrainingOrder extends OrderDetails {
  id: number;
  organisationId: number;
  organisationName: string;
  offeringId: number;
  offeringTitle: string;
  length: TrainingLength;
  maxParticipants: number;
  courseId: number | null;
  orderedBy: number | null;
  orderedByName: string | null;
  orderedByEmail: string | null;
  status: OrderStatus;
  startsAt: Date | null;
  endsAt: Date | null;
  educatorId: number | null;
  educatorName: string | null;
  hmcNote: string | null;
  declineReason: string | null;
  handledAt: Date | null;
  scheduleSequence: number;
  cancelledAt: Date | null;
  cancelledByParty: 'customer' | 'hmc' | null;
  cancellationReason: string | null;
  cancellationCharged: boolean | null;
  deliveredAt: Date | null;
  createdAt: Date;
  participantCount: number;
}

export interface Participant {
  id: number;
  orderId: number;
  userId: number | null;
  name: string;
  email: string;
  attended: boolean | null;
  completionId: number | null;
}

/** What an orderer asks for; also the input of a price estimate. */
export interface OrderRequest extends OrderDetails {
  organisationId: number;
  offeringId: number;
  requestToken: string;
  /** Given when the organisation has no organisation number yet; it is saved to the organisation. */
  orgNumber: string | null;
}

/** A confirmed classroom training a person is on the list for (Mina kurser, the manager's person page). */
export interface BookedTraining {
  userId: number;
  orderId: number;
  title: { standard: string; easy: string };
  startsAt: Date;
  endsAt: Date;
  place: string;
  placeAddress: string | null;
}
