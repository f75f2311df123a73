import type { Importer } from '../csv/import-runner';
import { accountsImporter } from './accounts-importer';
import { membersImporter } from './members-importer';
import { productsImporter } from './products-importer';
import { unitsImporter } from './units-importer';
import { stockImporter } from './stock-importer';

/** The CSV importers (customers-inventory.md); each is idempotent by legacy_id. */
export const IMPORTERS: Record<string, Importer<any>> = {
  accounts: accountsImporter,
  members: membersImporter,
  products: productsImporter,
  units: unitsImporter,
  stock: stockImporter,
};
export type ImportKind = keyof typeof IMPORTERS;
