import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDate } from '../../src/scalars/local-date';
import { insertBorger, insertTilmelding } from '../helpers/fixtures';
import { errorCode, startTestServer, type TestServer } from '../helpers/server';

let ts: TestServer;
let jc101: string;

const ANNA = '0101804321';
const BO = '0202814322';
const SYG = '0303824323';
const KSD_ONLY = '0404834324';
const GENTAGET = '0606854325';

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
  jc101 = await ts.token('JOBCENTER', '101');
  await insertBorger(ts, { cpr: ANNA, jobcenter: '101', kontaktgruppe: [{ id: 1, start: '2026-01-01' }], medlemskab: [{ akasse: '12', start: '2020-01-01' }] });
  await insertBorger(ts, { cpr: BO, jobcenter: '101' });
  await insertBorger(ts, { cpr: SYG, jobcenter: '101', kontaktgruppe: [{ id: 1, start: '2026-01-01' }] });
  await insertTilmelding(ts, { cpr: SYG, start: '2026-02-01', stillingsbetegnelser: ['Kok', 'Tjener'] });
  await insertBorger(ts, { cpr: KSD_ONLY, jobcenter: '157' });
  await insertBorger(ts, { cpr: GENTAGET, jobcenter: '101', kontaktgruppe: [{ id: 1, start: '2025-01-01' }] });
  await insertTilmelding(ts, { cpr: GENTAGET, start: '2025-01-01', stillingsbetegnelser: ['Kok'] });
});
afterAll(async () => ts?.close());

const TILMELD = `mutation($input: TilmeldBorgerInput!) { tilmeldBorger(input: $input) { id cpr start slut stillingsbetegnelser tilmeldtAf } }`;
const AFMELD = `mutation($input: AfmeldBorgerInput!) { afmeldBorger(input: $input) { start slut afmeldingsaarsag } }`;
const PAA_DATO = `query($cpr: CPR!, $dato: LocalDate!) { tilmeldingPaaDato(cpr: $cpr, dato: $dato) { dato tilmeldt tilmelding { start slut } } }`;
const HISTORIK = `query($cpr: CPR!) { borger(cpr: $cpr) { tilmeldinger { start slut stillingsbetegnelser afmeldingsaarsag tilmeldtAf } } }`;
const count = async (cpr: string) => Number((await ts.sql<{ n: string }>(`select count(*) n from tilmelding where cpr = ?`, [cpr]))[0].n);

