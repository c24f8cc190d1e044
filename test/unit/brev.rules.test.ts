import { PDFParse } from 'pdf-parse';
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../../src/scalars/local-date';
import { STOETTEBEHOV_IDS } from '../../src/uddannelsesplan/stoettebehov.rules';
import { BREV_TITEL, brevSidekolonne, renderBrevPdf } from '../../src/uddannelsesplan/brev/brev.pdf';
import {
  brevIndholdHash,
  brevPunkter,
  brevSkalDannes,
  BrevPunkt,
  danskDato,
  decideBrev,
  jobcenterNavn,
  PUNKT_TEKST,
  type BrevFakta,
  type BrevIndhold,
} from '../../src/uddannelsesplan/brev/brev.rules';

const SUBSETS: number[][] = Array.from({ length: 64 }, (_, mask) => STOETTEBEHOV_IDS.filter((_, i) => mask & (1 << i)));
const FAKTA: BrevFakta = {
  fornavn: 'Søren',
  efternavn: 'Ærø',
  jobcenterNavn: 'Jobcenter Gentofte',
  kontakt: { navn: 'Karl Kontaktsen', telefon: '91617181', mobil: '51617181', email: 'kk123@gentofte.dk' },
  sidsteBrevHash: null,
};

async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

describe('UP-7: when a letter is made', () => {
  /** The catalogue, read independently. */
  const oracle = (trin: number | null, s: number[]) => s.includes(2) || s.includes(3) || s.includes(5) || ((trin === 3 || trin === 4) && s.includes(1));

  for (const trin of [null, 1, 2, 3, 4]) {
    it(`UP-7: conditions at trin ${trin ?? 'none'} over all 64 subsets of støttebehov`, () => {
      for (const s of SUBSETS) expect(brevSkalDannes({ trin, stoettebehov: s }), `{${s}}`).toBe(oracle(trin, s));
    });
  }

  it('UP-7: 2, 3 or 5 make a letter at any trin; 1 only at trin 3 or 4; 4 and 6 never on their own', () => {
    expect(brevSkalDannes({ trin: 1, stoettebehov: [2] })).toBe(true);
    expect(brevSkalDannes({ trin: null, stoettebehov: [5] })).toBe(true);
    expect(brevSkalDannes({ trin: 2, stoettebehov: [1] })).toBe(false);
    expect(brevSkalDannes({ trin: 3, stoettebehov: [1] })).toBe(true);
    expect(brevSkalDannes({ trin: 4, stoettebehov: [1] })).toBe(true);
    expect(brevSkalDannes({ trin: 3, stoettebehov: [6] })).toBe(false);
  });
});

describe('UP-7: the bullets of Bilag 1', () => {
  it('UP-7: trin 4 → the pålæg line', () => {
    expect(brevPunkter({ trin: 4, stoettebehov: [1] })).toContain(BrevPunkt.PAALAEG);
    expect(brevPunkter({ trin: 3, stoettebehov: [1] })).not.toContain(BrevPunkt.PAALAEG);
    expect(PUNKT_TEKST[BrevPunkt.PAALAEG]).toBe('At jobcentret har pålagt dig at starte på den konkrete uddannelse.');
  });

  it('UP-7: 1 → the no-need line', () => {
    expect(brevPunkter({ trin: 3, stoettebehov: [1] })).toEqual([BrevPunkt.INGEN_STOETTEBEHOV]);
  });

  it('UP-7: 3 → the social, personal and health line', () => {
    expect(brevPunkter({ trin: 1, stoettebehov: [3] })).toEqual([BrevPunkt.SOCIALE_STOETTEBEHOV]);
  });

  it('UP-7: 2 → the faglige line', () => {
    expect(brevPunkter({ trin: 1, stoettebehov: [2] })).toEqual([BrevPunkt.FAGLIGE_STOETTEBEHOV]);
  });

  it('UP-7: 5 → the støtteperson line', () => {
    expect(brevPunkter({ trin: null, stoettebehov: [5] })).toEqual([BrevPunkt.STOETTEPERSON]);
  });

  it('UP-7: 4 and 6 add no bullet; the order is that of the template', () => {
    expect(brevPunkter({ trin: 4, stoettebehov: [2, 3, 4, 5, 6] })).toEqual([
      BrevPunkt.PAALAEG,
      BrevPunkt.SOCIALE_STOETTEBEHOV,
      BrevPunkt.FAGLIGE_STOETTEBEHOV,
      BrevPunkt.STOETTEPERSON,
    ]);
  });
});

