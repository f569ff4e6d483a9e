/**
 * Classroom trainings for HMC's overview (issue 6 reading issue 5's tables): trainings delivered,
 * participants who attended, and the amount invoiced, per organisation, in the chosen period.
 */
import type { Knex } from 'knex';
import type { TFunction } from 'i18next';
import type { DataTable, HmcFilters } from './types';

interface Row {
  organisation: string;
  trainings: number;
  participants: number;
  invoiced_ore: number;
}

/** First day of the period's first month and first day after its last month, as dates. */
function bounds(period: HmcFilters['period']): [string, string] {
  const [y, m] = period.to.split('-').map(Number);
  const after = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  return [`${period.from}-01`, after];
}

export async function classroomByOrganisation(db: Knex, filters: HmcFilters): Promise<Row[]> {
  const [from, until] = bounds(filters.period);
  const org = filters.organisationId;
  const result = await db.raw(
    `with delivered as (
       select o.organisation_id, count(*)::int as trainings,
              coalesce(sum((select count(*) from training_participants p where p.order_id = o.id and p.attended)), 0)::int as participants
       from training_orders o
       where o.status = 'delivered' and o.ends_at >= ? and o.ends_at < ? and (?::int is null or o.organisation_id = ?)
       group by o.organisation_id),
     invoiced as (
       select i.organisation_id,
              sum(case when i.kind = 'credit_note' then -i.payable_ore else i.payable_ore end)::bigint as invoiced_ore
       from invoices i
       where i.status = 'issued' and i.issue_date >= ? and i.issue_date < ? and (?::int is null or i.organisation_id = ?)
       group by i.organisation_id)
     select org.name as organisation, coalesce(d.trainings, 0) as trainings, coalesce(d.participants, 0) as participants,
            coalesce(v.invoiced_ore, 0) as invoiced_ore
     from organisations org
     left join delivered d on d.organisation_id = org.id
     left join invoiced v on v.organisation_id = org.id
     where d.organisation_id is not null or v.organisation_id is not null
     order by org.name`,
    [from, until, org, org, from, until, org, org],
  );
  return result.rows.map((r: Row) => ({ ...r, invoiced_ore: Number(r.invoiced_ore) }));
}

/** The table shown on the page and written to the exports. */
export function classroomTable(rows: Row[], t: TFunction): DataTable {
  const total = rows.reduce(
    (acc, r) => ({
      trainings: acc.trainings + r.trainings,
      participants: acc.participants + r.participants,
      ore: acc.ore + r.invoiced_ore,
    }),
    { trainings: 0, participants: 0, ore: 0 },
  );
  return {
    id: 'classroom',
    caption: t('stats:hmc.classroomCaption'),
    columns: [
      { label: t('stats:col.organisation') },
      { label: t('stats:col.trainingsDelivered'), numeric: true },
      { label: t('stats:col.participantsAttended'), numeric: true },
      { label: t('stats:col.invoicedKr'), numeric: true },
    ],
    rows: [
      ...rows.map((r) => [r.organisation, r.trainings, r.participants, r.invoiced_ore / 100]),
      ...(rows.length > 1 ? [[t('stats:total'), total.trainings, total.participants, total.ore / 100]] : []),
    ],
  };
}
