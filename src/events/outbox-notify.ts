/**
 * What an outbox NOTIFY says (written by SQL function `outbox_notify_payload`, migration 1100): the highest
 * id committed and, when the writer named them, a digest of each recipient it wrote to. The table stays the
 * truth; the hints only spare an instance reading recipients that got nothing.
 */

import { createHash } from 'node:crypto';

/** A recipient key's hint: the first 8 hex digits of its SHA-256, as `outbox_notify_payload` computes it. */
export function recipientHint(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 8);
}

const PAYLOAD = /^\d+(?::([0-9a-f]{8}(?:,[0-9a-f]{8})*))?$/;

/**
 * The recipients' hints a NOTIFY names, or undefined: read every recipient. Anything but a well-formed payload
 * with hints (an older writer's bare id, a hand-sent NOTIFY) reads everything.
 */
export function parseOutboxNotify(payload: string | undefined): string[] | undefined {
  const m = payload ? PAYLOAD.exec(payload) : null;
  return m?.[1] ? m[1].split(',') : undefined;
}
