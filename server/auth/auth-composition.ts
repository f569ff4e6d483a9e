/** The users service over its repository, for code that builds its own parts outside services.ts (the demo data). */
import type { Knex } from 'knex';
import { usersRepository } from './users-repository';
import { usersService } from './users-service';

export function usersFeature(db: Knex) {
  return usersService(usersRepository(db));
}
