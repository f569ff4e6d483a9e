/** Training orders and their participants. Commands pass their transaction; `lock` takes the order's row lock. */
import type { Knex } from 'knex';
import { prepared } from '../db/prepared';
import type { BookedTraining, OrderRequest, OrderStatus, Participant, TrainingOrder } from './types';

type Db = Knex | Knex.Transaction;

interface OrderRow {
  id: number;
  organisation_id: number;
  organisation_name: string;
  offering_id: number;
  offering_title: string;
  length: TrainingOrder['length'];
  max_participants: number;
  course_id: number | null;
  ordered_by: number | null;
  ordered_by_name: string | null;
  ordered_by_email: string | null;
  status: OrderStatus;
  preferred_dates: string[];
  place: TrainingOrder['place'];
  place_address: string | null;
  expected_participants: number;
  with_venue: boolean;
  with_coffee: boolean;
  contact_name: string;
  contact_email: string;
  contact_phone: string | null;
  buyer_reference: string;
  cost_centre: string | null;
  message: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  educator_id: number | null;
  educator_name: string | null;
  hmc_note: string | null;
  decline_reason: string | null;
  handled_at: Date | null;
  schedule_sequence: number;
  cancelled_at: Date | null;
  cancelled_by_party: TrainingOrder['cancelledByParty'];
  cancellation_reason: string | null;
  cancellation_charged: boolean | null;
  delivered_at: Date | null;
  created_at: Date;
  participant_count: number;
}

const toOrder = (r: OrderRow): TrainingOrder => ({
  id: r.id,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  offeringId: r.offering_id,
  offeringTitle: r.offering_title,
  length: r.length,
  maxParticipants: r.max_participants,
  courseId: r.course_id,
  orderedBy: r.ordered_by,
  orderedByName: r.ordered_by_name,
  orderedByEmail: r.ordered_by_email,
  status: r.status,
  preferredDates: r.preferred_dates,
  place: r.place,
  placeAddress: r.place_address,
  expectedParticipants: r.expected_participants,
  withVenue: r.with_venue,
  withCoffee: r.with_coffee,
  contactName: r.contact_name,
  contactEmail: r.contact_email,
  contactPhone: r.contact_phone,
  buyerReference: r.buyer_reference,
  costCentre: r.cost_centre,
  message: r.message,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  educatorId: r.educator_id,
  educatorName: r.educator_name,
  hmcNote: r.hmc_note,
  declineReason: r.decline_reason,
  handledAt: r.handled_at,
  scheduleSequence: r.schedule_sequence,
  cancelledAt: r.cancelled_at,
  cancelledByParty: r.cancelled_by_party,
  cancellationReason: r.cancellation_reason,
  cancellationCharged: r.cancellation_charged,
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
  participantCount: r.participant_count,
});

interface ParticipantRow {
  id: number;
  order_id: number;
  user_id: number | null;
  name: string;
  email: string;
  attended: boolean | null;
  completion_id: number | null;
}

const toParticipant = (r: ParticipantRow): Participant => ({
  id: r.id,
  orderId: r.order_id,
  userId: r.user_id,
  name: r.name,
  email: r.email,
  attended: r.attended,
  completionId: r.completion_id,
});

/** A guest's place on an order's list, as the confirmation page shows it. */
export interface GuestInvitation {
  id: number;
  email: string;
  userId: number | null;
  startsAt: Date | null;
  title: string;
  organisationName: string;
}

interface BookedRow {
  user_id: number;
  order_id: number;
  title_standard: string;
  title_easy: string;
  starts_at: Date;
  ends_at: Date;
  place: string;
  place_address: string | null;
}