describe('tilmelding and afmelding', () => {
  it('TM-1: a stillingsbetegnelse/alias named twice → BAD_USER_INPUT naming the duplicate; nothing saved', async () => {
    const r = await ts.gql(TILMELD, { input: { cpr: ANNA, start: '2026-03-01', stillingsbetegnelser: ['Tømrer', 'Murer', 'tømrer '] } }, jc101);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toContain('"tømrer"');
    expect(r.errors![0].extensions).toMatchObject({ duplicate: 'tømrer', field: 'stillingsbetegnelser' });
    expect(await count(ANNA)).toBe(0);
  });

  it('TM-1: each named once → tilmeldt with them', async () => {
    const r = await ts.gql(TILMELD, { input: { cpr: ANNA, start: '2026-03-01', stillingsbetegnelser: ['Tømrer', 'Murer'] } }, jc101);
    expect(r.errors).toBeUndefined();
    expect(r.data!.tilmeldBorger).toMatchObject({ cpr: ANNA, start: '2026-03-01', slut: null, stillingsbetegnelser: ['Tømrer', 'Murer'], tilmeldtAf: '101' });
  });

  it('a borger already tilmeldt cannot be tilmeldt again', async () => {
    const r = await ts.gql(TILMELD, { input: { cpr: ANNA, start: '2026-11-01', stillingsbetegnelser: [] } }, jc101);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/allerede tilmeldt/);
  });

  it('afmelding ends the period; a new tilmelding keeps the old one as history', async () => {
    const a = await ts.gql(AFMELD, { input: { cpr: ANNA, slut: '2026-06-30' } }, jc101);
    expect(a.errors).toBeUndefined();
    expect(a.data!.afmeldBorger).toEqual({ start: '2026-03-01', slut: '2026-06-30', afmeldingsaarsag: 'AFMELDT' });
    const t = await ts.gql(TILMELD, { input: { cpr: ANNA, start: '2026-09-01', stillingsbetegnelser: ['Snedker'] } }, jc101);
    expect(t.errors).toBeUndefined();
    const h = await ts.gql<{ borger: { tilmeldinger: unknown[] } }>(HISTORIK, { cpr: ANNA }, jc101);
    expect(h.data!.borger.tilmeldinger).toEqual([
      { start: '2026-03-01', slut: '2026-06-30', stillingsbetegnelser: ['Tømrer', 'Murer'], afmeldingsaarsag: 'AFMELDT', tilmeldtAf: '101' },
      { start: '2026-09-01', slut: null, stillingsbetegnelser: ['Snedker'], afmeldingsaarsag: null, tilmeldtAf: '101' },
    ]);
  });

  it.each([
    ['2026-02-28', false],
    ['2026-03-01', true],
    ['2026-06-30', true],
    ['2026-07-01', false],
    ['2026-09-01', true],
    ['2026-11-27', true],
  ])('was the borger tilmeldt on %s? %s', async (dato, tilmeldt) => {
    const r = await ts.gql<{ tilmeldingPaaDato: { tilmeldt: boolean } }>(PAA_DATO, { cpr: ANNA, dato }, jc101);
    expect(r.errors).toBeUndefined();
    expect(r.data!.tilmeldingPaaDato.tilmeldt).toBe(tilmeldt);
  });

  it('the borger’s a-kasse may ask too; X-4: the read is access-logged', async () => {
    const ak = await ts.token('AKASSE', '12', 'ak-sagsbehandler');
    const r = await ts.gql(PAA_DATO, { cpr: ANNA, dato: '2026-04-01' }, ak);
    expect(r.errors).toBeUndefined();
    const rows = await ts.sql<{ what: string }>(`select what from access_log where cpr = ? and sub = 'ak-sagsbehandler'`, [ANNA]);
    expect(rows.map((x) => x.what).sort()).toEqual(['borger', 'tilmelding']);
  });

  it('authorization: wrong role → FORBIDDEN; another jobcenter → FORBIDDEN; another a-kasse → FORBIDDEN', async () => {
    const input = { cpr: BO, start: '2026-11-01', stillingsbetegnelser: ['Kok'] };
    expect(errorCode(await ts.gql(TILMELD, { input }, await ts.token('AKASSE', '12')))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(TILMELD, { input }, await ts.token('JOBCENTER', '157')))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(AFMELD, { input: { cpr: ANNA, slut: '2026-11-27' } }, await ts.token('JOBCENTER', '157')))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(PAA_DATO, { cpr: ANNA, dato: '2026-04-01' }, await ts.token('AKASSE', '34')))).toBe('FORBIDDEN');
    expect(await count(BO)).toBe(0);
  });
});

