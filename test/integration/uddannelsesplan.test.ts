import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCtx } from '../../src/context/create-ctx';
import { Role } from '../../src/context/roles';
import { DomainEventBus } from '../../src/events/domain-events';
import type { PlantypeSkiftetEvent } from '../../src/uddannelsesplan/uddannelsesplan.events';
import { UddannelsesplanService } from '../../src/uddannelsesplan/uddannelsesplan.service';
import { insertBorger } from '../helpers/fixtures';
import { errorCode, startTestServer, type GqlResult, type TestServer } from '../helpers/server';

let ts: TestServer;
let jc157: string;
let jc101: string;

const CPR = '0101054321';
const CPR_OTHER = '0202054321';

const PLAN_FIELDS = `id cpr jobcenter plantype trin frist planbeskrivelse maal ansvarligSagsbehandler uddannelsessted stoettebehov jobmaal kravTilJobsoegning harUpubliceredeAendringer`;
const OPRET = `mutation($i: OpretUddannelsesplanInput!) { opretUddannelsesplan(input: $i) { ${PLAN_FIELDS} } }`;
const OPDATER = `mutation($i: OpdaterUddannelsesplanInput!) { opdaterUddannelsesplan(input: $i) { ${PLAN_FIELDS} } }`;
const PUBLICER = `mutation($cpr: CPR!) { publicerUddannelsesplan(cpr: $cpr) { nyVersion type1Aendringer version { nr aarsag uddannelsesplan { trin stoettebehov jobmaal maal } } brev { id } } }`;
const HENT = `query($cpr: CPR!) { uddannelsesplan(cpr: $cpr) { ${PLAN_FIELDS} publiceret { trin stoettebehov jobmaal maal plantype } versioner { nr aarsag oprettetAf uddannelsesplan { maal trin stoettebehov jobmaal } } } }`;

type Plan = { id: string; plantype: number; trin: number | null; stoettebehov: number[]; jobmaal: string[]; kravTilJobsoegning: string[]; maal: string; harUpubliceredeAendringer: boolean };
type Publ = { nyVersion: boolean; type1Aendringer: string[]; version: { nr: number; aarsag: string; uddannelsesplan: { trin: number; stoettebehov: number[]; jobmaal: string[]; maal: string } } };

async function hent(cpr = CPR, token = jc157) {
  return ts.gql<{ uddannelsesplan: Plan & { versioner: { nr: number; uddannelsesplan: { maal: string; jobmaal: string[] } }[]; publiceret: { maal: string; jobmaal: string[] } | null } }>(HENT, { cpr }, token);
}
async function opdater(i: Record<string, unknown>, token = jc157) {
  return ts.gql<{ opdaterUddannelsesplan: Plan }>(OPDATER, { i: { cpr: CPR, ...i } }, token);
}
async function publicer(cpr = CPR, token = jc157): Promise<GqlResult<{ publicerUddannelsesplan: Publ }>> {
  return ts.gql<{ publicerUddannelsesplan: Publ }>(PUBLICER, { cpr }, token);
}

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
  jc157 = await ts.token('JOBCENTER', '157');
  jc101 = await ts.token('JOBCENTER', '101');
  await insertBorger(ts, { cpr: CPR, jobcenter: '157', fornavn: 'Søren', efternavn: 'Ærø' });
  await insertBorger(ts, { cpr: CPR_OTHER, jobcenter: '101' });
});
afterAll(async () => ts?.close());

