import type { Rng } from './prng';

/**
 * The demo catalog: what a school-music store really carries. Prices are list prices of the kind such a
 * store charges; costs are roughly the usual dealer margin. Serials follow each maker's usual shape.
 */

/** Category paths "Parent/Child"; parents are created first. */
export const DEMO_CATEGORIES: readonly string[] = [
  'Band',
  'Band/Brass',
  'Band/Woodwinds',
  'Band/Percussion',
  'Orchestra',
  'Orchestra/Violins',
  'Orchestra/Violas',
  'Orchestra/Cellos',
  'Strings & Accessories',
  'Strings & Accessories/Strings',
  'Strings & Accessories/Reeds',
  'Strings & Accessories/Care',
  'Books',
  'Guitars',
  'Services',
];

export interface DemoSupplier {
  key: string;
  name: string;
  contact: string;
  email: string;
  phone: string;
  account: string;
}

export const DEMO_SUPPLIERS: readonly DemoSupplier[] = [
  { key: 'conn', name: 'Conn-Selmer Inc.', contact: 'Dana Whitfield', email: 'dealers@connselmer.example.com', phone: '(574) 555-0142', account: 'CS-448120' },
  { key: 'kmc', name: 'KMC Music', contact: 'Luis Ortega', email: 'orders@kmcmusic.example.com', phone: '(860) 555-0177', account: 'KMC-20931' },
  { key: 'daddario', name: "D'Addario & Company", contact: 'Priya Raman', email: 'dealer.service@daddario.example.com', phone: '(631) 555-0119', account: 'DA-771045' },
];

type SerialFormat = (rng: Rng, index: number) => string;

/** Serial shapes per maker (invented numbers in each maker's usual format). */
export const SERIALS: Record<string, SerialFormat> = {
  yamaha: (rng) => `${rng.pick(['C', 'D', 'E', 'J'])}${rng.digits(5)}`,
  // The first Bach unit is SMI-2231, the serial the spec's search acceptance check looks for.
  bach: (rng, i) => (i === 0 ? 'SMI-2231' : `SMI-${rng.int(1000, 9999)}`),
  jupiter: (rng) => `${rng.pick(['XA', 'XB', 'XF'])}${rng.digits(5)}`,
  selmer: (rng) => `${rng.pick(['AS', 'CL'])}${rng.digits(6)}`,
  buffet: (rng) => `${rng.int(6, 7)}${rng.digits(5)}`,
  gemeinhardt: (rng) => `K${rng.digits(6)}`,
  eastman: (rng) => `V${rng.int(19, 25)}${rng.digits(5)}`,
  fender: (rng) => `MX${rng.int(19, 24)}${rng.digits(6)}`,
  taylor: (rng) => `${rng.int(11, 12)}${rng.digits(8)}`,
  ludwig: (rng) => `LS${rng.digits(6)}`,
};

export interface DemoProduct {
  sku: string;
  name: string;
  brand: string;
  model: string;
  category: string;
  kind: 'serialized' | 'stock' | 'service';
  costCents: number;
  priceCents: number;
  supplier?: string;
  supplierSku?: string;
  size?: string;
  monthlyRentalCents?: number;
  rtoPriceCents?: number;
  /** Serialized: units at full scale and the serial shape. */
  units?: number;
  serial?: keyof typeof SERIALS;
  /** Stock: reorder point; the opening quantity is drawn around twice this. */
  reorderPoint?: number;
}

const rental = (p: Omit<DemoProduct, 'kind'>): DemoProduct => ({ ...p, kind: 'serialized' });
const stock = (sku: string, name: string, brand: string, model: string, category: string, priceCents: number, supplier: string, reorderPoint: number): DemoProduct => ({
  sku,
  name,
  brand,
  model,
  category,
  kind: 'stock',
  priceCents,
  costCents: Math.round(priceCents * 0.55),
  supplier,
  supplierSku: model || sku,
  reorderPoint,
});

