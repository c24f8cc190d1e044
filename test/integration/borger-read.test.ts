import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAbonnement, insertBorger, insertKontaktperson } from '../helpers/fixtures';
import { errorCode, startTestServer, type TestServer } from '../helpers/server';

// Issue 9: opening a borger answers its fields from the borger's own statement (src/borger/borger.prefetch.ts).
let ts: TestServer;

const FEW = '1504051235';
const MANY = '1604051236';
const OTHER = '1704051237';

const FIELDS = `cpr fornavn efternavn foedselsdato bopaelskommune jobcenter jobparat
  kontaktgruppe { kontaktgruppe start slut }
  kontaktgruppeHistorik { kontaktgruppe start slut }
  kontaktpersoner { id cpr kontaktpersontype rolle start slut visesPaaJobnet afsluttetVedFlytning registreretAfOrg registreretAfRolle aendret
    kontakt { id navn email telefon mobil art ejerOrg ejerRolle aendret } }
  aktive: kontaktpersoner(kunAktive: true) { id }
  uddannelsesplan { id cpr jobcenter plantype trin frist maal planbeskrivelse uddannelsessted stoettebehov jobmaal kravTilJobsoegning aendret }
  abonnementer { id cpr start slut lukkeaarsag lukket oprettet oprettetAf oprettetAfOrg oprettetAfRolle }`;

const OPEN = `query($cpr: CPR!) { borger(cpr: $cpr) { ${FIELDS} } }`;

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
  await insertBorger(ts, { cpr: FEW, jobcenter: '101', kontaktgruppe: [{ id: 1, start: '2020-01-01', slut: '2023-12-31' }, { id: 2, start: '2024-01-01' }], medlemskab: [{ akasse: '12', start: '2025-01-01' }] });
  await insertBorger(ts, { cpr: MANY, jobcenter: '101', kontaktgruppe: [{ id: 2, start: '2024-01-01' }], medlemskab: [{ akasse: '12', start: '2020-01-01', slut: '2025-12-31' }] });
  await insertBorger(ts, { cpr: OTHER, jobcenter: '157' });
  await insertKontaktperson(ts, { cpr: FEW, type: 32, start: '2025-01-01', rolle: 'Vejleder' });
  for (let i = 0; i < 12; i++) await insertKontaktperson(ts, { cpr: MANY, type: 1 + (i % 3), start: `2025-0${1 + (i % 9)}-01`, slut: i % 2 ? '2025-12-31' : null, navn: `K ${i}` });
  for (const cpr of [FEW, MANY]) {
    await ts.sql(`insert into uddannelsesplan (cpr, jobcenter, plantype, trin, frist, maal, stoettebehov) values (?, '101', 1, 2, '2027-01-31', 'Mål', '[3, 7]'::jsonb)`, [cpr]);
    await insertAbonnement(ts, { cpr, start: '2024-01-01', slut: '2024-06-30' });
    await insertAbonnement(ts, { cpr, start: '2025-01-01' });
  }
});

afterAll(async () => {
  await ts?.close();
});

