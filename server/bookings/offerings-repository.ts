/** Training offerings and the job roles they are meant for. */
import type { Knex } from 'knex';
import { replaceRows } from '../db/rows';
import type { Offering, OfferingArea, Place, TrainingLength } from './types';

type Db = Knex | Knex.Transaction;

/** What an author enters: an offering without its id and the linked course's slug (read, not written). */
export type OfferingInput = Omit<Offering, 'id' | 'courseSlug'>;

interface OfferingRow {
  id: number;
  title_standard: string;
  title_easy: string;
  description_standard: string;
  description_easy: string;
  area: OfferingArea;
  length: TrainingLength;
  at_hmc: boolean;
  at_workplace: boolean;
  digital: boolean;
  max_participants: number;
  course_id: number | null;
  course_slug: string | null;
  published: boolean;
  job_roles: string[] | null;
}

const toOffering = (r: OfferingRow): Offering => ({
  id: r.id,
  title: { standard: r.title_standard, easy: r.title_easy },
  description: { standard: r.description_standard, easy: r.description_easy },
  area: r.area,
  length: r.length,
  places: [r.at_hmc && 'hmc', r.at_workplace && 'workplace', r.digital && 'digital'].filter(
    (p): p is Place => !!p,
  ),
  maxParticipants: r.max_participants,
  courseId: r.course_id,
  courseSlug: r.course_slug,
  published: r.published,
  jobRoles: r.job_roles ?? [],
});

const toRow = (o: OfferingInput) => ({
  title_standard: o.title.standard,
  title_easy: o.title.easy,
  description_standard: o.description.standard,
  description_easy: o.description.easy,
  area: o.area,
  length: o.length,
  at_hmc: o.places.includes('hmc'),
  at_workplace: o.places.includes('workplace'),
  digital: o.places.includes('digital'),
  max_participants: o.maxParticipants,
  course_id: o.courseId,
  published: o.published,
});

export function offeringsRepository(db: Knex) {
  const base = (trx: Db = db) =>
    trx('training_offerings as o')
      .leftJoin('courses as c', 'c.id', 'o.course_id')
      .select<OfferingRow[]>(
        'o.*',
        'c.slug as course_slug',
        trx.raw(
          '(select array_agg(job_role order by job_role) from training_offering_roles r where r.offering_id = o.id) as job_roles',
        ),
      );

  async function setRoles(trx: Db, offeringId: number, roles: string[]) {
    await replaceRows(
      trx,
      'training_offering_roles',
      (q) => q.where({ offering_id: offeringId }),
      roles.map((job_role) => ({ offering_id: offeringId, job_role })),
    );
  }

  return {
    /** Offerings by title; only published ones unless asked for all. */
    async list(options: { includeUnpublished?: boolean } = {}): Promise<Offering[]> {
      const q = base().orderBy('o.title_standard');
      if (!options.includeUnpublished) void q.where('o.published', true);
      return (await q).map(toOffering);
    },

    async find(id: number, trx: Db = db): Promise<Offering | null> {
      const row = await base(trx).where('o.id', id).first<OfferingRow | undefined>();
      return row ? toOffering(row) : null;
    },

    async create(input: OfferingInput): Promise<number> {
      return db.transaction(async (trx) => {
        const [row] = await trx('training_offerings').insert(toRow(input)).returning<{ id: number }[]>('id');
        await setRoles(trx, row.id, input.jobRoles);
        return row.id;
      });
    },

    async update(id: number, input: OfferingInput): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('training_offerings')
          .where({ id })
          .update({ ...toRow(input), updated_at: trx.fn.now() });
        await setRoles(trx, id, input.jobRoles);
      });
    },
  };
}

export type OfferingsRepository = ReturnType<typeof offeringsRepository>;
