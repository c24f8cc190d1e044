import type { EntityDictionary, EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ctx } from '../context/context';

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
   * A scalar subquery over `b` (the borger row) that returns json, or null when the caller may not
   * have the field (the resolver then refuses as it always did). `bind` adds a parameter.
   */
  sql(ctx: Ctx, bind: (value: unknown) => string): string | null;
  /** Hands what the subquery returned to the loader the field resolver reads. */
  prime(ctx: Ctx, cpr: string, json: unknown): void;
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
 * Entities from rows a subquery built with `to_jsonb(t)` (column names, as the table has them),
 * merged into the request's identity map as if a find had loaded them.
 */
export function hydrate<T extends object>(em: EntityManager, entity: EntityName<T>, json: unknown): T[] {
  if (!Array.isArray(json)) return [];
  return json.map((row) => em.map(entity, row as EntityDictionary<T>));
}
