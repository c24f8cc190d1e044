import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000100_foundation } from './Migration20261127000100_foundation';

/** Every migration in order. Listed in code so the same list runs from TypeScript and from a build. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261127000100_foundation', class: Migration20261127000100_foundation },
];
