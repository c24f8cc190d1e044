import { Migration } from '@mikro-orm/migrations';

type Code = [id: number, navn: string, beskrivelse?: string, udgaaet?: boolean];

// Code tables as the release note of 6 December 2021 names them. Where the note gives no id,
// the description says the id is ours.
const codes: Record<string, Code[]> = {
  KONTAKTPERSONTYPE: [
    [2, 'Udslusningskoordinator', 'Registreres i mentorindsats'],
    [3, 'Personlig jobformidler', 'Registreres i mentorindsats'],
    [8, 'Pårørende'],
    [9, 'Bisidder'],
    [10, 'Partsrepræsentant'],
    [15, 'Mentor', 'Registreres i mentorindsats'],
    [25, 'Kontaktperson i a-kassen'],
    [26, 'Kontaktperson på asylcentret'],
    [31, 'Kontaktperson på uddannelsesstedet (uddannelsespålæg)', 'Kontaktperson eller kontaktpunkt på uddannelsesstedet til jobcentret (for unge med uddannelsespålæg)'],
    [32, 'Kontaktperson i jobcenteret (uddannelsespålæg)', 'Kontaktperson eller kontaktpunkt i jobcenteret til uddannelsesinstitutionen (for unge med uddannelsespålæg)'],
  ],
  STOETTEBEHOV: [
    [1, 'Der vurderes ingen støttebehov', 'Jobcenteret vurderer, at der ikke umiddelbart er et støttebehov i forhold til at klare sig igennem uddannelsen'],
    [2, 'Der vurderes faglige støttebehov - fx læse, skrive, regne', 'Jobcenteret vurderer, at der er brug for faglig støtte under uddannelsen'],
    [3, 'Der vurderes sociale, personlige eller helbredsmæssige støttebehov', 'Jobcenteret vurderer, at der er brug for støtte til sociale, personlige eller helbredsmæssige udfordringer under uddannelsen'],
    [4, 'Støttebehov (-ene) er dokumenteret', 'Jobcenteret har dokumentation for ét eller flere støttebehov'],
    [5, 'Borgeren har øvrige støttepersoner tilknyttet', 'Der er tilknyttet en mentor og/eller en anden støtteperson i overgangen til uddannelse'],
    [6, 'Jobcenteret vil gerne kontaktes af uddannelsesinstitutionen', 'Jobcenteret vil gerne kontaktes af uddannelsesinstitutionen mhp. konkret dialog om vedkommendes start på uddannelsen'],
  ],
  MENTORTYPE: [
    [1, 'Mentor, individuel'],
    [2, 'Mentor, plads'],
    [3, 'Udskrivningskoordinator, individuel'],
    [4, 'Udskrivningskoordinator, plads'],
    [5, 'Udslusningskoordinator', 'Udslusningskoordinator i forbindelse med udslusning fra Kriminalforsorgen'],
    [6, 'Personlig jobformidler'],
  ],
  KONTAKTGRUPPE: [
    [1, 'Dagpengemodtager'],
    [2, 'Kontanthjælpsmodtager'],
    [8, 'Uden ydelse'],
    [11, 'Ressourceforløb'],
    [12, 'Modtager af uddannelseshjælp'],
    [14, 'Førtidspensionister'],
    [25, 'Sygedagpengemodtager fra ledighed'],
    [26, 'Overgangsydelsesmodtager efter LAB'],
    [28, 'Uddannelsespålæg – Overgangsydelsesmodtager efter LAB'],
  ],
  FRAVAERSTYPE: [
    [25, 'Seniorjob'],
    [71, 'Arbejdsfordeling op til 6 uger'],
    [74, 'Uddannelse under pulje til uddannelsesløft'],
    [78, 'Arbejdsfordeling – ny midlertidig ordning. Covid-19'],
  ],
  CV_STATUS: [
    [0, 'CV påbegyndt', 'Id ikke angivet i releasenoten; valgt her'],
    [1, 'Klar til godkendelse'],
    [2, 'CV godkendt'],
    [3, 'CV ej godkendt'],
    [5, "CV'et er ikke længere fyldestgørende"],
  ],
  ABONNEMENT_LUKKEAARSAG: [
    [1, 'Fejloprettet', 'Id ikke angivet i releasenoten; valgt her'],
    [4, 'Kontaktgruppe lukket', 'Bruges ikke længere ved jobcentrets lukning af kontaktgruppe (AB-7)'],
    [5, 'Alder'],
    [7, 'Kontaktgruppeskift'],
    [8, 'Plantypeskift'],
    [9, 'Uddannelse gennemført', 'Id ikke angivet i releasenoten; valgt her (AB-5)'],
  ],
  PLANTYPE: [
    [1, 'Uddannelsesplan', 'Id ikke angivet i releasenoten; valgt her'],
    [2, 'Kombiplan', 'Id ikke angivet i releasenoten; valgt her'],
    [3, 'Aftale om opfølgning', 'Id ikke angivet i releasenoten; valgt her'],
    [4, 'Plan uden plantype', 'Id ikke angivet i releasenoten; valgt her'],
  ],
  AFHOLDELSESKATEGORI: [
    [37, 'Læse-, skrive- og regnetest'],
    [42, 'Udskrivningskoordinator, individuel', 'Udgået: oprettes i indsats af typen Mentor (id 7)', true],
    [43, 'Udskrivningskoordinator, plads', 'Udgået: oprettes i indsats af typen Mentor (id 7)', true],
  ],
  KOMMUNE: [
    [101, 'København'],
    [147, 'Frederiksberg'],
    [157, 'Gentofte'],
    [461, 'Odense'],
    [751, 'Aarhus'],
    [851, 'Aalborg'],
  ],
};

