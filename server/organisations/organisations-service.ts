/**
 * Organisations, their units (with join codes) and the job roles, as other features see them. The
 * organisations feature owns these tables; admin, auth (joining), billing, statistics and videos call
 * this instead of querying them.
 */
import type { JobRolesRepository } from './job-roles-repository';
import type { OrganisationsRepository } from './organisations-repository';

export type { OrganisationName, Unit } from './organisations-repository';
export type { JobRole } from './job-roles-repository';
export { displayJoinCode } from './organisations-repository';
export { jobRoleName } from './job-roles-repository';

export function organisationsService(deps: {
  organisations: OrganisationsRepository;
  jobRoles: JobRolesRepository;
}) {
  const { organisations, jobRoles } = deps;
  return {
    /** Every organisation (id and name) by name. */
    listOrganisations: organisations.listOrganisations,
    /** Whether an organisation with this id exists. */
    async organisationExists(id: number): Promise<boolean> {
      return (await organisations.findOrganisation(id)) !== null;
    },
    listUnits: organisations.listUnits,
    findUnit: organisations.findUnit,
    /** The unit an enabled join code belongs to (compared without case, spaces or dashes). */
    findUnitByJoinCode: organisations.findUnitByJoinCode,
    /** A new join code for the unit (enabled); the old one stops working. */
    renewJoinCode: organisations.regenerateJoinCode,
    setJoinCodeEnabled: organisations.setJoinCodeEnabled,
    listJobRoles: jobRoles.list,
    jobRoleExists: jobRoles.exists,
  };
}

export type OrganisationsService = ReturnType<typeof organisationsService>;