describe('an uddannelsesplan through the API', () => {
  it('a jobcenter creates the plan of its borger and reads it back', async () => {
    const r = await ts.gql<{ opretUddannelsesplan: Plan }>(
      OPRET,
      {
        i: {
          cpr: CPR,
          plantype: 1,
          trin: 2,
          frist: '2027-01-31',
          planbeskrivelse: 'Vejen mod en erhvervsuddannelse',
          maal: 'Optagelse på EUD',
          ansvarligSagsbehandler: 'Sara Sagsbehandler',
          uddannelsessted: 'TEC',
          stoettebehov: [6, 2],
          jobmaal: ['Elektriker'],
          kravTilJobsoegning: ['Lagerarbejder', 'Chauffør'],
        },
      },
      jc157,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.opretUddannelsesplan).toMatchObject({ jobcenter: '157', plantype: 1, trin: 2, frist: '2027-01-31', stoettebehov: [2, 6], harUpubliceredeAendringer: true });
    const read = await hent();
    expect(read.data!.uddannelsesplan).toMatchObject({ maal: 'Optagelse på EUD', jobmaal: ['Elektriker'], publiceret: null, versioner: [] });
  });

  it('a second plan for the same borger in the same jobcenter is a CONFLICT', async () => {
    const r = await ts.gql(OPRET, { i: { cpr: CPR, plantype: 1 } }, jc157);
    expect(errorCode(r)).toBe('CONFLICT');
  });

  it('UP-1: støttebehov are ids only: an unknown id is BAD_USER_INPUT, and the input has no free-text field for them', async () => {
    const r = await opdater({ stoettebehov: [2, 7] });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    const t = await ts.gql<{ __type: { inputFields: { name: string; type: { kind: string; ofType: { name: string } | null } }[] } }>(
      `{ __type(name: "OpdaterUddannelsesplanInput") { inputFields { name type { kind ofType { name ofType { name } } } } } }`,
      {},
      jc157,
    );
    const fields = t.data!.__type.inputFields;
    expect(fields.filter((f) => /stoette/i.test(f.name)).map((f) => [f.name, f.type.kind, f.type.ofType?.name])).toEqual([['stoettebehov', 'LIST', null]]);
    const sdl = await ts.gql<{ __type: { fields: { name: string }[] } }>(`{ __type(name: "Uddannelsesplan") { fields { name } } }`, {}, jc157);
    expect(sdl.data!.__type.fields.map((f) => f.name).filter((n) => /stoette/i.test(n))).toEqual(['stoettebehov']);
  });

  const violations: [string, Record<string, unknown>][] = [
    ['UP-2', { stoettebehov: [1, 3] }],
    ['UP-3', { stoettebehov: [4, 5] }],
    ['UP-5', { trin: 4, stoettebehov: [5, 6] }],
  ];
  it.each(violations)('%s: a violation is a RULE_VIOLATION naming the rule, in Danish, and changes nothing', async (rule, change) => {
    const before = (await hent()).data!.uddannelsesplan;
    const r = await opdater({ ...change, maal: 'Skal ikke gemmes' });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'RULE_VIOLATION', rule });
    expect(r.errors![0].message).toMatch(/støttebehov/i);
    const after = (await hent()).data!.uddannelsesplan;
    expect(after).toEqual(before);
  });

  it('UP-4: 5 and 6 may stand alone', async () => {
    const r = await opdater({ stoettebehov: [5, 6] });
    expect(r.errors).toBeUndefined();
    expect(r.data!.opdaterUddannelsesplan.stoettebehov).toEqual([5, 6]);
    const back = await opdater({ stoettebehov: [2, 6] });
    expect(back.errors).toBeUndefined();
  });

  it('UP-4: a change is stored as answered, json fields included, in a constant number of statements', async () => {
    const cpr = '0303054321';
    await insertBorger(ts, { cpr, jobcenter: '157' });
    expect((await ts.gql(OPRET, { i: { cpr, plantype: 1, maal: 'Første mål' } }, jc157)).errors).toBeUndefined();
    let r: Awaited<ReturnType<typeof opdater>> | undefined;
    const n = await ts.countQueries(async () => {
      r = await ts.gql(`mutation($i: OpdaterUddannelsesplanInput!) { opdaterUddannelsesplan(input: $i) { id } }`, { i: { cpr, stoettebehov: [2, 6], jobmaal: ['Tømrer'], maal: 'Nyt mål' } }, jc157);
    });
    expect(r!.errors).toBeUndefined();
    // BEGIN, the borger locked, the plan, the update, COMMIT, and the X-4 access-log row.
    expect(n).toBe(6);
    const answer = (await opdater({ cpr, trin: 2 })).data!.opdaterUddannelsesplan;
    expect(answer).toMatchObject({ plantype: 1, trin: 2, stoettebehov: [2, 6], jobmaal: ['Tømrer'], maal: 'Nyt mål' });
    expect((await hent(cpr)).data!.uddannelsesplan).toMatchObject(answer);
  });

  it('UP-5: a plan at trin 4 saves with one of 1, 2, 3', async () => {
    const r = await opdater({ trin: 4, stoettebehov: [2, 4] });
    expect(r.errors).toBeUndefined();
    expect(r.data!.opdaterUddannelsesplan).toMatchObject({ trin: 4, stoettebehov: [2, 4] });
    expect((await opdater({ trin: 2, stoettebehov: [2, 6] })).errors).toBeUndefined();
  });

  it('TM-2: the same stillingsbetegnelse twice in jobmål or krav til jobsøgning is refused naming it, and changes nothing', async () => {
    const j = await opdater({ jobmaal: ['Elektriker', 'Smed', 'ELEKTRIKER'] });
    expect(j.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'jobmaal', duplicate: 'ELEKTRIKER', rule: 'TM-2' });
    const k = await opdater({ kravTilJobsoegning: ['Chauffør', ' chauffør'] });
    expect(k.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'kravTilJobsoegning', rule: 'TM-2' });
    expect(k.errors![0].message).toContain('chauffør');
    const plan = (await hent()).data!.uddannelsesplan;
    expect(plan.jobmaal).toEqual(['Elektriker']);
    expect(plan.kravTilJobsoegning).toEqual(['Lagerarbejder', 'Chauffør']);
  });
});