const INSTRUMENTS: DemoProduct[] = [
  rental({ sku: 'YTR-2330', name: 'Yamaha YTR-2330 Student Trumpet', brand: 'Yamaha', model: 'YTR-2330', category: 'Band/Brass', costCents: 74000, priceCents: 119900, monthlyRentalCents: 2900, rtoPriceCents: 119900, supplier: 'kmc', units: 12, serial: 'yamaha' }),
  rental({ sku: 'TR300H2', name: 'Bach TR300H2 Student Trumpet', brand: 'Bach', model: 'TR300H2', category: 'Band/Brass', costCents: 68000, priceCents: 109900, monthlyRentalCents: 2700, rtoPriceCents: 109900, supplier: 'conn', units: 10, serial: 'bach' }),
  rental({ sku: 'JTR700', name: 'Jupiter JTR700 Standard Trumpet', brand: 'Jupiter', model: 'JTR700', category: 'Band/Brass', costCents: 52000, priceCents: 89900, monthlyRentalCents: 2500, rtoPriceCents: 89900, supplier: 'kmc', units: 4, serial: 'jupiter' }),
  rental({ sku: 'YSL-354', name: 'Yamaha YSL-354 Student Trombone', brand: 'Yamaha', model: 'YSL-354', category: 'Band/Brass', costCents: 82000, priceCents: 129900, monthlyRentalCents: 3200, rtoPriceCents: 129900, supplier: 'kmc', units: 8, serial: 'yamaha' }),
  rental({ sku: 'TB301', name: 'Bach TB301 Student Trombone', brand: 'Bach', model: 'TB301', category: 'Band/Brass', costCents: 61000, priceCents: 99900, monthlyRentalCents: 2900, rtoPriceCents: 99900, supplier: 'conn', units: 8, serial: 'bach' }),
  rental({ sku: 'YFL-222', name: 'Yamaha YFL-222 Student Flute', brand: 'Yamaha', model: 'YFL-222', category: 'Band/Woodwinds', costCents: 49000, priceCents: 79900, monthlyRentalCents: 2400, rtoPriceCents: 79900, supplier: 'kmc', units: 12, serial: 'yamaha' }),
  rental({ sku: '2SP', name: 'Gemeinhardt 2SP Student Flute', brand: 'Gemeinhardt', model: '2SP', category: 'Band/Woodwinds', costCents: 38000, priceCents: 64900, monthlyRentalCents: 2200, rtoPriceCents: 64900, supplier: 'conn', units: 8, serial: 'gemeinhardt' }),
  rental({ sku: 'YCL-255', name: 'Yamaha YCL-255 Student Clarinet', brand: 'Yamaha', model: 'YCL-255', category: 'Band/Woodwinds', costCents: 42000, priceCents: 69900, monthlyRentalCents: 2200, rtoPriceCents: 69900, supplier: 'kmc', units: 12, serial: 'yamaha' }),
  rental({ sku: 'BC2541-PRODIGE', name: 'Buffet Crampon Prodige Bb Clarinet', brand: 'Buffet Crampon', model: 'Prodige BC2541', category: 'Band/Woodwinds', costCents: 47000, priceCents: 79900, monthlyRentalCents: 2500, rtoPriceCents: 79900, supplier: 'kmc', units: 6, serial: 'buffet' }),
  rental({ sku: 'YAS-26', name: 'Yamaha YAS-26 Student Alto Saxophone', brand: 'Yamaha', model: 'YAS-26', category: 'Band/Woodwinds', costCents: 98000, priceCents: 159900, monthlyRentalCents: 4200, rtoPriceCents: 159900, supplier: 'kmc', units: 8, serial: 'yamaha' }),
  rental({ sku: 'JAS700', name: 'Jupiter JAS700 Alto Saxophone', brand: 'Jupiter', model: 'JAS700', category: 'Band/Woodwinds', costCents: 86000, priceCents: 139900, monthlyRentalCents: 3900, rtoPriceCents: 139900, supplier: 'kmc', units: 4, serial: 'jupiter' }),
  rental({ sku: 'AS400', name: 'Selmer AS400 Alto Saxophone', brand: 'Selmer', model: 'AS400', category: 'Band/Woodwinds', costCents: 112000, priceCents: 179900, monthlyRentalCents: 4500, rtoPriceCents: 179900, supplier: 'conn', units: 4, serial: 'selmer' }),
  rental({ sku: 'LUD-LE2481', name: 'Ludwig Elite Snare & Bell Kit', brand: 'Ludwig', model: 'LE2481R', category: 'Band/Percussion', costCents: 29000, priceCents: 46900, monthlyRentalCents: 1900, rtoPriceCents: 46900, supplier: 'conn', units: 6, serial: 'ludwig' }),
  ...(['1/4', '1/2', '3/4', '4/4'] as const).map((size, i) =>
    rental({ sku: `VL80-${size.replace('/', '')}`, name: `Eastman VL80 Violin Outfit ${size}`, brand: 'Eastman', model: 'VL80', category: 'Orchestra/Violins', size, costCents: 24000 + i * 1000, priceCents: 39900 + i * 2000, monthlyRentalCents: 1600 + i * 100, rtoPriceCents: 39900 + i * 2000, supplier: 'kmc', units: [4, 6, 6, 6][i], serial: 'eastman' }),
  ),
  ...(['15"', '16"'] as const).map((size, i) =>
    rental({ sku: `VA80-${size.replace('"', '')}`, name: `Eastman VA80 Viola Outfit ${size}`, brand: 'Eastman', model: 'VA80', category: 'Orchestra/Violas', size, costCents: 30000, priceCents: 49900 + i * 2000, monthlyRentalCents: 2200, rtoPriceCents: 49900 + i * 2000, supplier: 'kmc', units: 4, serial: 'eastman' }),
  ),
  ...(['1/2', '3/4', '4/4'] as const).map((size, i) =>
    rental({ sku: `VC80-${size.replace('/', '')}`, name: `Eastman VC80 Cello Outfit ${size}`, brand: 'Eastman', model: 'VC80', category: 'Orchestra/Cellos', size, costCents: 78000 + i * 4000, priceCents: 129900 + i * 6000, monthlyRentalCents: 4500 + i * 200, rtoPriceCents: 129900 + i * 6000, supplier: 'kmc', units: 4, serial: 'eastman' }),
  ),
];

