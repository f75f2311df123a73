import type { AppDeps } from '../../server/deps';
import { businessDateInZone } from '../../domain/business-date';
import { getStoreSettings } from '../settings/service';

/** The store's business date now, e.g. a received unit's acquired date. */
export async function storeToday(deps: AppDeps): Promise<string> {
  const settings = await getStoreSettings(deps.db);
  return businessDateInZone(deps.clock.now(), settings?.timeZone ?? 'UTC');
}
