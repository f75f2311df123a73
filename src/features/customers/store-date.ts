import type { DbOrTx } from '../../db/client';
import type { Clock } from '../../domain/clock';
import { businessDateInZone, type BusinessDate } from '../../domain/business-date';
import { getStoreSettings } from '../settings/service';

/** Today as the store sees it (its time zone): minor flags and certificate expiry are judged on this day. */
export async function storeToday(db: DbOrTx, clock: Clock): Promise<BusinessDate> {
  const settings = await getStoreSettings(db);
  return businessDateInZone(clock.now(), settings?.timeZone ?? 'UTC');
}