const GUITARS: DemoProduct[] = [
  { sku: 'FG800-NT', name: 'Yamaha FG800 Acoustic Guitar, Natural', brand: 'Yamaha', model: 'FG800', category: 'Guitars', kind: 'serialized', costCents: 12500, priceCents: 21999, supplier: 'kmc', units: 4, serial: 'yamaha' },
  { sku: 'C40II', name: 'Yamaha C40II Classical Guitar', brand: 'Yamaha', model: 'C40II', category: 'Guitars', kind: 'serialized', costCents: 9000, priceCents: 16999, supplier: 'kmc', units: 3, serial: 'yamaha' },
  { sku: '0144502500', name: 'Fender Player Stratocaster, Maple, 3-Color Sunburst', brand: 'Fender', model: 'Player Stratocaster', category: 'Guitars', kind: 'serialized', costCents: 51000, priceCents: 84999, supplier: 'kmc', units: 3, serial: 'fender' },
  { sku: '114CE', name: 'Taylor 114ce Grand Auditorium Acoustic-Electric', brand: 'Taylor', model: '114ce', category: 'Guitars', kind: 'serialized', costCents: 64000, priceCents: 99900, supplier: 'kmc', units: 2, serial: 'taylor' },
];

const S = 'Strings & Accessories/Strings';
const R = 'Strings & Accessories/Reeds';
const C = 'Strings & Accessories/Care';

