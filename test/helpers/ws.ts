import type { Client } from 'graphql-ws';

export interface Collected<T> {
  items: T[];
  errors: unknown[];
  /** Resolves when at least `n` items have arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<T[]>;
  dispose(): void;
}

/** Subscribes and collects every `next` payload's data, for assertions on order and completeness. */
export function collect<T = Record<string, unknown>>(client: Client, query: string, variables: Record<string, unknown> = {}): Collected<T> {
  const items: T[] = [];
  const errors: unknown[] = [];
  const waiters: { n: number; resolve: (v: T[]) => void }[] = [];
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (v) => {
        if (v.errors) errors.push(...v.errors);
        if (v.data) items.push(v.data as T);
        for (const w of [...waiters]) if (items.length >= w.n) w.resolve(items), waiters.splice(waiters.indexOf(w), 1);
      },
      error: (e) => errors.push(e),
      complete: () => undefined,
    },
  );
  return {
    items,
    errors,
    waitFor(n, ms = 5000) {
      if (items.length >= n) return Promise.resolve(items);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out with ${items.length}/${n} items; errors: ${JSON.stringify(errors)}`)), ms);
        waiters.push({ n, resolve: (v) => (clearTimeout(t), resolve(v)) });
      });
    },
    dispose,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WsAnswer {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  /** Set when the server closed the connection instead of answering. */
  close?: { code: number; reason: string };
}

/**
 * Runs one operation over graphql-ws to its end: the last `next` payload, the errors of an `error`
 * message, or the close event when the server closed the connection instead.
 */
export function once(client: Client, query: string, variables?: Record<string, unknown>): Promise<WsAnswer> {
  return new Promise((resolve) => {
    let value: WsAnswer = {};
    client.subscribe(
      { query, variables },
      {
        next: (v) => (value = v as WsAnswer),
        error: (e) => {
          if (Array.isArray(e)) resolve({ errors: e });
          else {
            const c = e as { code: number; reason: string };
            resolve({ close: { code: c.code, reason: c.reason } });
          }
        },
        complete: () => resolve(value),
      },
    );
  });
}