export class Migration20261127000100_foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table kode (
        liste text not null,
        id integer not null,
        navn text not null,
        beskrivelse text null,
        udgaaet boolean not null default false,
        primary key (liste, id)
      );

      create table borger (
        cpr varchar(10) primary key check (cpr ~ '^[0-9]{10}$'),
        foedselsdato date not null,
        fornavn text not null,
        efternavn text not null,
        bopaelskommune varchar(3) not null,
        jobcenter varchar(3) not null,
        jobparat boolean not null default false,
        created_at timestamptz not null default now()
      );
      create index borger_jobcenter_idx on borger (jobcenter);

      create table kontaktgruppe_periode (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        kontaktgruppe integer not null,
        start date not null,
        slut date null check (slut is null or slut >= start)
      );
      create index kontaktgruppe_periode_cpr_start_idx on kontaktgruppe_periode (cpr, start);

      create table akasse_medlemskab (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        akasse text not null,
        start date not null,
        slut date null check (slut is null or slut >= start)
      );
      create index akasse_medlemskab_cpr_start_idx on akasse_medlemskab (cpr, start);
      create index akasse_medlemskab_akasse_cpr_idx on akasse_medlemskab (akasse, cpr);

      create table access_log (
        id bigserial primary key,
        at timestamptz not null,
        sub text not null,
        role text not null,
        org text not null,
        cpr varchar(10) not null,
        what text not null,
        request_id text not null
      );
      create index access_log_cpr_at_idx on access_log (cpr, at);
    `);
    const rows = Object.entries(codes).flatMap(([liste, list]) =>
      list.map(([id, navn, beskrivelse, udgaaet]) => `(${lit(liste)}, ${id}, ${lit(navn)}, ${beskrivelse ? lit(beskrivelse) : 'null'}, ${udgaaet ? 'true' : 'false'})`),
    );
    this.addSql(`insert into kode (liste, id, navn, beskrivelse, udgaaet) values ${rows.join(',\n')};`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table access_log, akasse_medlemskab, kontaktgruppe_periode, borger, kode;');
  }
}

function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
