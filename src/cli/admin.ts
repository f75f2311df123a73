import { eq, sql } from 'drizzle-orm';
import { requiredOption, stringOption, UsageError, type ParsedArgs } from './args';
import { withRuntime } from './context';
import { completeSetupWithDefaults } from '../features/settings/service';
import { createStaff, findStaffByUsername, listStaff, resetPassword, roleIdsByKey } from '../features/staff/service';
import { createStaffSchema, passwordSchema } from '../features/staff/schemas';
import { cliActor } from '../features/audit/service';
import { createApiToken } from '../features/api-tokens/service';
import { roles, staffUserRoles, staffUsers } from '../db/schema';
import { zodFieldErrors } from '../features/service-errors';

/** `forte admin create|reset-password|list|token create` — what support and the installer use. */
export async function adminCommand(args: ParsedArgs): Promise<number> {
  const [, sub, sub2] = args.positionals;
  switch (sub) {
    case 'create': {
      const username = requiredOption(args, 'username');
      const password = requiredOption(args, 'password');
      const roleKey = stringOption(args, 'role') ?? 'owner';
      return withRuntime(args, true, async ({ deps }) => {
        const view = await deps.db.transaction(async (tx) => {
          const setupDone = await completeSetupWithDefaults(tx, deps.clock.now());
          const input = createStaffSchema.safeParse({ username, password, name: stringOption(args, 'name') ?? username, email: stringOption(args, 'email') ?? null, pin: null, role_ids: await roleIdsByKey(tx, [roleKey]) });
          if (!input.success) throw new UsageError(Object.entries(zodFieldErrors(input.error)).map(([k, v]) => `${k}: ${v}`).join('\n'));
          const created = await createStaff(tx, cliActor('admin create'), input.data);
          return { created, setupDone };
        });
        if (view.setupDone) console.error('First-run setup completed with defaults (change them under Settings).');
        console.log(`Created ${roleKey} "${view.created.username}" (${view.created.id}).`);
        return 0;
      });
    }
    case 'reset-password': {
      const username = requiredOption(args, 'username');
      const password = requiredOption(args, 'password');
      const parsed = passwordSchema.safeParse(password);
      if (!parsed.success) throw new UsageError(parsed.error.issues[0].message);
      return withRuntime(args, true, async ({ deps }) => {
        const user = await findStaffByUsername(deps.db, username);
        if (!user) throw new UsageError(`No staff user "${username}".`);
        await deps.db.transaction((tx) => resetPassword(tx, cliActor('admin reset-password'), user.id, password));
        console.log(`Password reset for "${user.username}"; their sessions were ended.`);
        return 0;
      });
    }
    case 'list':
      return withRuntime(args, true, async ({ deps }) => {
        const { rows } = await listStaff(deps.db, { q: '', page: 1, limit: 1000, sort: 'username', order: 'asc' }, { status: 'all' });
        if (rows.length === 0) console.log('No staff users yet. Create the owner with: forte admin create --username NAME --password PASSWORD');
        for (const r of rows) console.log(`${r.username.padEnd(20)} ${r.name.padEnd(28)} ${(r.active ? 'active' : 'inactive').padEnd(9)} ${r.roles.map((x) => x.key).join(',')}`);
        return 0;
      });
    case 'token': {
      if (sub2 !== 'create') throw new UsageError('usage: forte admin token create --name NAME [--permissions a.b,c.d]');
      const name = requiredOption(args, 'name');
      const permissions = (stringOption(args, 'permissions') ?? '')
        .split(/[,\s]+/)
        .map((p) => p.trim())
        .filter(Boolean);
      return withRuntime(args, true, async ({ deps }) => {
        // Tokens made from the command line belong to the first owner (api.md).
        const [owner] = await deps.db
          .select({ id: staffUsers.id })
          .from(staffUsers)
          .innerJoin(staffUserRoles, eq(staffUserRoles.userId, staffUsers.id))
          .innerJoin(roles, eq(roles.id, staffUserRoles.roleId))
          .where(sql`${roles.key} = 'owner' and ${staffUsers.active}`)
          .orderBy(staffUsers.createdAt)
          .limit(1);
        if (!owner) throw new UsageError('There is no active owner yet: finish setup or run `forte admin create` first.');
        const created = await deps.db.transaction((tx) => createApiToken(tx, cliActor('admin token create'), { name, ownerUserId: owner.id, permissions }));
        console.log(created.token);
        return 0;
      });
    }
    default:
      throw new UsageError('usage: forte admin create|reset-password|list|token create [options]');
  }
}