describe('KSD: sygemelding and raskmelding', () => {
  const SYGEMELD = `mutation($cpr: CPR!, $d: LocalDate!) { ksdSygemelding(input: { cpr: $cpr, foersteSygedag: $d }) { tilmelding { start slut afmeldingsaarsag } sygdom { fravaerstype start slut } } }`;
  const RASKMELD = `mutation($cpr: CPR!, $d: LocalDate!) { ksdRaskmelding(input: { cpr: $cpr, raskmeldtDato: $d }) { tilmelding { start slut stillingsbetegnelser tilmeldtAf } sygdom { fravaerstype start slut } } }`;

  it('a sygemelding afmelder the borger (årsag SYGEMELDT) and opens sygdom', async () => {
    const r = await ts.gql(SYGEMELD, { cpr: SYG, d: '2026-09-10' }, await ts.token('KSD', 'ksd'));
    expect(r.errors).toBeUndefined();
    expect(r.data!.ksdSygemelding).toEqual({
      tilmelding: { start: '2026-02-01', slut: '2026-09-09', afmeldingsaarsag: 'SYGEMELDT' },
      sygdom: { fravaerstype: 901, start: '2026-09-10', slut: null },
    });
    // the answer carries the borger's tilmelding, so KSD's read of it is logged.
    const logged = await ts.sql<{ what: string }>(`select what from access_log where cpr = ? and role = 'KSD'`, [SYG]);
    expect(logged.map((x) => x.what)).toEqual(['tilmelding']);
  });

  it('FR-2: a raskmelding with a historic date gentilmelder with today’s date', async () => {
    const r = await ts.gql(RASKMELD, { cpr: SYG, d: '2026-10-15' }, await ts.token('KSD', 'ksd'));
    expect(r.errors).toBeUndefined();
    expect(r.data!.ksdRaskmelding).toEqual({
      tilmelding: { start: '2026-11-27', slut: null, stillingsbetegnelser: ['Kok', 'Tjener'], tilmeldtAf: 'KSD' },
      sygdom: { fravaerstype: 901, start: '2026-09-10', slut: '2026-10-14' },
    });
    const rows = await ts.sql<{ start: string }>(`select to_char(start, 'YYYY-MM-DD') start from tilmelding where cpr = ? and slut is null`, [SYG]);
    expect(rows).toEqual([{ start: '2026-11-27' }]);
    const paa = await ts.gql<{ tilmeldingPaaDato: { tilmeldt: boolean } }>(PAA_DATO, { cpr: SYG, dato: '2026-10-20' }, jc101);
    expect(paa.data!.tilmeldingPaaDato.tilmeldt).toBe(false);
  });

  it('FR-2: a repeated raskmelding changes nothing', async () => {
    const r = await ts.gql<{ ksdRaskmelding: { tilmelding: unknown } }>(RASKMELD, { cpr: SYG, d: '2026-10-15' }, await ts.token('KSD', 'ksd'));
    expect(r.errors).toBeUndefined();
    expect(r.data!.ksdRaskmelding.tilmelding).toBeNull();
    expect(await count(SYG)).toBe(2);
  });

  it('FR-2: redelivered KSD messages change nothing, answer with nothing changed and queue no message', async () => {
    type Ksd = { tilmelding: unknown; sygdom: unknown };
    const ksd = await ts.token('KSD', 'ksd');
    const on = async (today: string, query: string, d: string) => {
      ts.clock.setToday(today as LocalDate);
      const r = await ts.gql<{ ksdSygemelding?: Ksd; ksdRaskmelding?: Ksd }>(query, { cpr: GENTAGET, d }, ksd);
      expect(r.errors).toBeUndefined();
      return r.data!.ksdSygemelding ?? r.data!.ksdRaskmelding!;
    };
    const tilmeldinger = () =>
      ts.sql(`select to_char(start, 'YYYY-MM-DD') start, to_char(slut, 'YYYY-MM-DD') slut, afmeldingsaarsag from tilmelding where cpr = ? order by start`, [GENTAGET]);
    const sygdom = () => ts.sql(`select to_char(start, 'YYYY-MM-DD') start, to_char(slut, 'YYYY-MM-DD') slut from fravaer where cpr = ? and fravaerstype = 901 order by start`, [GENTAGET]);
    const outbox = async () => Number((await ts.sql<{ n: string }>(`select count(*) n from outbox_message`))[0].n);
    const NOTHING = { tilmelding: null, sygdom: null };
    try {
      // S1 (sick from 03-01), R1 (well from 03-10): T1 ends, T2 is the gentilmelding.
      expect((await on('2025-03-03', SYGEMELD, '2025-03-01')).tilmelding).toEqual({ start: '2025-01-01', slut: '2025-02-28', afmeldingsaarsag: 'SYGEMELDT' });
      expect((await on('2025-03-10', RASKMELD, '2025-03-10')).tilmelding).toMatchObject({ start: '2025-03-10', slut: null, tilmeldtAf: 'KSD' });
      const afterR1 = { tilmeldinger: await tilmeldinger(), sygdom: await sygdom(), outbox: await outbox() };
      expect(afterR1.sygdom).toEqual([{ start: '2025-03-01', slut: '2025-03-09' }]);

      // S1 again: the gentilmeldt borger stays tilmeldt, no second sickness over the first.
      expect(await on('2025-03-11', SYGEMELD, '2025-03-01')).toEqual(NOTHING);
      expect({ tilmeldinger: await tilmeldinger(), sygdom: await sygdom(), outbox: await outbox() }).toEqual(afterR1);

      // S2 (sick from 03-20) ends T2; then R1 again: the borger is still sick, so nothing ends or starts.
      expect((await on('2025-03-20', SYGEMELD, '2025-03-20')).tilmelding).toEqual({ start: '2025-03-10', slut: '2025-03-19', afmeldingsaarsag: 'SYGEMELDT' });
      const afterS2 = { tilmeldinger: await tilmeldinger(), sygdom: await sygdom(), outbox: await outbox() };
      expect(await on('2025-03-21', RASKMELD, '2025-03-10')).toEqual(NOTHING);
      expect(await on('2025-03-21', SYGEMELD, '2025-03-20')).toEqual(NOTHING);
      expect({ tilmeldinger: await tilmeldinger(), sygdom: await sygdom(), outbox: await outbox() }).toEqual(afterS2);
      expect(afterS2.tilmeldinger).toEqual([
        { start: '2025-01-01', slut: '2025-02-28', afmeldingsaarsag: 'SYGEMELDT' },
        { start: '2025-03-10', slut: '2025-03-19', afmeldingsaarsag: 'SYGEMELDT' },
      ]);
      expect(afterS2.sygdom).toEqual([{ start: '2025-03-01', slut: '2025-03-09' }, { start: '2025-03-20', slut: null }]);

      // The feed still works: R2 ends the second sickness and gentilmelder; R2 again changes nothing.
      expect(await on('2025-03-25', RASKMELD, '2025-03-25')).toEqual({
        tilmelding: { start: '2025-03-25', slut: null, stillingsbetegnelser: ['Kok'], tilmeldtAf: 'KSD' },
        sygdom: { fravaerstype: 901, start: '2025-03-20', slut: '2025-03-24' },
      });
      const afterR2 = { tilmeldinger: await tilmeldinger(), sygdom: await sygdom(), outbox: await outbox() };
      expect(await on('2025-03-26', RASKMELD, '2025-03-25')).toEqual(NOTHING);
      expect({ tilmeldinger: await tilmeldinger(), sygdom: await sygdom(), outbox: await outbox() }).toEqual(afterR2);
    } finally {
      ts.clock.setToday('2026-11-27' as LocalDate);
    }
  });

  it('KSD works on any borger; a jobcenter may not send KSD messages; an unknown borger → NOT_FOUND', async () => {
    expect((await ts.gql(SYGEMELD, { cpr: KSD_ONLY, d: '2026-11-01' }, await ts.token('KSD', 'ksd'))).errors).toBeUndefined();
    expect(errorCode(await ts.gql(RASKMELD, { cpr: KSD_ONLY, d: '2026-11-20' }, jc101))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(RASKMELD, { cpr: '0505855555', d: '2026-11-20' }, await ts.token('KSD', 'ksd')))).toBe('NOT_FOUND');
  });
});

describe('jobparathed history', () => {
  const REG = `mutation($cpr: CPR!, $jp: Boolean!, $start: LocalDate!) { registrerJobparathed(input: { cpr: $cpr, jobparat: $jp, start: $start }) { jobparat jobparathedHistorik { jobparat start slut } } }`;

  it('a change keeps the earlier value as a period; the flag follows today', async () => {
    const r = await ts.gql(REG, { cpr: BO, jp: true, start: '2026-10-01' }, jc101);
    expect(r.errors).toBeUndefined();
    expect(r.data!.registrerJobparathed).toEqual({
      jobparat: true,
      jobparathedHistorik: [
        { jobparat: false, start: '1981-02-02', slut: '2026-09-30' },
        { jobparat: true, start: '2026-10-01', slut: null },
      ],
    });
    expect(errorCode(await ts.gql(REG, { cpr: BO, jp: false, start: '2026-10-01' }, jc101))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(REG, { cpr: BO, jp: false, start: '2026-11-01' }, await ts.token('JOBCENTER', '157')))).toBe('FORBIDDEN');
  });
});
