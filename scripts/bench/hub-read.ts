/**
 * node -r @swc-node/register scripts/bench/hub-read.ts [--history 200000] [--borgere 10000] [--reads 200] [--no-write]
 *
 * What one wake-up of the notification hub costs as the number of recipients with subscribers on the instance
 * grows: the hub's read (src/events/outbox.repository.ts `afterLogged`: every named recipient's rows after its
 * cursor and, in the same statement, their X-4 access-log rows) with the recipients a NOTIFY names (the hinted
 * read: here two, one new message each) against the read of every recipient the instance serves (what every
 * wake-up did before NOTIFYs named their recipients, and what a NOTIFY without hints, the poll and a reconnect
 * still do): 98 a-kasser, plus 1,000 and 10,000 borgere with a subscription of their own.
 *
 * On a fresh database `dfdg_bench_hub_<pid>` (BENCH_DATABASE_URL), `history` outbox rows spread over the 98
 * a-kasser and the borgere first, as a running service has; reads are sent one after another from one
 * connection (wall time per read, round trip included). Writes its section of docs/BENCHMARKS.md unless --no-write.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { OutboxRepository, type HubReader } from '../../src/events/outbox.repository';
import { benchDatabase, machine } from './ab-age-job';
import { canaryLine, log, machineCanary, runMain, writeSection } from './bench-process';

const AKASSER = 98;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { history: { type: 'string' }, borgere: { type: 'string' }, reads: { type: 'string' }, 'no-write': { type: 'boolean' } },
  });
  const history = Number(values.history ?? 200_000);
  const borgere = Number(values.borgere ?? 10_000);
  const reads = Number(values.reads ?? 200);
  const canary = await machineCanary();
  log(canaryLine(canary));
  const db = await benchDatabase('hub');
  try {
    await db.sql(
      `insert into outbox_message (service_name, recipient_type, recipient_org, cpr, authority_role, authority_org, registered_by, payload)
       select 'GetTidligPensionVersion1', t, case when t = 'AKASSE' then (g / 2 % ${AKASSER} + 1)::text else lpad((g / 2 % ?)::text, 10, '0') end,
              '0101701234', 'UDK', 'udk', 'bench', '{}'::jsonb
         from generate_series(1, ?) g, lateral (select case when g % 2 = 0 then 'AKASSE' else 'BORGER' end t) k`,
      [borgere, history],
    );
    await db.sql('vacuum analyze outbox_message');
    const heads = await db.sql<{ type: string; org: string; head: string }>(
      `select recipient_type as type, recipient_org as org, max(id)::text as head from outbox_message group by 1, 2 order by 1, 2`,
    );
    const ak = heads.filter((h) => h.type === 'AKASSE');
    const bo = heads.filter((h) => h.type === 'BORGER');
    log(`${history.toLocaleString('en')} outbox rows over ${ak.length} a-kasser and ${bo.length.toLocaleString('en')} borgere`);
    // Two new messages for two a-kasser: what a wake-up finds.
    await db.sql(
      `insert into outbox_message (service_name, recipient_type, recipient_org, cpr, authority_role, authority_org, registered_by, payload)
       values ('GetTidligPensionVersion1', 'AKASSE', ?, '0101701234', 'UDK', 'udk', 'bench', '{}'), ('GetTidligPensionVersion1', 'AKASSE', ?, '0101701234', 'UDK', 'udk', 'bench', '{}')`,
      [ak[0].org, ak[1].org],
    );
    const repo = new OutboxRepository(() => db.orm.em.getConnection().getKnex());
    const cases: [string, typeof heads][] = [
      ['the recipients the NOTIFYs named (2)', ak.slice(0, 2)],
      [`every recipient served: ${AKASSER} a-kasser`, ak],
      [`every recipient served: ${AKASSER} a-kasser + ${Math.min(1000, bo.length).toLocaleString('en')} borgere`, [...ak, ...bo.slice(0, 1000)]],
      [`every recipient served: ${AKASSER} a-kasser + ${bo.length.toLocaleString('en')} borgere`, [...ak, ...bo]],
    ];
    const rows: string[] = [];
    for (const [name, set] of cases) {
      const cursors = set.map((h) => ({ type: h.type, org: h.org, after: Number(h.head) }));
      const readers: HubReader[] = set.map((h) => ({ type: h.type, to: h.org, sub: 'bench', role: h.type, org: h.org, service: null, after: Number(h.head) }));
      const at = new Date();
      const found = (await repo.afterLogged(cursors, readers, 2000, at)).length;
      const n = Math.max(20, Math.round(reads / Math.max(1, set.length / 100)));
      for (let i = 0; i < Math.min(20, n); i++) await repo.afterLogged(cursors, readers, 2000, at);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await repo.afterLogged(cursors, readers, 2000, at);
      const ms = (performance.now() - t0) / n;
      log(`${name}: ${set.length} cursors, ${found} rows, ${ms.toFixed(3)} ms per read (${n} reads)`);
      rows.push(`| ${name} | ${set.length.toLocaleString('en')} | ${found} | **${ms.toFixed(2)} ms** | ${Math.floor(1000 / ms).toLocaleString('en')} |`);
    }
    if (!values['no-write']) {
      writeSection(
        'bench:hub-read',
        `## Subscriptions: what one wake-up of the hub reads

\`node -r @swc-node/register scripts/bench/hub-read.ts\` — ${new Date().toISOString().slice(0, 10)}, ${machine()}, ${db.pgVersion}. ${canaryLine(canary)}

The hub's read (\`afterLogged\`: the rows after each cursor and their X-4 access-log rows, one statement) after
${history.toLocaleString('en')} outbox rows over ${ak.length} a-kasser and ${bo.length.toLocaleString('en')} borgere, with two new messages for two a-kasser. A NOTIFY names the
recipients it woke for (\`<id>:<hint>,…\`), so a wake-up reads only those; a NOTIFY that names none, the poll and
a reconnect read every recipient the instance serves. Reads one after another from one connection, wall time
per read including the round trip.

| read | cursors | rows found | time per read | reads/s at most |
|---|---:|---:|---:|---:|
${rows.join('\n')}`,
        'bench:subscriptions-profile',
      );
    }
  } finally {
    await db.drop();
  }
}

runMain(module, main);
