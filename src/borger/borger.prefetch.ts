import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ctx } from '../context/context';
import { entityPlan } from '../db/entity-plan';
import type { Role } from '../context/roles';
import type { Borger } from './borger.entity';

/**
 * A field of Borger that can come back in the same statement as the borger row itself. Opening a
 * borger with its kontaktgruppe, kontaktpersoner, plan and abonnementer is then one round trip instead
 * of one per field: the subquery's json primes the DataLoader the field resolver reads, so the
 * resolver (and its access-log record, X-4) stays the one place that answers the field.
 */
export interface BorgerPrefetch {
  /** The GraphQL fields of Borger this answers. */
  fields: string[];
  /**
   * The roles the fields' resolvers let in (their `@Authorized` takes this list) and what they record in the access
   * log (X-4). A caller of another role gets nothing fetched for them; for the others the read statement writes the
   * `logs` row itself (BorgerService.get). Absent for a prefetch no field answers (an a-kasse's memberships).
   */
  access?: { readers: readonly Role[]; logs: string };
  /**
   * A scalar subquery over `b` (the borger row) that returns json, or null when the caller may not
   * have the field (the resolver then refuses as it always did). `bind` adds a parameter.
   */
  sql(ctx: Ctx, bind: (value: unknown) => string): string | null;
  /** Hands what the subquery returned to the loader the field resolver reads; `borger` is the row's entity. */
  prime(ctx: Ctx, borger: Borger, json: unknown): void;
}

const registry = new Map<string, BorgerPrefetch>();

/** Called once per feature from the composition root (src/modules.ts). */
export function registerBorgerPrefetch(...prefetches: BorgerPrefetch[]): void {
  for (const p of prefetches) for (const f of p.fields) registry.set(f, p);
}

export function prefetchesFor(fields: Iterable<string>): BorgerPrefetch[] {
  const out = new Set<BorgerPrefetch>();
  for (const f of fields) {
    const p = registry.get(f);
    if (p) out.add(p);
  }
  return [...out];
}

/**
 * Entities from the json rows a prefetch subquery built with `to_jsonb(t)` (column names, as the table
 * has them), for the read-only answer of a query (a Query never flushes). A property copy per column
 * instead of the unit of work's merge (change-tracking snapshot, identity map, validation), which cost
 * a fifth of a case-worker read. A many-to-one comes from `refs` (an entity loaded in the same
 * statement) or is left a reference by id.
 */
export function hydrate<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  json: unknown,
  refs: Record<string, (id: unknown) => object | undefined> = {},
): T[] {
  if (!Array.isArray(json) || json.length === 0) return [];
  const { proto, columns } = entityPlan(em, entity as EntityName<object>);
  return json.map((row: Record<string, unknown>) => {
    // Own data properties first, the entity's prototype after: MikroORM's prototype setters (which
    // wrap the entity for change tracking on every assignment) are never called.
    const e: Record<string, unknown> = {};
    for (const c of columns) {
      const v = row[c.field];
      if (c.kind === 'ref') {
        e[c.prop] = v == null ? v : (refs[c.prop]?.(v) ?? em.getReference(c.target!, v as never));
      } else if (v == null) {
        e[c.prop] = v;
      } else {
        e[c.prop] = c.toDate && typeof v === 'string' ? new Date(v) : c.toString && typeof v === 'number' ? String(v) : v;
      }
    }
    return Object.setPrototypeOf(e, proto) as T;
  });
}
