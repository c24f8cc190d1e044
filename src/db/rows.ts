import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ctx } from '../context/context';
import { entityPlan, type EntityPlan } from './entity-plan';
import { queryPrepared } from './prepared';

/** A row to insert: the entity's data by property name, its id included (taken with `nextId`). */
export interface NewRow<T extends object = object> {
  entity: EntityName<T>;
  data: Partial<Record<keyof T & string, unknown>>;
}

/**
 * The SQL expression that takes the next id of an entity's table. Put in the statement that reads a
 * change's state, it gives the new rows their ids before they are inserted, so the messages about them
 * (which name the ids) can go in the same statement as the rows (`insertRows`).
 */
export function nextId(em: EntityManager, entity: EntityName<object>): string {
  return `nextval('${entityPlan(em, entity).sequence}')::text`;
}

/**
 * A read-only entity from its data by property name: what a hot mutation answers with after
 * `insertRows`, without the unit of work's merge (as `hydrate` does for reads). A many-to-one holds
 * the related entity (or a reference).
 */
export function entityFrom<T extends object>(em: EntityManager, entity: EntityName<T>, data: Partial<Record<keyof T & string, unknown>>): T {
  return Object.setPrototypeOf({ ...data }, entityPlan(em, entity as EntityName<object>).proto) as T;
}

/** The quoted columns of the given properties (undefined ones left out), their values appended to `params`. */
function bindColumns(t: EntityPlan, data: Record<string, unknown>, params: unknown[]): string[] {
  const cols: string[] = [];
  for (const [prop, value] of Object.entries(data)) {
    const col = t.byProp.get(prop);
    if (!col) throw new Error(`${t.table} has no column for ${prop}`);
    if (value === undefined) continue;
    cols.push(`"${col.field}"`);
    if (col.json && value !== null) params.push(JSON.stringify(value));
    // A many-to-one's value is the related entity: its id goes in the foreign key column.
    else if (value !== null && typeof value === 'object' && !(value instanceof Date) && 'id' in value) params.push((value as { id: unknown }).id);
    else params.push(value);
  }
  return cols;
}

/**
 * X-3 on a hot path: the rows of a change and the messages the transaction has emitted so far, in one
 * statement of the transaction (data-modifying CTEs, then `outbox_write` with its per-recipient lock),
 * a named prepared statement. Replaces the unit of work's flush and the separate outbox insert for
 * mutations that create rows only: a type-32 registration is then five round trips (BEGIN, lock, state,
 * this, COMMIT) instead of seven, and no change-set computation. Rows are inserted in the given order
 * (a later row may reference an earlier one's id). Returns the outbox ids written.
 */
export async function insertRows(tx: Ctx, rows: NewRow[]): Promise<string[]> {
  if (!tx.outbox) throw new Error('insertRows must run inside transaction()');
  const params: unknown[] = [];
  const ctes = rows.map((row, i) => {
    const t = entityPlan(tx.em, row.entity as EntityName<object>);
    const cols = bindColumns(t, row.data, params);
    return `i${i} as (insert into "${t.table}" (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')}))`;
  });
  const outbox = tx.outbox.takeStatement(tx.principal!);
  if (outbox) params.push(...outbox.params);
  const sql = `with ${ctes.join(', ')} ${outbox ? outbox.select : 'select null::text as id where false'}`;
  return (await queryPrepared<{ id: string }>(tx.em, sql, params)).map((r) => r.id);
}

/**
 * The hot-path counterpart of a flush for one changed row: `update ... set <every given column> where id`, a
 * named prepared statement (the same text whatever changed, so one plan per caller). The caller has the row
 * locked (the borger lock) and has applied its rules to the values it read after the lock.
 */
export async function updateRow(tx: Ctx, entity: EntityName<object>, id: string, data: Record<string, unknown>): Promise<void> {
  if (!tx.outbox) throw new Error('updateRow must run inside transaction()');
  const t = entityPlan(tx.em, entity);
  const params: unknown[] = [];
  const sets = bindColumns(t, data, params).map((c) => `${c} = ?`);
  params.push(id);
  await queryPrepared(tx.em, `update "${t.table}" set ${sets.join(', ')} where id = ?`, params);
}
