/**
 * node -r @swc-node/register scripts/bench/udb-contact-import.ts [--kontakter 100000] [--no-write] [--keep]
 *
 * KP-7/KP-8: the daily UDB contact import (`udb-kontaktimport`) reading an NDJSON file of K type-31 contacts (two per
 * borger; 5,000 distinct school contacts shared between borgere). 95 % of the borgere in the file have an active
 * abonnement, 5 % have none (skipped). Three runs, as the runner runs the job: the first day on an empty state
 * (every contact new), the same file again (idempotent: nothing changes, nothing is sent), and the next day's file
 * in which one borger in ten has one contact replaced (only those are notified, KP-8). Database as
 * scripts/bench/ab-age-job.ts; writes its section of docs/BENCHMARKS.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import 'reflect-metadata';
import { udbKontaktJob } from '../../src/kontaktperson/udb-kontakt.import';
import { runMain } from './bench-process';
import { benchDatabase, fmtMs, log, machine, timeJob, writeSection } from './ab-age-job';

function kontakt(n: number) {
  return { navn: `Studievejleder ${n}`, email: `sv${n}@skole${n % 300}.dk`, telefon: String(20000000 + n), cvr: String(10000000 + (n % 300)), pnr: String(1000000000 + n) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { kontakter: { type: 'string' }, 'no-write': { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } } });
  const K = Number(values.kontakter ?? 100_000);
  const borgere = Math.ceil(K / 2);
  const medAbonnement = Math.round(borgere * 0.95);
  const db = await benchDatabase('udb');
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-udb-'));
  try {
    const t0 = Date.now();
    // Valid CPR numbers (X-2: the import checks them): born 2003-2011, serials 4000-… (digit 7 = 4: 2000s).
    const cprs: string[] = [];
    for (let i = 0; i < borgere * 2; i++) {
      const d = new Date(Date.UTC(2003, 0, 1 + (i % 3000)));
      const ddmmyy = `${String(d.getUTCDate()).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCFullYear()).slice(2)}`;
      cprs.push(`${ddmmyy}${4000 + Math.floor(i / 3000)}`);
    }
    // The borgere in the file (the first half), and as many again who are not in it; abonnement for 95 % of those in the file.
    for (let i = 0; i < cprs.length; i += 50_000) {
      await db.sql(
        `insert into borger (cpr, foedselsdato, fornavn, efternavn, bopaelskommune, jobcenter)
         select c.cpr, to_date(substr(c.cpr, 1, 4) || '20' || substr(c.cpr, 5, 2), 'DDMMYYYY'), 'B', 'Bench', k, k
           from json_array_elements_text(?::json) with ordinality as c(cpr, n),
                lateral (select (array['101', '147', '157', '461', '751', '851'])[1 + (c.n % 6)::int] as k) j`,
        [JSON.stringify(cprs.slice(i, i + 50_000))],
      );
    }
    const uden = new Set(cprs.slice(medAbonnement, borgere));
    await db.sql(
      `insert into abonnement (cpr, start, oprettet_af_rolle, oprettet_af_org, oprettet_af)
       select cpr, date '2020-01-01', 'JOBCENTER', jobcenter, 'bench' from borger where not (cpr = any (string_to_array(?, ',')))`,
      [[...uden].join(',')],
    );
    await db.sql('vacuum analyze');
    const cpr = (i: number) => cprs[i - 1];
    const day1 = path.join(dir, 'kontakter-2026-11-27.ndjson');
    const day2 = path.join(dir, 'kontakter-2026-11-28.ndjson');
    const lines1: string[] = [];
    const lines2: string[] = [];
    for (let i = 1; i <= borgere; i++) {
      const a = kontakt((i * 7) % 5000);
      const b = kontakt((i * 13 + 1) % 5000);
      lines1.push(JSON.stringify({ cpr: cpr(i), kontakter: [a, b] }));
      lines2.push(JSON.stringify({ cpr: cpr(i), kontakter: [a, i % 10 === 0 ? kontakt((i * 17 + 2) % 5000) : b] }));
    }
    writeFileSync(day1, lines1.join('\n') + '\n');
    writeFileSync(day2, lines2.join('\n') + '\n');
    const seedMs = Date.now() - t0;
    log(`seeded ${borgere * 2} borgere, files of ${K} contacts for ${borgere} borgere in ${fmtMs(seedMs)}`);

    const job = udbKontaktJob(() => null);
    const fil = path.join(dir, 'kontakter-{dato}.ndjson');
    const outbox = async () => Number((await db.sql<{ n: string }>(`select count(*) n from outbox_message`))[0].n);
    const first = await timeJob(db, job, '2026-11-27', { fil });
    const sent1 = await outbox();
    log(`day 1: ${JSON.stringify(first.report)} in ${fmtMs(first.ms)}; messages ${sent1}`);
    const again = await timeJob(db, job, '2026-11-27', { fil });
    const sent2 = (await outbox()) - sent1;
    log(`day 1 again: ${JSON.stringify(again.report)} in ${fmtMs(again.ms)}; messages ${sent2}`);
    if (again.report.tilfoejet + again.report.afsluttet + sent2 !== 0) throw new Error('the re-run changed something');
    const next = await timeJob(db, job, '2026-11-28', { fil });
    const sent3 = (await outbox()) - sent1;
    log(`day 2: ${JSON.stringify(next.report)} in ${fmtMs(next.ms)}; messages ${sent3}`);
    if (sent3 !== next.report.aendredeBorgere) throw new Error('KP-8: one message per changed borger');

    if (!values['no-write']) {
      const row = (name: string, r: typeof first, sent: number) =>
        `| ${name} | ${r.report.linjer.toLocaleString('en')} | ${r.report.udenAbonnement.toLocaleString('en')} | ${r.report.tilfoejet.toLocaleString('en')} | ${r.report.afsluttet.toLocaleString('en')} | ${sent.toLocaleString('en')} | **${fmtMs(r.ms)}** |`;
      writeSection(
        'bench:udb-contact-import',
        `## KP-7/KP-8: the daily UDB contact import (\`udb-kontaktimport\`), ${K.toLocaleString('en')} contacts

\`node -r @swc-node/register scripts/bench/udb-contact-import.ts\` — ${new Date().toISOString().slice(0, 10)}, ${machine()}, ${db.pgVersion} (default settings).

An NDJSON file of ${K.toLocaleString('en')} type-31 contacts for ${borgere.toLocaleString('en')} borgere (two each, 5,000 distinct contacts), ${medAbonnement.toLocaleString('en')} of them with an active abonnement; ${(borgere * 2).toLocaleString('en')} borgere in the database. Seeding took ${fmtMs(seedMs)}. Each run reads and validates the file, then applies it in transactions of 10,000 borgere (set-based: the chunk's borgere locked in CPR order, a staging table, one INSERT of new kontakter, one statement ending and adding attachments, one INSERT … SELECT of the GetPersonAuthorityContactVersion1 messages, each borger's snapshot date in udb_kontakt_stand).

| run | lines | skipped (no abonnement) | added | ended | messages (KP-8) | time |
|---|---|---|---|---|---|---|
${row('day 1, empty state', first, sent1)}
${row('day 1 again (idempotent)', again, sent2)}
${row('day 2, one borger in ten changed', next, sent3)}

Target: under 30 s.`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (values.keep) {
      log(`--keep: database ${db.name} left in place`);
      await db.orm.close(true);
    } else await db.drop();
  }
}

runMain(module, main);
