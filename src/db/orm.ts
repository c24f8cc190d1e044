import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Logger } from 'pino';
import { migrationsList } from './migrations';

export type EntityClass = abstract new (...args: never[]) => object;

export interface OrmOptions {
  url: string;
  entities: EntityClass[];
  log?: Logger;
  poolMax?: number;
}

export function ormOptions(o: OrmOptions): Options {
  return {
    clientUrl: o.url,
    entities: o.entities,
    extensions: [Migrator],
    // A request always works on its own fork; touching the global one is a bug.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: o.poolMax ?? 10 },
    logger: (msg: string) => o.log?.trace({ orm: msg }),
    migrations: {
      migrationsList,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    discovery: { warnWhenNoEntities: false },
  };
}

export async function createOrm(o: OrmOptions): Promise<MikroORM> {
  return MikroORM.init(ormOptions(o));
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const done = await orm.getMigrator().up();
  return done.map((m) => m.name);
}