export function ordersRepository(db: Knex) {
  const base = (trx: Db = db) =>
    trx('training_orders as t')
      .join('organisations as org', 'org.id', 't.organisation_id')
      .join('training_offerings as o', 'o.id', 't.offering_id')
      .leftJoin('users as ob', 'ob.id', 't.ordered_by')
      .leftJoin('users as ed', 'ed.id', 't.educator_id')
      .select<OrderRow[]>(
        't.*',
        // As JSON the dates stay YYYY-MM-DD strings (node-postgres would make a date[] into Date objects).
        trx.raw('array_to_json(t.preferred_dates) as preferred_dates'),
        'org.name as organisation_name',
        'o.title_standard as offering_title',
        'o.length',
        'o.max_participants',
        'o.course_id',
        'ob.name as ordered_by_name',
        'ob.email as ordered_by_email',
        'ed.name as educator_name',
        trx.raw(
          '(select count(*)::int from training_participants p where p.order_id = t.id) as participant_count',
        ),
      );

  return {
    /** Records a request; a second send of the same form (same token) makes nothing and returns the first order's id. */
    async create(
      trx: Knex.Transaction,
      userId: number,
      r: OrderRequest,
    ): Promise<{ id: number; created: boolean }> {
      const inserted = await trx('training_orders')
        .insert({
          organisation_id: r.organisationId,
          offering_id: r.offeringId,
          ordered_by: userId,
          request_token: r.requestToken,
          preferred_dates: r.preferredDates,
          place: r.place,
          place_address: r.placeAddress,
          expected_participants: r.expectedParticipants,
          with_venue: r.withVenue,
          with_coffee: r.withCoffee,
          contact_name: r.contactName,
          contact_email: r.contactEmail,
          contact_phone: r.contactPhone,
          buyer_reference: r.buyerReference,
          cost_centre: r.costCentre,
          message: r.message,
        })
        .onConflict('request_token')
        .ignore()
        .returning<{ id: number }[]>('id');
      if (inserted.length) return { id: inserted[0].id, created: true };
      const existing = await trx('training_orders')
        .where({ request_token: r.requestToken })
        .first<{ id: number }>('id');
      return { id: existing.id, created: false };
    },

    async find(id: number, trx: Db = db, lock = false): Promise<TrainingOrder | null> {
      if (lock) await trx('training_orders').where({ id }).forUpdate().first('id');
      const row = await base(trx).where('t.id', id).first<OrderRow | undefined>();
      return row ? toOrder(row) : null;
    },

    async findByToken(token: string): Promise<{ id: number; organisationId: number } | null> {
      const row = await db('training_orders')
        .where({ request_token: token })
        .first<{ id: number; organisation_id: number } | undefined>('id', 'organisation_id');
      return row ? { id: row.id, organisationId: row.organisation_id } : null;
    },

    /** Orders of some organisations (an orderer's), newest first. */
    async listForOrganisations(organisationIds: number[]): Promise<TrainingOrder[]> {
      if (!organisationIds.length) return [];
      const rows = await base()
        .whereIn('t.organisation_id', organisationIds)
        .orderBy('t.created_at', 'desc')
        .limit(500);
      return rows.map(toOrder);
    },

    /** Every order HMC handles, optionally of some statuses; the ones waiting for HMC first. */
    async listAll(statuses: OrderStatus[] = []): Promise<TrainingOrder[]> {
      const q = base()
        .orderByRaw(
          `case t.status when 'requested' then 0 when 'proposed' then 1 when 'confirmed' then 2 else 3 end`,
        )
        .orderBy([
          { column: 't.starts_at', order: 'asc', nulls: 'last' },
          { column: 't.created_at', order: 'desc' },
        ])
        .limit(500);
      if (statuses.length) void q.whereIn('t.status', statuses);
      return (await q).map(toOrder);
    },

    async update(trx: Knex.Transaction, id: number, fields: Record<string, unknown>): Promise<void> {
      await trx('training_orders')
        .where({ id })
        .update({ ...fields, updated_at: trx.fn.now() });
    },

    /** Confirmed classroom trainings that have not ended, for which these people are on the list. */
    async upcomingForPeople(userIds: number[]): Promise<BookedTraining[]> {
      if (!userIds.length) return [];
      // One statement text for any number of people (`= any`, not `in (…)`): a prepared statement on Mina kurser.
      const rows = await prepared(
        'upcoming-trainings',
        db('training_participants as p')
          .join('training_orders as t', 't.id', 'p.order_id')
          .join('training_offerings as o', 'o.id', 't.offering_id')
          .whereRaw('p.user_id = any(?::int[])', [userIds])
          .where('t.status', 'confirmed')
          .where('t.ends_at', '>', db.fn.now())
          .orderBy([
            { column: 't.starts_at', order: 'asc' },
            { column: 'p.user_id', order: 'asc' },
          ])
          .limit(200)
          .select<BookedRow[]>(
            'p.user_id',
            't.id as order_id',
            'o.title_standard',
            'o.title_easy',
            't.starts_at',
            't.ends_at',
            't.place',
            't.place_address',
          ),
      );
      return rows.map((r) => ({
        userId: r.user_id,
        orderId: r.order_id,
        title: { standard: r.title_standard, easy: r.title_easy },
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        place: r.place,
        placeAddress: r.place_address,
      }));
    },

    async participants(orderId: number, trx: Db = db): Promise<Participant[]> {
      const rows = await trx('training_participants')
        .where({ order_id: orderId })
        .orderBy(['name', 'id'])
        .select<ParticipantRow[]>('*');
      return rows.map(toParticipant);
    },

    /** Adds a participant unless the e-mail is already on the list; returns the new participant or null. */
    async addParticipant(
      trx: Knex.Transaction,
      p: { orderId: number; userId: number | null; name: string; email: string; addedBy: number },
    ): Promise<Participant | null> {
      const rows = await trx.raw<{ rows: ParticipantRow[] }>(
        `insert into training_participants (order_id, user_id, name, email, added_by) values (?, ?, ?, ?, ?)
         on conflict (order_id, lower(email)) do nothing returning *`,
        [p.orderId, p.userId, p.name, p.email, p.addedBy],
      );
      return rows.rows.length ? toParticipant(rows.rows[0]) : null;
    },

    async removeParticipant(trx: Knex.Transaction, orderId: number, participantId: number): Promise<boolean> {
      return (
        (await trx('training_participants')
          .where({ order_id: orderId, id: participantId })
          .whereNull('completion_id')
          .delete()) > 0
      );
    },

    async setAttendance(
      trx: Knex.Transaction,
      participantId: number,
      attended: boolean,
      userId: number | null,
      completionId: number | null,
    ): Promise<void> {
      await trx('training_participants').where({ id: participantId }).update({
        attended,
        user_id: userId,
        completion_id: completionId,
        attendance_registered_at: trx.fn.now(),
      });
    },

    /** A guest's place on a list with the training it is for; `lock` holds the row until `trx` ends. */
    async guestInvitation(
      participantId: number,
      trx: Db = db,
      lock = false,
    ): Promise<GuestInvitation | null> {
      const q = trx('training_participants as p')
        .join('training_orders as t', 't.id', 'p.order_id')
        .join('training_offerings as o', 'o.id', 't.offering_id')
        .join('organisations as org', 'org.id', 't.organisation_id')
        .where('p.id', participantId)
        .first<GuestInvitation | undefined>(
          'p.id',
          'p.email',
          'p.user_id as userId',
          't.starts_at as startsAt',
          'o.title_standard as title',
          'org.name as organisationName',
        );
      return (await (lock ? q.forUpdate('p') : q)) ?? null;
    },

    /** Links a guest's place to the person who proved the address (only while it is linked to no one). */
    async confirmGuest(trx: Knex.Transaction, participantId: number, userId: number): Promise<void> {
      await trx('training_participants')
        .where({ id: participantId })
        .whereNull('user_id')
        .update({ user_id: userId, confirmed_at: trx.fn.now() });
    },
  };
}

export type OrdersRepository = ReturnType<typeof ordersRepository>;
