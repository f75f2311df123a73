import { eq } from 'drizzle-orm';
import { instanceSecrets } from '../../db/schema';
import type { Db } from '../../db/client';
import { randomToken } from './crypto';

/**
 * Secrets every Forte instance on the same database must share (cookie signing). Created once, kept in
 * PostgreSQL so scale-out instances and restarts agree without copying files around.
 */
export async function loadOrCreateSecret(db: Db, name: string): Promise<string> {
  await db.insert(instanceSecrets).values({ name, value: randomToken(48) }).onConflictDoNothing();
  const [row] = await db.select().from(instanceSecrets).where(eq(instanceSecrets.name, name));
  return row.value;
}