describe('UP-7: no duplicate letter (interpretation: same content as the last letter for the plan)', () => {
  it('UP-7: the same content as the last letter makes no letter', () => {
    const first = decideBrev({ trin: 2, stoettebehov: [2] }, FAKTA);
    expect(first.kind).toBe('DAN');
    const hash = first.kind === 'DAN' ? first.hash : '';
    expect(decideBrev({ trin: 2, stoettebehov: [2] }, { ...FAKTA, sidsteBrevHash: hash })).toEqual({ kind: 'INGEN', grund: 'SAMME_INDHOLD' });
    // A type-1 change that does not touch the letter (trin 2 → 3 with støttebehov 2) makes none either.
    expect(decideBrev({ trin: 3, stoettebehov: [2, 6] }, { ...FAKTA, sidsteBrevHash: hash }).kind).toBe('INGEN');
  });

  it('UP-7: changed bullets, name or contact make a new letter; the date is not content', () => {
    const base: BrevIndhold = { fornavn: 'A', efternavn: 'B', punkter: [BrevPunkt.FAGLIGE_STOETTEBEHOV], jobcenterNavn: 'Jobcenter X', kontakt: null };
    const h = brevIndholdHash(base);
    expect(brevIndholdHash({ ...base })).toBe(h);
    expect(brevIndholdHash({ ...base, punkter: [BrevPunkt.PAALAEG, BrevPunkt.FAGLIGE_STOETTEBEHOV] })).not.toBe(h);
    expect(brevIndholdHash({ ...base, kontakt: { navn: 'K', telefon: null, mobil: null, email: null } })).not.toBe(h);
    expect(decideBrev({ trin: 4, stoettebehov: [2] }, { ...FAKTA, sidsteBrevHash: brevIndholdHash({ ...base }) }).kind).toBe('DAN');
  });

  it('UP-7: no letter when the conditions do not hold, whatever was sent before', () => {
    expect(decideBrev({ trin: 2, stoettebehov: [1, 6] }, FAKTA)).toEqual({ kind: 'INGEN', grund: 'BETINGELSER_IKKE_OPFYLDT' });
  });
});

describe('UP-7: the letter as a PDF (Bilag 1)', () => {
  it('names the jobcenter from code table KOMMUNE, or by code when the table lacks it', () => {
    expect(jobcenterNavn('157', 'Gentofte')).toBe('Jobcenter Gentofte');
    expect(jobcenterNavn('999', null)).toBe('Jobcenter 999');
  });

  it('dates itself in Danish', () => {
    expect(danskDato('2021-11-22' as LocalDate)).toBe('22. november 2021');
    expect(danskDato('2026-01-05' as LocalDate)).toBe('5. januar 2026');
  });

  it('UP-7: prints the title, greeting, bullets, jobcenter, type-32 contact and date, with æ, ø, å', async () => {
    const d = decideBrev({ trin: 4, stoettebehov: [2, 5] }, FAKTA);
    if (d.kind !== 'DAN') throw new Error('expected a letter');
    const pdf = await renderBrevPdf(d.indhold, '2026-11-27' as LocalDate);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain(BREV_TITEL);
    expect(text).toContain('Kære Søren Ærø');
    expect(text).toContain(PUNKT_TEKST[BrevPunkt.PAALAEG]);
    expect(text).toContain(PUNKT_TEKST[BrevPunkt.FAGLIGE_STOETTEBEHOV]);
    expect(text).toContain(PUNKT_TEKST[BrevPunkt.STOETTEPERSON]);
    expect(text).not.toContain(PUNKT_TEKST[BrevPunkt.INGEN_STOETTEBEHOV]);
    expect(text).not.toContain(PUNKT_TEKST[BrevPunkt.SOCIALE_STOETTEBEHOV]);
    for (const s of ['Jobcenter Gentofte', 'Sagsbehandler i jobcentret:', 'Karl Kontaktsen', 'Telefon: 91617181', 'Mobil: 51617181', 'E-mail: kk123@gentofte.dk', '27. november 2026', 'Mulighed for at få en mentor', 'Styrelsen for Arbejdsmarked og Rekruttering']) {
      expect(text).toContain(s);
    }
  });

  it('UP-7: every bullet of Bilag 1 prints, in the template order', async () => {
    const all: BrevIndhold = { ...FAKTA, punkter: brevPunkter({ trin: 4, stoettebehov: [2, 3, 5] }), kontakt: null };
    const text = await pdfText(await renderBrevPdf(all, '2026-11-27' as LocalDate));
    const at = (p: BrevPunkt) => text.indexOf(PUNKT_TEKST[p]);
    expect([BrevPunkt.PAALAEG, BrevPunkt.SOCIALE_STOETTEBEHOV, BrevPunkt.FAGLIGE_STOETTEBEHOV, BrevPunkt.STOETTEPERSON].map(at).every((i, n, a) => i >= 0 && (n === 0 || i > a[n - 1]))).toBe(true);
    const none: BrevIndhold = { ...all, punkter: brevPunkter({ trin: 4, stoettebehov: [1] }) };
    const text1 = await pdfText(await renderBrevPdf(none, '2026-11-27' as LocalDate));
    expect(text1).toContain(PUNKT_TEKST[BrevPunkt.PAALAEG]);
    expect(text1).toContain(PUNKT_TEKST[BrevPunkt.INGEN_STOETTEBEHOV]);
  });

  it('UP-7: without a type-32 contact the letter has no contact block; the same letter renders to the same bytes', async () => {
    const indhold: BrevIndhold = { fornavn: 'Ib', efternavn: 'Ås', punkter: [BrevPunkt.INGEN_STOETTEBEHOV], jobcenterNavn: 'Jobcenter 999', kontakt: null };
    expect(brevSidekolonne(indhold, '2026-11-27' as LocalDate)).toEqual(['27. november 2026', '', 'Jobcenter 999']);
    const a = await renderBrevPdf(indhold, '2026-11-27' as LocalDate);
    const b = await renderBrevPdf(indhold, '2026-11-27' as LocalDate);
    expect(a.equals(b)).toBe(true);
    const text = await pdfText(a);
    expect(text).not.toContain('Sagsbehandler i jobcentret');
    expect(text).toContain(PUNKT_TEKST[BrevPunkt.INGEN_STOETTEBEHOV]);
  });
});