describe('opening a borger (issue 9)', () => {
  it('every field and its X-4 access-log rows come from one statement, however many rows each field has', async () => {
    const jc101 = await ts.token('JOBCENTER', '101');
    await ts.gql(OPEN, { cpr: FEW }, jc101); // warm: cached documents, code tables
    const few = await ts.countQueries(() => ts.gql(OPEN, { cpr: FEW }, jc101));
    const many = await ts.countQueries(() => ts.gql(OPEN, { cpr: MANY }, jc101));
    expect(many).toBe(few);
    expect(many).toBe(1);
  });

  it('answers exactly what the field-by-field loaders answer (the borgere list reads them that way)', async () => {
    const jc101 = await ts.token('JOBCENTER', '101');
    const list = await ts.gql<{ borgere: { items: Record<string, unknown>[] } }>(`{ borgere(first: 3) { items { ${FIELDS} } } }`, {}, jc101);
    expect(list.errors).toBeUndefined();
    for (const cpr of [FEW, MANY]) {
      const one = await ts.gql<{ borger: Record<string, unknown> }>(OPEN, { cpr }, jc101);
      expect(one.errors).toBeUndefined();
      expect(one.data!.borger).toEqual(list.data!.borgere.items.find((b) => b.cpr === cpr));
    }
    const many = (await ts.gql<{ borger: { kontaktpersoner: unknown[]; aktive: unknown[]; uddannelsesplan: { stoettebehov: number[] } } }>(OPEN, { cpr: MANY }, jc101)).data!.borger;
    expect(many.kontaktpersoner).toHaveLength(12);
    expect(many.aktive).toHaveLength(6);
    expect(many.uddannelsesplan.stoettebehov).toEqual([3, 7]);
  });

  it('fields selected through fragments are fetched in the same statement', async () => {
    const jc101 = await ts.token('JOBCENTER', '101');
    const q = `query($cpr: CPR!) { borger(cpr: $cpr) { cpr ...K ... on Borger { abonnementer { id } } } }
      fragment K on Borger { kontaktpersoner { id kontakt { navn } } uddannelsesplan { id } }`;
    const r = await ts.gql<{ borger: { kontaktpersoner: unknown[]; abonnementer: unknown[] } }>(q, { cpr: MANY }, jc101);
    expect(r.data!.borger.kontaktpersoner).toHaveLength(12);
    expect(r.data!.borger.abonnementer).toHaveLength(2);
    expect(await ts.countQueries(() => ts.gql(q, { cpr: MANY }, jc101))).toBe(1);
  });

  it('an a-kasse reads its current member in one statement; a former member and a non-member are FORBIDDEN', async () => {
    const ak12 = await ts.token('AKASSE', '12');
    const q = `query($cpr: CPR!) { borger(cpr: $cpr) { cpr kontaktgruppe { kontaktgruppe } kontaktgruppeHistorik { kontaktgruppe } } }`;
    expect((await ts.gql<{ borger: { cpr: string; kontaktgruppe: { kontaktgruppe: number } } }>(q, { cpr: FEW }, ak12)).data!.borger).toMatchObject({ cpr: FEW, kontaktgruppe: { kontaktgruppe: 2 } });
    expect(await ts.countQueries(() => ts.gql(q, { cpr: FEW }, ak12))).toBe(1);
    expect(errorCode(await ts.gql(q, { cpr: MANY }, ak12))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(q, { cpr: OTHER }, ak12))).toBe('FORBIDDEN');
  });

  it('a role that the kontaktpersoner, abonnementer and udbHaendelser queries refuse does not get them as fields of borger(cpr): FORBIDDEN, nothing of it logged', async () => {
    const fields: [string, string][] = [
      ['kontaktpersoner', 'kontaktpersoner { id kontakt { navn } }'],
      ['abonnementer', 'abonnementer { id }'],
      ['udbHaendelser', 'udbHaendelser { id }'],
      ['flytninger', 'flytninger { id }'],
      ['senesteFlytning', 'senesteFlytning { id }'],
    ];
    const callers = [await ts.token('AKASSE', '12'), await ts.token('UDK', 'UDK'), await ts.token('BORGER', FEW)];
    await ts.sql(`delete from access_log where cpr = ?`, [FEW]);
    for (const token of callers) {
      // The borger itself stays readable by each of them.
      expect((await ts.gql<{ borger: { cpr: string } }>(`query($cpr: CPR!) { borger(cpr: $cpr) { cpr } }`, { cpr: FEW }, token)).data!.borger.cpr).toBe(FEW);
      for (const [name, sel] of fields) {
        const r = await ts.gql(`query($cpr: CPR!) { borger(cpr: $cpr) { cpr ${sel} } }`, { cpr: FEW }, token);
        expect(errorCode(r), name).toBe('FORBIDDEN');
      }
    }
    const logged = await ts.sql<{ what: string }>(`select distinct what from access_log where cpr = ? order by what`, [FEW]);
    expect(logged.map((r) => r.what)).toEqual(['borger']);
    // UDK reads the borger for TP-3, not the case: no kontaktgruppe or jobparathed either.
    expect(errorCode(await ts.gql(`query($cpr: CPR!) { borger(cpr: $cpr) { kontaktgruppe { kontaktgruppe } } }`, { cpr: FEW }, callers[1]))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(`query($cpr: CPR!) { borger(cpr: $cpr) { jobparat } }`, { cpr: FEW }, callers[1]))).toBe('FORBIDDEN');
    expect((await ts.gql<{ borger: { jobparat: boolean } }>(`query($cpr: CPR!) { borger(cpr: $cpr) { jobparat } }`, { cpr: FEW }, callers[0])).data!.borger.jobparat).toBe(false);
  });

  it("X-4: another jobcenter's borger is FORBIDDEN and nothing of it is logged as read; an unknown CPR looks the same", async () => {
    const jc101 = await ts.token('JOBCENTER', '101');
    const before = await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = ?`, [OTHER]);
    expect(errorCode(await ts.gql(OPEN, { cpr: OTHER }, jc101))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(OPEN, { cpr: '0101011231' }, jc101))).toBe('FORBIDDEN');
    const after = await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = ?`, [OTHER]);
    expect(after[0].n).toBe(before[0].n);
  });

  it('X-4: every field read is logged with the borger, as before', async () => {
    const jc101 = await ts.token('JOBCENTER', '101');
    await ts.sql(`delete from access_log where cpr = ?`, [FEW]);
    await ts.gql(OPEN, { cpr: FEW }, jc101);
    const rows = await ts.sql<{ what: string }>(`select what from access_log where cpr = ? order by what`, [FEW]);
    expect(rows.map((r) => r.what)).toEqual(['abonnement', 'borger', 'kontaktgruppe', 'kontaktpersoner', 'uddannelsesplan']);
  });

  it('X-4: the read statement logs, for every role, exactly what the request answers: the borger and each field its role may read', async () => {
    // The field, what its resolver records, and the roles it lets in (the prefetches' `access`).
    const fields: [string, string, string[]][] = [
      ['kontaktgruppe { kontaktgruppe }', 'kontaktgruppe', ['JOBCENTER', 'AKASSE', 'BORGER', 'SYSTEM']],
      ['kontaktgruppeHistorik { kontaktgruppe }', 'kontaktgruppe', ['JOBCENTER', 'AKASSE', 'BORGER', 'SYSTEM']],
      ['kontaktpersoner { id }', 'kontaktpersoner', ['JOBCENTER', 'SYSTEM']],
      ['uddannelsesplan { id }', 'uddannelsesplan', ['JOBCENTER']],
      ['abonnementer { id }', 'abonnement', ['JOBCENTER', 'SYSTEM']],
    ];
    const callers: [string, string][] = [['JOBCENTER', '101'], ['AKASSE', '12'], ['BORGER', FEW], ['UDK', 'UDK'], ['SYSTEM', 'SYSTEM']];
    for (const [role, org] of callers) {
      const token = await ts.token(role as 'JOBCENTER', org, `x4-${role}`);
      for (const [sel, what, readers] of fields) {
        await ts.sql(`delete from access_log where cpr = ?`, [FEW]);
        const r = await ts.gql<{ borger: Record<string, unknown> | null }>(`query($cpr: CPR!) { borger(cpr: $cpr) { cpr ${sel} } }`, { cpr: FEW }, token);
        const allowed = readers.includes(role);
        expect(errorCode(r), `${role} ${sel}`).toBe(allowed ? undefined : 'FORBIDDEN');
        const rows = await ts.sql<{ what: string; sub: string; role: string; org: string }>(`select what, sub, role, org from access_log where cpr = ? order by what`, [FEW]);
        expect(rows.map((x) => x.what), `${role} ${sel}`).toEqual(allowed ? ['borger', what].sort() : ['borger']);
        for (const x of rows) expect(x).toMatchObject({ sub: `x4-${role}`, role, org });
      }
    }
  });

  it('X-4: a caller of each role reading a borger outside its scope gets FORBIDDEN and the read statement logs nothing', async () => {
    // A-kasse 12's membership of MANY ended 2025-12-31: a former member, outside its scope today.
    const outside: [string, string, string][] = [['JOBCENTER', '157', FEW], ['BORGER', MANY, FEW], ['AKASSE', '99', FEW], ['AKASSE', '12', MANY]];
    await ts.sql(`delete from access_log where cpr in (?, ?)`, [FEW, MANY]);
    for (const [role, org, cpr] of outside) {
      const r = await ts.gql(OPEN.replace(/uddannelsesplan \{[^}]*\}/, ''), { cpr }, await ts.token(role as 'JOBCENTER', org));
      expect(errorCode(r), `${role} ${org}`).toBe('FORBIDDEN');
    }
    expect(await ts.sql(`select what from access_log where cpr in (?, ?)`, [FEW, MANY])).toEqual([]);
  });

  it('X-4: an a-kasse\'s scope in the read statement is its membership on the day, both ends included (covers)', async () => {
    // Today is 2026-11-27 in this server.
    await ts.sql(`insert into akasse_medlemskab (cpr, akasse, start, slut) values (?, '31', '2026-11-27', '2026-11-27'), (?, '32', '2026-11-28', null), (?, '33', '2025-01-01', '2026-11-26')`, [OTHER, OTHER, OTHER]);
    await ts.sql(`delete from access_log where cpr = ?`, [OTHER]);
    const q = `query($cpr: CPR!) { borger(cpr: $cpr) { cpr kontaktgruppe { kontaktgruppe } } }`;
    for (const [akasse, member] of [['31', true], ['32', false], ['33', false]] as const) {
      const r = await ts.gql(q, { cpr: OTHER }, await ts.token('AKASSE', akasse, `x4-ak-${akasse}`));
      expect(errorCode(r), akasse).toBe(member ? undefined : 'FORBIDDEN');
    }
    const rows = await ts.sql<{ sub: string; what: string }>(`select sub, what from access_log where cpr = ? order by what`, [OTHER]);
    expect(rows.map((r) => `${r.sub} ${r.what}`)).toEqual(['x4-ak-31 borger', 'x4-ak-31 kontaktgruppe']);
    // Logged by the read itself (an insert after it would mean the statement's scope said no where mayReadBorger said yes).
    const ak31 = await ts.token('AKASSE', '31');
    expect(await ts.countQueries(() => ts.gql(q, { cpr: OTHER }, ak31))).toBe(1);
  });

  it('X-4: a read the read statement did not log (its scope and mayReadBorger disagreeing) is logged at the end of the request', async () => {
    // A trigger drops this caller's rows from the read statement's own insert only: as if its scope had said no.
    await ts.sql(`create function test_drop_read_log() returns trigger language plpgsql as $$
      begin if new.sub = 'x4-dropped' and current_query() like 'with logget%' then return null; end if; return new; end $$`);
    await ts.sql(`create trigger test_drop_read_log before insert on access_log for each row execute function test_drop_read_log()`);
    try {
      await ts.sql(`delete from access_log where cpr = ?`, [FEW]);
      const r = await ts.gql(`query($cpr: CPR!) { borger(cpr: $cpr) { cpr kontaktpersoner { id } } }`, { cpr: FEW }, await ts.token('JOBCENTER', '101', 'x4-dropped'));
      expect(r.errors).toBeUndefined();
      const rows = await ts.sql<{ what: string }>(`select what from access_log where cpr = ? and sub = 'x4-dropped' order by what`, [FEW]);
      expect(rows.map((x) => x.what)).toEqual(['borger', 'kontaktpersoner']);
    } finally {
      await ts.sql(`drop trigger test_drop_read_log on access_log`);
      await ts.sql(`drop function test_drop_read_log()`);
    }
  });

  it('X-4: a field left out by @skip or @include is neither fetched nor logged', async () => {
    const jc101 = await ts.token('JOBCENTER', '101');
    const q = `query($cpr: CPR!, $s: Boolean!, $i: Boolean!) { borger(cpr: $cpr) { cpr kontaktpersoner @skip(if: $s) { id } ... on Borger @include(if: $i) { abonnementer { id } } ...P } }
      fragment P on Borger { uddannelsesplan @include(if: $i) { id } }`;
    const logged = async (s: boolean, i: boolean) => {
      await ts.sql(`delete from access_log where cpr = ?`, [FEW]);
      const r = await ts.gql(q, { cpr: FEW, s, i }, jc101);
      expect(r.errors).toBeUndefined();
      return (await ts.sql<{ what: string }>(`select what from access_log where cpr = ? order by what`, [FEW])).map((x) => x.what);
    };
    expect(await logged(true, false)).toEqual(['borger']);
    expect(await logged(false, false)).toEqual(['borger', 'kontaktpersoner']);
    expect(await logged(true, true)).toEqual(['abonnement', 'borger', 'uddannelsesplan']);
  });

  it('X-4: concurrent reads of one borger, batched together, each log their own caller and request, once per request', async () => {
    const tokens = await Promise.all(['a', 'b', 'c'].map((s) => ts.token('JOBCENTER', '101', `x4-batch-${s}`)));
    await ts.sql(`delete from access_log where cpr = ?`, [FEW]);
    const q = `query($cpr: CPR!) { borger(cpr: $cpr) { cpr kontaktpersoner { id } } twice: borger(cpr: $cpr) { cpr } }`;
    const rs = await Promise.all([...tokens, tokens[0]].map((t) => ts.gql(q, { cpr: FEW }, t)));
    for (const r of rs) expect(r.errors).toBeUndefined();
    const rows = await ts.sql<{ sub: string; what: string; request_id: string }>(`select sub, what, request_id from access_log where cpr = ? order by sub, what`, [FEW]);
    // Four requests (two of them by x4-batch-a), each logs borger and kontaktpersoner once.
    expect(rows.map((r) => `${r.sub} ${r.what}`)).toEqual([
      'x4-batch-a borger', 'x4-batch-a borger', 'x4-batch-a kontaktpersoner', 'x4-batch-a kontaktpersoner',
      'x4-batch-b borger', 'x4-batch-b kontaktpersoner', 'x4-batch-c borger', 'x4-batch-c kontaktpersoner',
    ]);
    expect(new Set(rows.map((r) => `${r.request_id} ${r.what}`)).size).toBe(rows.length);
  });

  it('X-4: when the access log cannot be written, no data leaves (group commit keeps the rule)', async () => {
    const jc101 = await ts.token('JOBCENTER', '101');
    await ts.sql(`alter table access_log add constraint test_no_writes check (false) not valid`);
    try {
      const rs = await Promise.all([FEW, MANY, FEW].map((cpr) => ts.gql<{ borger: unknown }>(OPEN, { cpr }, jc101)));
      for (const r of rs) {
        expect(r.data ?? null).toBeNull();
        expect(errorCode(r)).toBe('INTERNAL_SERVER_ERROR');
      }
    } finally {
      await ts.sql(`alter table access_log drop constraint test_no_writes`);
    }
    expect((await ts.gql<{ borger: { cpr: string } }>(OPEN, { cpr: FEW }, jc101)).data!.borger.cpr).toBe(FEW);
  });

  it('the prepared read survives a migration that adds a column to borger (no `b.*` in a cached plan)', async () => {
    const jc101 = await ts.token('JOBCENTER', '101');
    const read = () => Promise.all(Array.from({ length: 12 }, () => ts.gql<{ borger: { cpr: string } }>(OPEN, { cpr: MANY }, jc101)));
    for (const r of await read()) expect(r.errors).toBeUndefined();
    await ts.sql(`alter table borger add column test_later_column int`);
    try {
      for (const r of await read()) {
        expect(r.errors).toBeUndefined();
        expect(r.data!.borger.cpr).toBe(MANY);
      }
    } finally {
      await ts.sql(`alter table borger drop column test_later_column`);
    }
  });

  it('UDK reading an unknown CPR is told NOT_FOUND', async () => {
    const udk = await ts.token('UDK', 'udk');
    expect(errorCode(await ts.gql(OPEN.replace(/uddannelsesplan \{[^}]*\}/, ''), { cpr: '0101011231' }, udk))).toBe('NOT_FOUND');
  });
});