describe('UP-6: publishing and versions', () => {
  it('UP-6: the first publication makes version 1 holding the plan', async () => {
    const r = await publicer();
    expect(r.errors).toBeUndefined();
    expect(r.data!.publicerUddannelsesplan).toMatchObject({ nyVersion: true, version: { nr: 1, aarsag: 'UDDANNELSESPLAN', uddannelsesplan: { trin: 2, stoettebehov: [2, 6] } } });
    expect((await hent()).data!.uddannelsesplan.harUpubliceredeAendringer).toBe(false);
  });

  it('UP-6: changes of jobmål, krav til jobsøgning and plantype are published into the newest version without a new one', async () => {
    expect((await opdater({ jobmaal: ['Elektriker', 'Smed'], plantype: 2 })).errors).toBeUndefined();
    const r = await publicer();
    expect(r.data!.publicerUddannelsesplan).toMatchObject({ nyVersion: false, type1Aendringer: [], version: { nr: 1, uddannelsesplan: { jobmaal: ['Elektriker', 'Smed'] } } });
    const plan = (await hent()).data!.uddannelsesplan;
    expect(plan.versioner.map((v) => v.nr)).toEqual([1]);
    expect(plan.publiceret).toMatchObject({ jobmaal: ['Elektriker', 'Smed'], plantype: 2 });
  });

  it('UP-6: saving without publishing changes no version; publishing a type-1 change makes version 2 and keeps version 1 readable', async () => {
    expect((await opdater({ maal: 'Optagelse på HTX' })).errors).toBeUndefined();
    let plan = (await hent()).data!.uddannelsesplan;
    expect(plan.versioner).toHaveLength(1);
    expect(plan.harUpubliceredeAendringer).toBe(true);
    expect(plan.publiceret!.maal).toBe('Optagelse på EUD');
    const r = await publicer();
    expect(r.data!.publicerUddannelsesplan).toMatchObject({ nyVersion: true, type1Aendringer: ['maal'], version: { nr: 2 } });
    plan = (await hent()).data!.uddannelsesplan;
    expect(plan.versioner.map((v) => [v.nr, v.uddannelsesplan.maal])).toEqual([
      [1, 'Optagelse på EUD'],
      [2, 'Optagelse på HTX'],
    ]);
  });

  it('UP-6: støttebehov is a type-1 change', async () => {
    expect((await opdater({ stoettebehov: [2, 5, 6] })).errors).toBeUndefined();
    const r = await publicer();
    expect(r.data!.publicerUddannelsesplan).toMatchObject({ nyVersion: true, type1Aendringer: ['stoettebehov'], version: { nr: 3 } });
  });

  it('UP-6: publishing again with nothing changed makes no version', async () => {
    const r = await publicer();
    expect(r.data!.publicerUddannelsesplan).toMatchObject({ nyVersion: false, version: { nr: 3 } });
  });
});

