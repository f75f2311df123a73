import type { Actor } from '../audit/service';
import type { AppDeps } from '../../server/deps';
import { storeToday } from '../settings/service';
import { verifyApproval } from '../auth/pin';
import type { Permission } from '../auth/permissions';
import { actorOf } from '../staff/routes';
import type { BusinessDate } from '../../domain/business-date';
import { ServiceError } from '../service-errors';

/** Who approved something at the register (a manager's PIN, or the person acting when they may approve themselves). */
export interface Approver {
  userId: string | null;
  label: string;
}

export interface ApprovalRequest {
  username: string;
  pin: string;
}

/**
 * What a counter action needs besides its input: the store's business date, the acting person's permissions
 * (a manager approves their own discount), and how to check a manager's PIN (routes wire verifyApproval, which
 * keeps its failure counter outside the sale's transaction).
 */
export interface SaleContext {
  actor: Actor;
  today: BusinessDate;
  permissions: ReadonlySet<string>;
  checkApproval: (request: ApprovalRequest, permission: string) => Promise<Approver>;
}

export class ApprovalRequiredError extends ServiceError {
  constructor(
    message: string,
    public readonly permission: string,
    public readonly reasons: string[],
  ) {
    super('forbidden', message, 403, { approval: message });
  }
  override apiDetails(): Record<string, unknown> {
    return { approval_required: true, permission: this.permission, reasons: this.reasons };
  }
}

/**
 * The approver of something that needs `permission`: the actor when they hold it, else the manager whose PIN
 * came with the request; without one, a 403 saying a manager is needed (the sale screen then asks for a PIN).
 */
export async function approverFor(ctx: SaleContext, permission: string, request: ApprovalRequest | null | undefined, why: string, reasons: string[]): Promise<Approver> {
  if (ctx.permissions.has(permission)) return { userId: ctx.actor.userId, label: ctx.actor.label };
  if (!request) throw new ApprovalRequiredError(`${why} needs a manager's approval (PIN).`, permission, reasons);
  return ctx.checkApproval(request, permission);
}

/**
 * The counter context of a request: the store's date, the person's (or token's) permissions, and approvals by
 * a manager's PIN through verifyApproval (its failure counter commits on its own, outside the sale).
 */
export async function saleContextFor(deps: AppDeps, actor: Actor, permissions: ReadonlySet<string>): Promise<SaleContext> {
  return {
    actor,
    today: await storeToday(deps.db, deps.clock),
    permissions,
    checkApproval: async (request, permission) => {
      const a = await deps.db.transaction((tx) => verifyApproval(deps.db, tx, request, permission as Permission, actor));
      return { userId: a.userId, label: a.label };
    },
  };
}

/** The counter context of a signed-in staff page request. */
export const htmlSaleContext = (deps: AppDeps, ctx: any) => saleContextFor(deps, actorOf(ctx), ctx.user.permissions);