const STRINGS: DemoProduct[] = [
  stock('EJ16', "D'Addario EJ16 Phosphor Bronze Acoustic Strings, Light 12-53", "D'Addario", 'EJ16', S, 1299, 'daddario', 12),
  stock('EJ26', "D'Addario EJ26 Phosphor Bronze Acoustic Strings, Custom Light 11-52", "D'Addario", 'EJ26', S, 1299, 'daddario', 6),
  stock('EXL110', "D'Addario EXL110 Nickel Wound Electric Strings, Regular Light 10-46", "D'Addario", 'EXL110', S, 799, 'daddario', 12),
  stock('EXL120', "D'Addario EXL120 Nickel Wound Electric Strings, Super Light 9-42", "D'Addario", 'EXL120', S, 799, 'daddario', 8),
  stock('EJ45', "D'Addario EJ45 Pro-Arte Classical Strings, Normal Tension", "D'Addario", 'EJ45', S, 1099, 'daddario', 6),
  stock('EB2221', 'Ernie Ball Regular Slinky Electric Strings 10-46', 'Ernie Ball', '2221', S, 699, 'kmc', 10),
  stock('EB2223', 'Ernie Ball Super Slinky Electric Strings 9-42', 'Ernie Ball', '2223', S, 699, 'kmc', 8),
  stock('EL16052', 'Elixir Nanoweb Phosphor Bronze Acoustic Strings, Light 12-53', 'Elixir', '16052', S, 1699, 'kmc', 6),
  stock('J810-44M', "D'Addario Prelude Violin String Set 4/4, Medium", "D'Addario", 'J810 4/4M', S, 2299, 'daddario', 6),
  stock('J810-34M', "D'Addario Prelude Violin String Set 3/4, Medium", "D'Addario", 'J810 3/4M', S, 2299, 'daddario', 6),
  stock('J810-12M', "D'Addario Prelude Violin String Set 1/2, Medium", "D'Addario", 'J810 1/2M', S, 2199, 'daddario', 4),
  stock('H410-MM', "D'Addario Helicore Viola String Set, Medium Scale", "D'Addario", 'H410 MM', S, 5999, 'daddario', 2),
  stock('J1010-44M', "D'Addario Prelude Cello String Set 4/4, Medium", "D'Addario", 'J1010 4/4M', S, 7499, 'daddario', 2),
  stock('DOM135B', 'Thomastik Dominant Violin String Set 4/4', 'Thomastik-Infeld', '135B', S, 6299, 'kmc', 3),
];

const vandoren = (instrument: string, base: string, strengths: [string, string][], price: number) =>
  strengths.map(([label, code]) => stock(`${base}${code}`, `Vandoren ${instrument} Reeds, Traditional, Strength ${label} (Box of 10)`, 'Vandoren', `${base}${code}`, R, price, 'kmc', 4));
const rico = (instrument: string, base: string, strengths: [string, string][], price: number) =>
  strengths.map(([label, code]) => stock(`${base}${code}`, `Rico ${instrument} Reeds, Strength ${label} (Box of 10)`, "D'Addario", `${base}${code}`, R, price, 'daddario', 5));
const STRENGTHS: [string, string][] = [['2', '2'], ['2.5', '25'], ['3', '3']];

const REEDS: DemoProduct[] = [
  ...vandoren('Bb Clarinet', 'CR10', STRENGTHS, 3299),
  ...vandoren('Alto Saxophone', 'SR21', STRENGTHS, 3999),
  ...rico('Bb Clarinet', 'RCA10', [['2', '20'], ['2.5', '25'], ['3', '30']], 2499),
  ...rico('Alto Saxophone', 'RJA10', [['2', '20'], ['2.5', '25']], 3199),
  stock('RCA01-SINGLE25', 'Rico Bb Clarinet Reed, Strength 2.5 (single)', "D'Addario", 'RCA0125', R, 299, 'daddario', 20),
];

