import { and, desc, eq, isNull } from 'drizzle-orm';
import { apiTokens, staffUsers } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { randomToken, sha256Hex } from '../auth/crypto';
import { loadUserWithPermissions } from '../auth/service';
import { recordAudit, type Actor } from '../audit/service';
import { NotFoundError, ValidationError } from '../service-errors';
import { isPermission, type Permission } from '../auth/permissions';
import { isUuid } from '../../db/sql-helpers';

export interface CreatedToken {
  id: string;
  token: string;
}

/**
 * Creates an API token acting for `ownerUserId`. Without a permission list it carries all of the owner's
 * permissions; a list may only narrow them. The plain token is returned once and never stored.
 */
export async function createApiToken(tx: Tx, actor: Actor, input: { name: string; ownerUserId: string; permissions?: string[] }): Promise<CreatedToken> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new ValidationError({ name: 'Give the token a name of 1 to 100 characters.' });
  const owner = await loadUserWithPermissions(tx, input.ownerUserId);
  if (!owner) throw new NotFoundError('Token owner');
  let permissions: Permission[];
  if (input.permissions && input.permissions.length) {
    const unknown = input.permissions.filter((p) => !isPermission(p));
    if (unknown.length) throw new ValidationError({ permissions: `Unknown permission(s): ${unknown.join(', ')}` });
    const beyond = input.permissions.filter((p) => !owner.permissions.has(p as Permission));
    if (beyond.length) throw new ValidationError({ permissions: `The owner doesn't have: ${beyond.join(', ')}` });
    permissions = [...new Set(input.permissions as Permission[])];
  } else permissions = [...owner.permissions];
  const token = `forte_${randomToken(32)}`;
  const [row] = await tx
    .insert(apiTokens)
    .values({ name, tokenHash: sha256Hex(token), tokenPrefix: token.slice(0, 12), ownerUserId: owner.id, permissions })
    .returning({ id: apiTokens.id });
  await recordAudit(tx, actor, { action: 'api_token.create', entityType: 'api_token', entityId: row.id, summary: `API token "${name}" created for ${owner.username}`, after: { name, permissions } });
  return { id: row.id, token };
}

export async function revokeApiToken(tx: Tx, actor: Actor, id: string): Promise<void> {
  if (!isUuid(id)) throw new NotFoundError('API token');
  const [row] = await tx.update(apiTokens).set({ revokedAt: new Date() }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).returning();
  if (!row) throw new NotFoundError('API token');
  await recordAudit(tx, actor, { action: 'api_token.revoke', entityType: 'api_token', entityId: id, summary: `API token "${row.name}" revoked` });
}

export async function listApiTokens(db: DbOrTx) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      tokenPrefix: apiTokens.tokenPrefix,
      permissions: apiTokens.permissions,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      ownerUsername: staffUsers.username,
    })
    .from(apiTokens)
    .innerJoin(staffUsers, eq(staffUsers.id, apiTokens.ownerUserId))
    .orderBy(desc(apiTokens.createdAt));
}
