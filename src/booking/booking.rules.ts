import { BadInputError, RuleViolation } from '../errors/domain-errors';
import type { LocalDate } from '../scalars/local-date';
import { bookingSletningsdato, erForfalden } from '../sletning/sletning.rules';
import { BookingArt } from './booking.entity';

export interface BookingInput {
  cpr: string;
  art: BookingArt;
  moededato: LocalDate;
  selvbookingsfrist?: LocalDate | null;
}

/**
 * Input checks of a booking/indkaldelse: a frist for selvbooking belongs to a selvbooking and lies on or
 * before the mødedato. DL-1: a mødedato whose 6 years have already run out is refused, since the data
 * would have to be deleted at once.
 */
export function validateBooking(i: BookingInput, today: LocalDate): void {
  if (i.selvbookingsfrist != null) {
    if (i.art !== BookingArt.SELVBOOKING) throw new BadInputError('Frist for selvbooking kan kun angives for en selvbooking', { field: 'selvbookingsfrist' });
    if (i.selvbookingsfrist > i.moededato) throw new BadInputError('Fristen for selvbooking skal ligge senest på mødedatoen', { field: 'selvbookingsfrist' });
  }
  const sletning = bookingSletningsdato(i.moededato);
  if (erForfalden(sletning, today)) {
    throw new RuleViolation('DL-1', `Mødedatoen ${i.moededato} ligger mere end 6 år tilbage; oplysningerne skulle være slettet ${sletning}`, { field: 'moededato' });
  }
}
