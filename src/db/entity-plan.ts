import { ReferenceKind, type EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/** One stored property of an entity with a column of its own. */
export interface EntityColumn {
  field: string;
  prop: string;
  kind: 'scalar' | 'ref';
  toDate: boolean;
  toString: boolean;
  /** Stored as json: bound as its JSON text (pg would send an array as a PostgreSQL array). */
  json: boolean;
  /** The related entity of a many-to-one. */
  target?: string;
}

/**
 * What the hot paths need of an entity's MikroORM metadata, derived once: its table, its id sequence, its
 * columns by property and the prototype its read-only instances get. Serves `hydrate` (rows from json) and
 * src/db/rows.ts (inserts, updates and answers without the unit of work).
 */
export interface EntityPlan {
  table: string;
  sequence: string;
  proto: object;
  columns: EntityColumn[];
  byProp: Map<string, EntityColumn>;
}

const plans = new Map<string, EntityPlan>();

export function entityPlan(em: EntityManager, entity: EntityName<object>): EntityPlan {
  const meta = em.getMetadata().get(entity);
  let plan = plans.get(meta.className);
  if (!plan) {
    const columns: EntityColumn[] = [];
    for (const p of meta.props) {
      if (p.persist === false || p.fieldNames?.length !== 1) continue;
      if (p.kind === ReferenceKind.SCALAR) {
        const json = p.type === 'json' || p.columnTypes?.[0] === 'jsonb' || p.columnTypes?.[0] === 'json';
        columns.push({ field: p.fieldNames[0], prop: p.name, kind: 'scalar', toDate: p.runtimeType === 'Date', toString: p.runtimeType === 'string', json });
      } else if (p.kind === ReferenceKind.MANY_TO_ONE) {
        columns.push({ field: p.fieldNames[0], prop: p.name, kind: 'ref', toDate: false, toString: false, json: false, target: p.type });
      }
    }
    const pk = meta.getPrimaryProps()[0].fieldNames[0];
    plan = {
      table: meta.tableName,
      sequence: `${meta.tableName}_${pk}_seq`,
      proto: meta.class.prototype as object,
      columns,
      byProp: new Map(columns.map((c) => [c.prop, c])),
    };
    plans.set(meta.className, plan);
  }
  return plan;
}
