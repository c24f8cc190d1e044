import { readFileSync } from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { LocalDate } from '../../scalars/local-date';
import { danskDato, PUNKT_TEKST, type BrevIndhold } from './brev.rules';

const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT = 'Brev';
const FONT_BOLD = 'Brev-Bold';
// Read once: a letter is rendered inside the publishing transaction, which holds the borger's lock.
const FONT_FILE = readFileSync(path.join(FONT_DIR, 'DejaVuSansCondensed.ttf'));
const FONT_BOLD_FILE = readFileSync(path.join(FONT_DIR, 'DejaVuSansCondensed-Bold.ttf'));

export const BREV_TITEL = 'Du er på vej mod uddannelse – vi vil gerne hjælpe dig godt i gang';

/** Sender block of Bilag 1 (the letter is made by STAR on behalf of the jobcenter). */
const AFSENDER = ['Styrelsen for Arbejdsmarked', 'og Rekruttering', '', 'Vermundsgade 38', '2100 København Ø', '', 'T +45 72 21 74 00', 'E star@star.dk', 'www.star.dk', '', 'CVR 55568510'];

/** The right-hand column under the sender: date, jobcenter and, when one exists, the type-32 contact. */
export function brevSidekolonne(i: BrevIndhold, dato: LocalDate): string[] {
  const lines = [danskDato(dato), '', i.jobcenterNavn];
  if (i.kontakt) {
    lines.push('', 'Sagsbehandler i jobcentret:', i.kontakt.navn);
    if (i.kontakt.telefon) lines.push(`Telefon: ${i.kontakt.telefon}`);
    if (i.kontakt.mobil) lines.push(`Mobil: ${i.kontakt.mobil}`);
    if (i.kontakt.email) lines.push(`E-mail: ${i.kontakt.email}`);
  }
  return lines;
}

/**
 * Bilag 1 as a one-page A4 PDF, in an embedded Unicode font (DejaVu Sans Condensed, subset by pdfkit): the PDF
 * standard fonts print only WinAnsi, so a name such as Łukasz or Nguyễn came out garbled. The document's dates are
 * the letter's date, so the same letter renders to the same bytes.
 */
export function renderBrevPdf(i: BrevIndhold, dato: LocalDate): Promise<Buffer> {
  const stamp = new Date(`${dato}T12:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 60, bottom: 50, left: 60, right: 60 },
    info: { Title: BREV_TITEL, Author: 'Styrelsen for Arbejdsmarked og Rekruttering', Creator: 'DFDG', CreationDate: stamp, ModDate: stamp },
    compress: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = 60;
  const mainWidth = 320;
  const sideX = 415;
  const sideWidth = 130;

  // Right column: sender, date, jobcenter, contact.
  doc.registerFont(FONT, FONT_FILE);
  doc.registerFont(FONT_BOLD, FONT_BOLD_FILE);
  doc.font(FONT).fontSize(8.5).fillColor('#333333');
  let y = 60;
  for (const line of [...AFSENDER, '', ...brevSidekolonne(i, dato)]) {
    doc.text(line || ' ', sideX, y, { width: sideWidth });
    y = doc.y;
  }

  // Main column.
  doc.fillColor('black');
  doc.font(FONT_BOLD).fontSize(15).text(BREV_TITEL, left, 60, { width: mainWidth });
  doc.moveDown(1);
  const body = (t: string) => doc.font(FONT).fontSize(10).text(t, left, doc.y, { width: mainWidth, lineGap: 2 }).moveDown(0.7);
  const heading = (t: string) => doc.font(FONT_BOLD).fontSize(11).text(t, left, doc.y, { width: mainWidth }).moveDown(0.4);

  body(`Kære ${i.fornavn} ${i.efternavn}`);
  body('Som en del af dit forløb i jobcenteret, er det meningen, at du skal hjælpes godt i gang med en uddannelse.');
  body(
    'Når du er optaget på din uddannelse, vil vi på vegne af dit jobcenter sende en besked til uddannelsesinstitutionen, hvor dit jobcenter har taget stilling til, om du kan få brug for støtte i uddannelsen. På den måde kan de tage højde for det på uddannelsen, når du starter.',
  );
  heading('Hvilke oplysninger vil blive sendt til din nye uddannelsesinstitution, når du bliver optaget:');
  for (const p of i.punkter) {
    const top = doc.y;
    doc.font(FONT).fontSize(10).text('•', left + 4, top, { width: 10 });
    doc.text(PUNKT_TEKST[p], left + 18, top, { width: mainWidth - 18, lineGap: 2 });
    doc.moveDown(0.4);
  }
  doc.moveDown(0.3);
  body('Når din uddannelsesinstitution får disse oplysninger, får de nemmere ved at sætte støtte eller anden hjælp i gang, hvis du har brug for det.');
  heading('Mulighed for at få en mentor');
  body(
    'Du skal vide, at du har mulighed for at få en mentor fra jobcentret, der kan hjælpe dig på uddannelsen. Hvis du ønsker dette, er du meget velkommen til at tage kontakt til jobcentret, fx din sagsbehandler.',
  );
  heading('Spørgsmål');
  body('Hvis du har spørgsmål til de registrerede støttebehov m.v., kan du kontakte dit jobcenter.');
  doc.moveDown(0.5);
  body('Venlig hilsen');
  body('Styrelsen for Arbejdsmarked og Rekruttering');

  doc.end();
  return done;
}
