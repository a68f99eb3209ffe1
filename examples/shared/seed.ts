/**
 * Realistic, deterministic seed data for the emulators: an industrial-supplies B2B business with
 * a catalog, business customers and a few years of orders. The same seed always yields the same
 * records, so a second run (and a test) sees exactly the data the first one did.
 */
export interface SeedProduct {
  sku: string;
  name: string;
  category: string;
  /** List price in USD. */
  price: number;
  /** On hand in the ERP's main warehouse. */
  quantity: number;
  weightKg: number;
  description: string;
}

export interface SeedAddress {
  street: string;
  city: string;
  region: string;
  postcode: string;
  countryId: string;
}

export interface SeedCustomer {
  /** The id every system shares as external id: `CUST-000123`. */
  externalId: string;
  email: string;
  firstname: string;
  lastname: string;
  company: string;
  phone: string;
  address: SeedAddress;
  /** ERP-owned. */
  creditTerms: 'Net 15' | 'Net 30' | 'Net 45' | 'Net 60';
  creditLimit: number;
  /** CRM-owned. */
  salesRep: string;
  /** Contract price multiplier for pricing-on-demand (0.8 = 20% off list). */
  contractDiscount: number;
}

export interface SeedOrderLine {
  sku: string;
  qty: number;
  price: number;
}

export interface SeedOrder {
  incrementId: string;
  customerExternalId: string;
  email: string;
  createdAt: string;
  lines: SeedOrderLine[];
  grandTotal: number;
}

export interface SeedData {
  products: SeedProduct[];
  customers: SeedCustomer[];
  orders: SeedOrder[];
}

export interface SeedSize {
  products: number;
  customers: number;
  orders: number;
}

/** The demo's size: hundreds of products and customers, a few thousand orders. */
export const DEMO_SIZE: SeedSize = { products: 400, customers: 300, orders: 3000 };
/** A size the tests use: big enough to page, small enough to stay fast. */
export const TEST_SIZE: SeedSize = { products: 60, customers: 40, orders: 120 };