describe('authorization and access log', () => {
  it('another jobcenter can neither read nor change nor publish the plan', async () => {
    expect(errorCode(await hent(CPR, jc101))).toBe('FORBIDDEN');
    expect(errorCode(await opdater({ maal: 'Fremmed' }, jc101))).toBe('FORBIDDEN');
    expect(errorCode(await publicer(CPR, jc101))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(OPRET, { i: { cpr: CPR, plantype: 1 } }, jc101))).toBe('FORBIDDEN');
    expect((await hent()).data!.uddannelsesplan.maal).toBe('Optagelse på HTX');
  });

  it('a borger, an a-kasse and UDB have no access to the jobcenter’s plan', async () => {
    for (const t of [await ts.token('BORGER', CPR), await ts.token('AKASSE', '12'), await ts.token('UDB', 'udb')]) {
      expect(errorCode(await hent(CPR, t))).toBe('FORBIDDEN');
      expect(errorCode(await publicer(CPR, t))).toBe('FORBIDDEN');
    }
  });

  it('X-4: reading the plan and its versions is written to the access log', async () => {
    await ts.sql(`delete from access_log`);
    await hent();
    const rows = await ts.sql<{ what: string; org: string; role: string }>(`select what, org, role from access_log where cpr = ? order by what`, [CPR]);
    expect(rows.map((r) => r.what)).toEqual(expect.arrayContaining(['uddannelsesplan', 'uddannelsesplan.versioner']));
    expect(rows.every((r) => r.org === '157' && r.role === 'JOBCENTER')).toBe(true);
  });

  it('X-4: a mutation that answers with the plan, or that a rule refuses against it, is in the access log; one refused for access is not', async () => {
    const logged = async () => (await ts.sql(`select 1 from access_log where cpr = ? and what = 'uddannelsesplan'`, [CPR])).length;
    await ts.sql(`delete from access_log`);
    expect(errorCode(await opdater({ planbeskrivelse: 'Ikke dit' }, jc101))).toBe('FORBIDDEN');
    expect(await logged()).toBe(0);
    expect(errorCode(await opdater({ stoettebehov: [1, 2] }))).toBe('RULE_VIOLATION');
    expect(await logged()).toBe(1);
    expect((await opdater({ planbeskrivelse: 'Læst og rettet' })).errors).toBeUndefined();
    expect(await logged()).toBe(2);
  });

  it('a list of borgere with their plans, versions and letters costs the same number of statements for 2 or 8 borgere', async () => {
    for (let i = 0; i < 8; i++) {
      const cpr = `${10 + i}0180${1234 + i}`;
      await insertBorger(ts, { cpr, jobcenter: '751' });
    }
    const jc751 = await ts.token('JOBCENTER', '751');
    for (let i = 0; i < 8; i++) {
      const cpr = `${10 + i}0180${1234 + i}`;
      expect((await ts.gql(OPRET, { i: { cpr, plantype: 1, trin: 1, stoettebehov: [2] } }, jc751)).errors).toBeUndefined();
      expect((await publicer(cpr, jc751)).errors).toBeUndefined();
    }
    const q = `query($n: Int!) { borgere(first: $n) { items { cpr uddannelsesplan { trin versioner { nr } breve { id } publiceret { trin } } } } }`;
    const few = await ts.countQueries(() => ts.gql(q, { n: 2 }, jc751));
    const many = await ts.countQueries(() => ts.gql(q, { n: 8 }, jc751));
    const r = await ts.gql<{ borgere: { items: { uddannelsesplan: { versioner: unknown[]; breve: unknown[] } }[] } }>(q, { n: 8 }, jc751);
    expect(r.data!.borgere.items).toHaveLength(8);
    expect(r.data!.borgere.items.every((b) => b.uddannelsesplan.versioner.length === 1 && b.uddannelsesplan.breve.length === 1)).toBe(true);
    expect(many).toBe(few);
  });
});

describe('uddannelsesplan.plantypeSkiftet', () => {
  it('a saved plantype change publishes the event with fra and til, in the same transaction; other saves do not', async () => {
    const seen: PlantypeSkiftetEvent[] = [];
    const bus = new DomainEventBus();
    bus.on('uddannelsesplan.plantypeSkiftet', async (_tx, e) => {
      seen.push(e);
    });
    const ctx = () => createCtx({ orm: ts.orm, clock: ts.clock, log: pino({ level: 'silent' }), events: bus }, { sub: 'sb', role: Role.JOBCENTER, org: '157' }, 'test');
    const service = new UddannelsesplanService();
    await service.opdater(ctx(), CPR, { maal: 'Uden plantypeskift' });
    expect(seen).toEqual([]);
    await service.opdater(ctx(), CPR, { plantype: 3 });
    expect(seen).toEqual([{ cpr: CPR, jobcenter: '157', fra: 2, til: 3 }]);

    // A handler that fails rolls the plantype change back.
    bus.on('uddannelsesplan.plantypeSkiftet', async () => {
      throw new Error('handler failed');
    });
    await expect(service.opdater(ctx(), CPR, { plantype: 1 })).rejects.toThrow('handler failed');
    expect((await hent()).data!.uddannelsesplan.plantype).toBe(3);
  });
});