const CARE: DemoProduct[] = [
  stock('ALCASS-FAST', 'Al Cass Fast Valve Oil, 1.6 oz', 'Al Cass', 'Fast', C, 699, 'conn', 12),
  stock('BLUEJUICE-2', 'Blue Juice Valve Oil, 2 oz', 'Blue Juice', 'BJ2', C, 899, 'kmc', 8),
  stock('YAC-SLIDE', 'Yamaha Trombone Slide Oil', 'Yamaha', 'YAC SLO2', C, 699, 'kmc', 6),
  stock('SLOKAR-CRM', 'Slide-O-Mix Rapid Comfort Trombone Slide Lubricant', 'Slide-O-Mix', 'Rapid Comfort', C, 1899, 'kmc', 3),
  stock('CORK-GREASE', 'Yamaha Cork Grease Stick', 'Yamaha', 'YAC 1010P', C, 499, 'kmc', 10),
  stock('SWAB-CL', 'Hodge Silk Clarinet Swab', 'Hodge', 'Silk', C, 1499, 'kmc', 6),
  stock('FLUTE-ROD', 'Yamaha Flute Cleaning Rod', 'Yamaha', 'YAC 1513P', C, 599, 'kmc', 6),
  stock('HILL-DARK', 'Hill Dark Violin Rosin', 'Hill', 'Dark', C, 650, 'kmc', 10),
  stock('PIR-GOLDFLEX', 'Pirastro Goldflex Rosin', 'Pirastro', 'Goldflex', C, 1450, 'kmc', 4),
  stock('POLISH-CLOTH', 'Yamaha Silver Polishing Cloth', 'Yamaha', 'YAC 1089P', C, 899, 'kmc', 8),
  stock('TORTEX-60', 'Dunlop Tortex Standard Picks .60mm (12-pack)', 'Dunlop', '418P.60', C, 599, 'kmc', 10),
  stock('KYSER-KG6B', 'Kyser Quick-Change Acoustic Capo, Black', 'Kyser', 'KG6B', C, 2195, 'kmc', 4),
  stock('VF-SD1', 'Vic Firth SD1 General Drumsticks', 'Vic Firth', 'SD1', 'Band/Percussion', 1299, 'conn', 10),
  stock('VF-5A', 'Vic Firth American Classic 5A Drumsticks', 'Vic Firth', '5A', 'Band/Percussion', 1349, 'conn', 12),
  stock('IP-IP240', 'Innovative Percussion IP240 Bell Mallets', 'Innovative Percussion', 'IP240', 'Band/Percussion', 1850, 'conn', 4),
];

const ee = (part: string, series: 'Band' | 'Strings', code: string) =>
  stock(`EE-${code}`, `Essential Elements for ${series}, Book 1 — ${part}`, 'Hal Leonard', `EE1 ${part}`, 'Books', 1099, 'kmc', 6);

const BOOKS: DemoProduct[] = [
  ee('Trumpet', 'Band', 'TPT1'),
  ee('Trombone', 'Band', 'TBN1'),
  ee('Flute', 'Band', 'FL1'),
  ee('Bb Clarinet', 'Band', 'CL1'),
  ee('Eb Alto Saxophone', 'Band', 'AS1'),
  ee('Percussion', 'Band', 'PERC1'),
  ee('Violin', 'Strings', 'VN1'),
  ee('Viola', 'Strings', 'VA1'),
  ee('Cello', 'Strings', 'VC1'),
  stock('SOE-FL1', 'Standard of Excellence, Book 1 — Flute', 'Kjos', 'W21FL', 'Books', 1095, 'kmc', 3),
  stock('SOE-CL1', 'Standard of Excellence, Book 1 — Clarinet', 'Kjos', 'W21CL', 'Books', 1095, 'kmc', 3),
  stock('SUZ-VN1', 'Suzuki Violin School, Volume 1', 'Alfred', '0144S', 'Books', 1299, 'kmc', 4),
  stock('HL-GTR1', 'Hal Leonard Guitar Method, Book 1', 'Hal Leonard', '00699010', 'Books', 999, 'kmc', 4),
];

const SERVICES: DemoProduct[] = [
  { sku: 'SVC-CHEMCLEAN', name: 'Brass Chemical Cleaning', brand: '', model: '', category: 'Services', kind: 'service', costCents: 0, priceCents: 8500 },
  { sku: 'SVC-RESTRING', name: 'Guitar Restring & Setup (labor)', brand: '', model: '', category: 'Services', kind: 'service', costCents: 0, priceCents: 4500 },
];

export const DEMO_PRODUCTS: readonly DemoProduct[] = [...INSTRUMENTS, ...GUITARS, ...STRINGS, ...REEDS, ...CARE, ...BOOKS, ...SERVICES];

export const UNIT_LOCATIONS = ['Rental fleet – back room', 'Rental fleet – back room', 'Showroom', 'Repair shop shelf', 'Warehouse A-3'] as const;
