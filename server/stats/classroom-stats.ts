/**
 * Classroom trainings for HMC's overview (issue 6 reading issue 5's tables): trainings delivered,
 * participants who attended, and the amount invoiced, per organisation, in the chosen period.
 */
import type { TFunction } from 'i18next';
import type { ClassroomRow, DataTable } from './types';
import { countColumns } from './columns';

/** The table shown on the page and written to the exports. */
export function classroomTable(rows: ClassroomRow[], t: TFunction): DataTable {
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
    columns: countColumns(t, 'organisation', ['trainingsDelivered', 'participantsAttended', 'invoicedKr']),
    rows: [
      ...rows.map((r) => [r.organisation, r.trainings, r.participants, r.invoiced_ore / 100]),
      ...(rows.length > 1 ? [[t('stats:total'), total.trainings, total.participants, total.ore / 100]] : []),
    ],
  };
}
