import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000100_foundation } from './Migration20261127000100_foundation';
import { Migration20261127000200_outbox } from './Migration20261127000200_outbox';
import { Migration20261127000300_tidlig_pension } from './Migration20261127000300_tidlig_pension';
import { Migration20261127000400_tilmelding_fravaer_cv_akasse } from './Migration20261127000400_tilmelding_fravaer_cv_akasse';
import { Migration20261127000500_abonnement } from './Migration20261127000500_abonnement';
import { Migration20261127000600_kontaktperson_persongruppe } from './Migration20261127000600_kontaktperson_persongruppe';
import { Migration20261127000700_uddannelsesplan } from './Migration20261127000700_uddannelsesplan';
import { Migration20261127000800_tidlig_pension_sletning } from './Migration20261127000800_tidlig_pension_sletning';
import { Migration20261127000900_kontakt_mobil } from './Migration20261127000900_kontakt_mobil';
import { Migration20261127001000_outbox_write_function } from './Migration20261127001000_outbox_write_function';
import { Migration20261127001100_outbox_notify_hints } from './Migration20261127001100_outbox_notify_hints';
import { Migration20261127001200_abonnement_planlagt_lukning } from './Migration20261127001200_abonnement_planlagt_lukning';
import { Migration20261127001300_kommuner } from './Migration20261127001300_kommuner';
import { Migration20261127001400_udb_kontakt_stand } from './Migration20261127001400_udb_kontakt_stand';
import { Migration20261127001500_borger_cpr_registreret } from './Migration20261127001500_borger_cpr_registreret';
import { Migration20261127001600_outbox_udleveret } from './Migration20261127001600_outbox_udleveret';
import { Migration20261127001700_kommunesammenlaegning } from './Migration20261127001700_kommunesammenlaegning';
import { Migration20261128000100_udb_haendelse_abonnement_lukket } from './Migration20261128000100_udb_haendelse_abonnement_lukket';

/** Every migration in order. Listed in code so the same list runs from TypeScript and from a build. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261127000100_foundation', class: Migration20261127000100_foundation },
  { name: 'Migration20261127000200_outbox', class: Migration20261127000200_outbox },
  { name: 'Migration20261127000300_tidlig_pension', class: Migration20261127000300_tidlig_pension },
  { name: 'Migration20261127000400_tilmelding_fravaer_cv_akasse', class: Migration20261127000400_tilmelding_fravaer_cv_akasse },
  { name: 'Migration20261127000500_abonnement', class: Migration20261127000500_abonnement },
  { name: 'Migration20261127000600_kontaktperson_persongruppe', class: Migration20261127000600_kontaktperson_persongruppe },
  { name: 'Migration20261127000700_uddannelsesplan', class: Migration20261127000700_uddannelsesplan },
  { name: 'Migration20261127000800_tidlig_pension_sletning', class: Migration20261127000800_tidlig_pension_sletning },
  { name: 'Migration20261127000900_kontakt_mobil', class: Migration20261127000900_kontakt_mobil },
  { name: 'Migration20261127001000_outbox_write_function', class: Migration20261127001000_outbox_write_function },
  { name: 'Migration20261127001100_outbox_notify_hints', class: Migration20261127001100_outbox_notify_hints },
  { name: 'Migration20261127001200_abonnement_planlagt_lukning', class: Migration20261127001200_abonnement_planlagt_lukning },
  { name: 'Migration20261127001300_kommuner', class: Migration20261127001300_kommuner },
  { name: 'Migration20261127001400_udb_kontakt_stand', class: Migration20261127001400_udb_kontakt_stand },
  { name: 'Migration20261127001500_borger_cpr_registreret', class: Migration20261127001500_borger_cpr_registreret },
  { name: 'Migration20261127001600_outbox_udleveret', class: Migration20261127001600_outbox_udleveret },
  { name: 'Migration20261127001700_kommunesammenlaegning', class: Migration20261127001700_kommunesammenlaegning },
  { name: 'Migration20261128000100_udb_haendelse_abonnement_lukket', class: Migration20261128000100_udb_haendelse_abonnement_lukket },
];