/** mulberry32: a tiny seeded generator, so seed data is reproducible without a dependency. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ava',
  'Liam',
  'Maya',
  'Noah',
  'Zoe',
  'Omar',
  'Ines',
  'Kai',
  'Lena',
  'Ravi',
  'Sofia',
  'Jon',
  'Priya',
  'Mateo',
  'Hana',
  'Eli',
];
const LAST = [
  'Nguyen',
  'Okafor',
  'Schmidt',
  'Garcia',
  'Kowalski',
  'Tanaka',
  'Dubois',
  'Rossi',
  'Larsen',
  'Patel',
  'Silva',
  'Murphy',
  'Haddad',
  'Berg',
];
const COMPANY_A = [
  'Northwind',
  'Bluestone',
  'Ironbridge',
  'Cedar',
  'Summit',
  'Harbor',
  'Redline',
  'Granite',
  'Keystone',
  'Prairie',
  'Copperfield',
  'Lakeside',
];
const COMPANY_B = [
  'Fabrication',
  'Mechanical',
  'Builders',
  'Facilities',
  'Industrial',
  'Supply Co.',
  'Contracting',
  'Electric',
  'Plumbing',
  'Logistics',
];
const CITIES: Array<[string, string, string]> = [
  ['Austin', 'TX', '787'],
  ['Denver', 'CO', '802'],
  ['Columbus', 'OH', '432'],
  ['Portland', 'OR', '972'],
  ['Raleigh', 'NC', '276'],
  ['Madison', 'WI', '537'],
  ['Tucson', 'AZ', '857'],
  ['Omaha', 'NE', '681'],
  ['Boise', 'ID', '837'],
  ['Albany', 'NY', '122'],
  ['Reno', 'NV', '895'],
  ['Tampa', 'FL', '336'],
];
const STREETS = [
  'Industrial Pkwy',
  'Commerce Dr',
  'Mill St',
  'Foundry Rd',
  'Harbor Blvd',
  'Depot Ave',
  'Quarry Ln',
];
const CATEGORIES: Array<[string, string, string[], [number, number]]> = [
  [
    'Fasteners',
    'FST',
    ['Hex Bolt', 'Lag Screw', 'Carriage Bolt', 'Anchor', 'Washer Pack'],
    [4, 60],
  ],
  [
    'Power Tools',
    'PWR',
    ['Cordless Drill', 'Impact Driver', 'Angle Grinder', 'Circular Saw', 'Rotary Hammer'],
    [89, 480],
  ],
  [
    'Safety',
    'SAF',
    ['Hard Hat', 'Safety Glasses', 'Cut-Resistant Gloves', 'Hi-Vis Vest', 'Ear Muffs'],
    [6, 70],
  ],
  [
    'Electrical',
    'ELC',
    ['THHN Wire Spool', 'Breaker', 'Junction Box', 'Conduit Bender', 'GFCI Outlet'],
    [8, 220],
  ],
  [
    'Plumbing',
    'PLB',
    ['PEX Crimp Tool', 'Ball Valve', 'Copper Fitting Kit', 'Pipe Wrench', 'Drain Auger'],
    [12, 260],
  ],
  [
    'Abrasives',
    'ABR',
    ['Flap Disc', 'Sanding Belt', 'Cutoff Wheel', 'Wire Brush', 'Grinding Wheel'],
    [5, 45],
  ],
];
const VARIANTS = [
  '1/4"',
  '3/8"',
  '1/2"',
  '5/8"',
  'M8',
  'M10',
  'M12',
  '18V',
  '20V',
  'Large',
  'Medium',
  'Pro',
];
const REPS = ['Dana Whitfield', 'Marco Ruiz', 'Grace Liu', 'Tom Becker', 'Aisha Bello'];
const TERMS: SeedCustomer['creditTerms'][] = ['Net 15', 'Net 30', 'Net 45', 'Net 60'];

export function generateSeed(size: SeedSize, seed = 20_260_101): SeedData {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const cents = (n: number) => Math.round(n * 100) / 100;

  const products: SeedProduct[] = [];
  for (let i = 0; i < size.products; i++) {
    const [category, prefix, nouns, [lo, hi]] = CATEGORIES[i % CATEGORIES.length]!;
    const noun = pick(nouns);
    const variant = pick(VARIANTS);
    products.push({
      sku: `${prefix}-${String(1000 + i).padStart(5, '0')}`,
      name: `${noun} ${variant}`,
      category,
      price: cents(between(lo, hi)),
      // A few items are nearly sold out: the last-unit path of reservation-and-confirm.
      quantity: i % 25 === 0 ? 1 + Math.floor(random() * 3) : Math.floor(between(20, 900)),
      weightKg: cents(between(0.05, 12)),
      description: `${noun} (${variant}) for ${category.toLowerCase()} work. Contractor grade.`,
    });
  }

  const customers: SeedCustomer[] = [];
  for (let i = 0; i < size.customers; i++) {
    const firstname = pick(FIRST);
    const lastname = pick(LAST);
    const company = `${pick(COMPANY_A)} ${pick(COMPANY_B)}`;
    const [city, region, zip3] = pick(CITIES);
    const externalId = `CUST-${String(i + 1).padStart(6, '0')}`;
    customers.push({
      externalId,
      email:
        `${firstname}.${lastname}.${i + 1}@${company.split(' ')[0]!.toLowerCase()}.example`.toLowerCase(),
      firstname,
      lastname,
      company,
      phone: `+1-555-${String(Math.floor(between(100, 999)))}-${String(1000 + i).slice(-4)}`,
      address: {
        street: `${Math.floor(between(10, 9900))} ${pick(STREETS)}`,
        city,
        region,
        postcode: `${zip3}${String(Math.floor(between(10, 99)))}`,
        countryId: 'US',
      },
      creditTerms: pick(TERMS),
      creditLimit: Math.round(between(5, 250)) * 1000,
      salesRep: pick(REPS),
      contractDiscount: cents(between(0.75, 0.97)),
    });
  }

  const orders: SeedOrder[] = [];
  const start = Date.UTC(2025, 0, 1);
  const span = Date.UTC(2026, 9, 31) - start;
  for (let i = 0; i < size.orders; i++) {
    const customer = customers.length > 0 ? pick(customers) : undefined;
    if (!customer || products.length === 0) break;
    const lines: SeedOrderLine[] = [];
    const count = 1 + Math.floor(random() * 4);
    const used = new Set<string>();
    for (let l = 0; l < count; l++) {
      const product = pick(products);
      if (used.has(product.sku)) continue;
      used.add(product.sku);
      lines.push({ sku: product.sku, qty: 1 + Math.floor(random() * 12), price: product.price });
    }
    orders.push({
      incrementId: String(100_000_001 + i),
      customerExternalId: customer.externalId,
      email: customer.email,
      createdAt: new Date(start + Math.floor((span * i) / size.orders)).toISOString(),
      lines,
      grandTotal: cents(lines.reduce((sum, line) => sum + line.qty * line.price, 0)),
    });
  }
  return { products, customers, orders };
}
