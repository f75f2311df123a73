import { accounts, members, products, inventoryUnits } from '../../src/db/schema';
import type { TestContext } from '../helpers';

/** Inserts customers and inventory rows directly (the search reads them; it doesn't create them). */
export async function seedSearchRows(t: TestContext) {
  const db = t.deps.db;
  const [smith, smithFamily, osmond, inactive, school] = await db
    .insert(accounts)
    .values([
      { number: '481516', name: 'John Smith', email: 'john@smith.example', phone: '(555) 010-2000' },
      { number: '234567', name: 'Smith Family', type: 'family', phone: '555-303-4444' },
      { number: '123456', name: 'Olga Osmond', email: 'olga@example.com', phone: '+1 (312) 555-0199' },
      { number: '999001', name: 'Smithers Old Account', isActive: false },
      { number: '100200', name: 'Lincoln Middle School', type: 'school', email: 'band@lincoln.example' },
    ])
    .returning();
  const [smithson, ann] = await db
    .insert(members)
    .values([
      { number: '700001', accountId: osmond.id, firstName: 'Peter', lastName: 'Smithson', phone: '(773) 555-1212' },
      { number: '700002', accountId: smithFamily.id, firstName: 'Ann', lastName: 'Smith', email: 'ann.smith@example.com' },
      { number: '700003', accountId: school.id, firstName: 'Zed', lastName: 'Quinn' },
    ])
    .returning();
  const [trumpet, trumpetPro, strings] = await db
    .insert(products)
    .values([
      { sku: 'TR-100', upc: '012345678905', name: 'Student Trumpet', brand: 'Bach', model: 'TR300', kind: 'serialized', priceCents: 64900 },
      { sku: 'TR-1000', name: 'Pro Trumpet 100% brass', brand: 'Bach', model: 'Stradivarius 37', kind: 'serialized', priceCents: 329900 },
      { sku: 'STR-A_C', upc: '099999000017', name: 'Violin strings a_c set', brand: "D'Addario", model: 'Prelude', kind: 'stock', priceCents: 2499 },
    ])
    .returning();
  const [smiUnit, otherUnit] = await db
    .insert(inventoryUnits)
    .values([
      { productId: trumpet.id, serialNumber: 'SMI-2231', status: 'available' },
      { productId: trumpetPro.id, serialNumber: 'XK88120', status: 'rented' },
      { productId: trumpet.id, serialNumber: 'SMI-22310', status: 'sold' },
    ])
    .returning();
  return { smith, smithFamily, osmond, inactive, school, smithson, ann, trumpet, trumpetPro, strings, smiUnit, otherUnit };
}
