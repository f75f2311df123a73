/**
 * Every permission Forte knows, as `area.action` strings (staff.md). Routes declare one of these;
 * roles are sets of them. Areas that later issues build are listed already so that roles created
 * today keep their meaning when those areas land.
 */
export const PERMISSIONS = {
  'dashboard.view': 'See the dashboard',
  'staff.view': 'See staff users and roles',
  'staff.manage': 'Create, edit and deactivate staff users and roles; reset passwords',
  'audit.view': 'Browse the audit log',
  'settings.manage': 'Change store settings and processor settings',
  'api_tokens.manage': 'Create and revoke API tokens',
  'customers.view': 'See customer accounts',
  'customers.manage': 'Create and edit customer accounts',
  'customers.approve_exemption': 'Approve tax-exemption certificates',
  'inventory.view': 'See products, units and stock',
  'inventory.manage': 'Edit the catalog, receive and adjust stock',
  'inventory.override': 'Change a unit status by hand and allow negative stock (manager)',
  'pos.sell': 'Ring up sales',
  'pos.refund': 'Process returns and refunds',
  'pos.void': 'Void sales',
  'pos.refund.override': 'Refund to other tenders than the original, return without receipt or after the return window (manager)',
  'pos.discount': 'Apply named discounts',
  'pos.discount.override': 'Approve discounts above the limit',
  'drawer.open': 'Open a cash drawer session',
  'drawer.close': 'Close a cash drawer session',
  'drawer.reopen': 'Reopen a closed drawer session with a note (manager)',
  'rentals.view': 'See rental contracts',
  'rentals.create': 'Start, exchange and return rentals',
  'lessons.view': 'See the lesson schedule',
  'lessons.manage': 'Schedule lessons and take attendance',
  'repairs.view': 'See repair tickets',
  'repairs.manage': 'Create and work repair tickets',
  'billing.run': 'Run recurring billing',
  'payments.manage': 'Take and refund payments on account',
  'accounting.view': 'See the journal, trial balance and finance reports',
  'accounting.export': 'Export the journal to QuickBooks',
  'reports.view': 'See sales and operational reports',
  'data.import': 'Import accounts, products, units and stock from CSV files',
  'backups.manage': 'Make, verify and download backups',
  'license.manage': 'Install the license',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

export interface BuiltInRole {
  key: string;
  name: string;
  description: string;
  permissions: readonly Permission[];
}

const except = (...excluded: Permission[]) => ALL_PERMISSIONS.filter((p) => !excluded.includes(p));

/** Built-in roles (staff.md). They are re-synced from this table on every start so upgrades extend them. */
export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  { key: 'owner', name: 'Owner', description: 'Everything. The last active owner cannot be removed.', permissions: ALL_PERMISSIONS },
  {
    key: 'manager',
    name: 'Manager',
    description: 'Runs the store day to day: approvals, staff, reports.',
    permissions: except('license.manage', 'api_tokens.manage'),
  },
  {
    key: 'cashier',
    name: 'Cashier',
    description: 'Sells at the counter and takes payments.',
    permissions: ['dashboard.view', 'customers.view', 'customers.manage', 'inventory.view', 'pos.sell', 'pos.discount', 'drawer.open', 'drawer.close', 'rentals.view', 'lessons.view', 'repairs.view', 'payments.manage'],
  },
  {
    key: 'rental_manager',
    name: 'Rental manager',
    description: 'Runs the rental book: contracts, exchanges, returns, delinquency.',
    permissions: ['dashboard.view', 'customers.view', 'customers.manage', 'inventory.view', 'pos.sell', 'drawer.open', 'drawer.close', 'rentals.view', 'rentals.create', 'billing.run', 'payments.manage', 'reports.view'],
  },
  {
    key: 'technician',
    name: 'Technician',
    description: 'Works the repair queue.',
    permissions: ['dashboard.view', 'customers.view', 'inventory.view', 'repairs.view', 'repairs.manage'],
  },
  {
    key: 'instructor',
    name: 'Instructor',
    description: 'Sees their lessons and takes attendance.',
    permissions: ['dashboard.view', 'customers.view', 'lessons.view', 'lessons.manage'],
  },
  {
    key: 'bookkeeper',
    name: 'Bookkeeper',
    description: 'Read-only finance and exports.',
    permissions: ['dashboard.view', 'customers.view', 'reports.view', 'accounting.view', 'accounting.export', 'audit.view'],
  },
];
