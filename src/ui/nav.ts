import type { Permission } from '../features/auth/permissions';

export interface NavItem {
  href: string;
  label: string;
  /** Shown to users holding this permission (null = every signed-in user). */
  permission: Permission | null;
  /** Path prefix that marks the item current. */
  match: string;
}

/** Only areas that exist appear; later issues add theirs here. */
export const NAV_ITEMS: NavItem[] = [
  { href: '/', label: 'Dashboard', permission: null, match: '/' },
  { href: '/pos', label: 'Sell', permission: 'pos.sell', match: '/pos' },
  { href: '/sales', label: 'Sales', permission: 'pos.sell', match: '/sales' },
  { href: '/customers', label: 'Customers', permission: 'customers.view', match: '/customers' },
  { href: '/staff', label: 'Staff', permission: 'staff.view', match: '/staff' },
  { href: '/inventory/products', label: 'Inventory', permission: 'inventory.view', match: '/inventory' },
  { href: '/registers', label: 'Registers', permission: 'drawer.open', match: '/registers' },
  { href: '/purchasing', label: 'Purchasing', permission: 'inventory.view', match: '/purchasing' },
  { href: '/reports', label: 'Reports', permission: 'reports.view', match: '/reports' },
  { href: '/accounting/journal', label: 'Accounting', permission: 'accounting.view', match: '/accounting' },
  { href: '/audit', label: 'Audit log', permission: 'audit.view', match: '/audit' },
  { href: '/import', label: 'Import', permission: 'data.import', match: '/import' },
  { href: '/settings', label: 'Settings', permission: 'settings.manage', match: '/settings' },
];

export function navFor(permissions: Set<Permission> | null, path: string) {
  if (!permissions) return [];
  return NAV_ITEMS.filter((i) => i.permission === null || permissions.has(i.permission)).map((i) => ({
    ...i,
    current: i.match === '/' ? path === '/' : path === i.match || path.startsWith(i.match + '/'),
  }));
}
