import { Migration } from '@mikro-orm/migrations';

/** Issue 5: uddannelsesplan with støttebehov and versions, letters (UP-7), mentor- and kursusindsats (MT). */
export class Migration20261127000700_uddannelsesplan extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table uddannelsesplan (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        jobcenter varchar(3) not null,
        plantype integer not null,
        trin integer null check (trin between 1 and 4),
        frist date null,
        planbeskrivelse text not null default '',
        maal text not null default '',
        ansvarlig_sagsbehandler text null,
        uddannelsessted text null,
        stoettebehov jsonb not null default '[]',
        jobmaal jsonb not null default '[]',
        krav_til_jobsoegning jsonb not null default '[]',
        oprettet timestamptz not null default now(),
        aendret timestamptz not null default now(),
        unique (cpr, jobcenter)
      );
      create index uddannelsesplan_jobcenter_idx on uddannelsesplan (jobcenter);

      create table plan_version (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        jobcenter varchar(3) not null,
        nr integer not null check (nr >= 1),
        aarsag text not null,
        uddannelsesplan jsonb null,
        mentorindsatser jsonb not null default '[]',
        oprettet timestamptz not null default now(),
        senest_publiceret timestamptz not null default now(),
        oprettet_af text not null,
        unique (cpr, jobcenter, nr)
      );
      create index plan_version_cpr_jobcenter_idx on plan_version (cpr, jobcenter);

      create table brev (
        id bigserial primary key,
        uddannelsesplan_id bigint not null references uddannelsesplan (id) on delete cascade,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        jobcenter varchar(3) not null,
        plan_version_nr integer not null,
        dato date not null,
        indhold jsonb not null,
        indhold_hash text not null,
        pdf bytea not null,
        oprettet timestamptz not null default now()
      );
      create index brev_cpr_idx on brev (cpr);
      create index brev_uddannelsesplan_id_idx on brev (uddannelsesplan_id);

      create table mentorindsats (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        jobcenter varchar(3) not null,
        mentortype integer not null,
        start date not null,
        slut date null check (slut is null or slut >= start),
        navn text not null,
        telefon text not null,
        email text not null,
        oprettet timestamptz not null default now()
      );
      create index mentorindsats_cpr_jobcenter_idx on mentorindsats (cpr, jobcenter);

      create table kursusindsats (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        jobcenter varchar(3) not null,
        afholdelseskategori integer not null,
        start date not null,
        slut date null check (slut is null or slut >= start),
        resultat text null,
        oprettet timestamptz not null default now()
      );
      create index kursusindsats_cpr_jobcenter_idx on kursusindsats (cpr, jobcenter);
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table kursusindsats, mentorindsats, brev, plan_version, uddannelsesplan;');
  }
}
