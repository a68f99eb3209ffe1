/** Describe metadata the emulator works from: standard objects plus the caller's custom ones. */

export interface EmulatorField {
  name: string;
  type: string;
  label?: string;
  length?: number;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  defaultedOnCreate?: boolean;
  externalId?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
  custom?: boolean;
  referenceTo?: string[];
  relationshipName?: string | null;
  picklistValues?: { value: string; label?: string; active?: boolean; defaultValue?: boolean }[];
  /** The name the parent object queries these records by (default: Salesforce's convention). */
  childRelationshipName?: string;
  [extra: string]: unknown;
}

export interface EmulatorObject {
  name: string;
  label?: string;
  keyPrefix?: string | null;
  custom?: boolean;
  fields: EmulatorField[];
  [extra: string]: unknown;
}

export interface ObjectModel {
  name: string;
  keyPrefix: string;
  describe: EmulatorObject;
  fields: Map<string, EmulatorField>; // lower-case name -> field
  relationships: Map<string, EmulatorField>; // lower-case relationship name -> reference field
  /** Child relationships (e.g. Account's `Contacts`), by lower-case relationship name. */
  children: Map<string, ChildRelationship>;
}

export interface ChildRelationship {
  relationshipName: string;
  childSObject: string;
  /** The reference field on the child that points here. */
  field: EmulatorField;
}

const system = (): EmulatorField[] => [
  {
    name: 'Id',
    type: 'id',
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
    idLookup: true,
  },
  {
    name: 'IsDeleted',
    type: 'boolean',
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  },
  {
    name: 'CreatedDate',
    type: 'datetime',
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  },
  {
    name: 'LastModifiedDate',
    type: 'datetime',
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  },
  {
    name: 'SystemModstamp',
    type: 'datetime',
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  },
];

const text = (name: string, length = 255, extra: Partial<EmulatorField> = {}): EmulatorField => ({
  name,
  type: 'string',
  length,
  nillable: true,
  createable: true,
  updateable: true,
  ...extra,
});

/** Every record has an owner; it defaults to the integration user on create. */
const owner = (): EmulatorField => ({
  name: 'OwnerId',
  type: 'reference',
  referenceTo: ['User'],
  relationshipName: 'Owner',
  nillable: false,
  createable: true,
  updateable: true,
  defaultedOnCreate: true,
});

/**
 * User, Account, Contact and Opportunity with the fields integrations use most, and the order
 * objects (Product2, Pricebook2, PricebookEntry, Order, OrderItem).
 */
export const STANDARD_OBJECTS: EmulatorObject[] = [
  {
    name: 'User',
    label: 'User',
    keyPrefix: '005',
    custom: false,
    fields: [
      ...system(),
      text('Username', 80, { nillable: false, unique: true }),
      text('FirstName', 40),
      text('LastName', 80, { nillable: false }),
      {
        name: 'Name',
        type: 'string',
        length: 121,
        nillable: false,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
      },
      {
        name: 'Email',
        type: 'email',
        length: 128,
        nillable: false,
        createable: true,
        updateable: true,
      },
      {
        name: 'IsActive',
        type: 'boolean',
        nillable: false,
        createable: true,
        updateable: true,
        defaultedOnCreate: true,
      },
    ],
  },
  {
    name: 'Account',
    label: 'Account',
    keyPrefix: '001',
    custom: false,
    fields: [
      ...system(),
      owner(),
      text('Name', 255, { nillable: false }),
      {
        // The account hierarchy: a child's parent account (`Parent.Name`, `ChildAccounts`).
        name: 'ParentId',
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Parent',
        childRelationshipName: 'ChildAccounts',
        nillable: true,
        createable: true,
        updateable: true,
      },
      text('AccountNumber', 40),
      { name: 'Type', type: 'picklist', nillable: true, createable: true, updateable: true },
      { name: 'Industry', type: 'picklist', nillable: true, createable: true, updateable: true },
      {
        name: 'AnnualRevenue',
        type: 'currency',
        nillable: true,
        createable: true,
        updateable: true,
      },
      {
        name: 'NumberOfEmployees',
        type: 'int',
        nillable: true,
        createable: true,
        updateable: true,
      },
      {
        name: 'Phone',
        type: 'phone',
        length: 40,
        nillable: true,
        createable: true,
        updateable: true,
      },
      {
        name: 'Website',
        type: 'url',
        length: 255,
        nillable: true,
        createable: true,
        updateable: true,
      },
      { ...text('BillingStreet', 255), type: 'textarea', compoundFieldName: 'BillingAddress' },
      text('BillingCity', 40, { compoundFieldName: 'BillingAddress' }),
      text('BillingState', 80, { compoundFieldName: 'BillingAddress' }),
      text('BillingPostalCode', 20, { compoundFieldName: 'BillingAddress' }),
      text('BillingCountry', 80, { compoundFieldName: 'BillingAddress' }),
      {
        // compound: read-only, derived from the Billing* fields (null when they are all empty)
        name: 'BillingAddress',
        type: 'address',
        nillable: true,
        createable: false,
        updateable: false,
      },
      {
        name: 'Description',
        type: 'textarea',
        length: 32000,
        nillable: true,
        createable: true,
        updateable: true,
      },
    ],
  },
  {
    name: 'Contact',
    label: 'Contact',
    keyPrefix: '003',
    custom: false,
    fields: [
      ...system(),
      owner(),
      {
        name: 'AccountId',
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Account',
        nillable: true,
        createable: true,
        updateable: true,
      },
      text('FirstName', 40),
      text('LastName', 80, { nillable: false }),
      {
        name: 'Name',
        type: 'string',
        length: 121,
        nillable: false,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
      },
      {
        name: 'Email',
        type: 'email',
        length: 80,
        nillable: true,
        createable: true,
        updateable: true,
      },
      {
        name: 'Phone',
        type: 'phone',
        length: 40,
        nillable: true,
        createable: true,
        updateable: true,
      },
      text('Title', 128),
      { name: 'Birthdate', type: 'date', nillable: true, createable: true, updateable: true },
      {
        name: 'HasOptedOutOfEmail',
        type: 'boolean',
        nillable: false,
        createable: true,
        updateable: true,
        defaultedOnCreate: true,
      },
    ],
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    keyPrefix: '006',
    custom: false,
    fields: [
      ...system(),
      owner(),
      {
        name: 'AccountId',
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Account',
        nillable: true,
        createable: true,
        updateable: true,
      },
      text('Name', 120, { nillable: false }),
      { name: 'StageName', type: 'picklist', nillable: false, createable: true, updateable: true },
      { name: 'CloseDate', type: 'date', nillable: false, createable: true, updateable: true },
      { name: 'Amount', type: 'currency', nillable: true, createable: true, updateable: true },
      { name: 'Probability', type: 'percent', nillable: true, createable: true, updateable: true },
      {
        name: 'IsClosed',
        type: 'boolean',
        nillable: false,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
      },
    ],
  },
  // Orders (Object Reference: Order, OrderItem, Product2, Pricebook2, PricebookEntry): an
  // order summary for sales, its lines priced from the order's price book.
  {
    name: 'Product2',
    label: 'Product',
    keyPrefix: '01t',
    custom: false,
    fields: [
      ...system(),
      text('Name', 255, { nillable: false }),
      text('ProductCode', 255),
      { ...text('Description', 4000), type: 'textarea' },
      { name: 'Family', type: 'picklist', nillable: true, createable: true, updateable: true },
      {
        name: 'IsActive',
        type: 'boolean',
        nillable: false,
        createable: true,
        updateable: true,
        defaultedOnCreate: true,
      },
    ],
  },
  {
    name: 'Pricebook2',
    label: 'Price Book',
    keyPrefix: '01s',
    custom: false,
    fields: [
      ...system(),
      text('Name', 255, { nillable: false }),
      {
        name: 'IsActive',
        type: 'boolean',
        nillable: false,
        createable: true,
        updateable: true,
        defaultedOnCreate: true,
      },
      {
        name: 'IsStandard',
        type: 'boolean',
        nillable: false,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
      },
    ],
  },
  {
    name: 'PricebookEntry',
    label: 'Price Book Entry',
    keyPrefix: '01u',
    custom: false,
    fields: [
      ...system(),
      {
        name: 'Pricebook2Id',
        type: 'reference',
        referenceTo: ['Pricebook2'],
        relationshipName: 'Pricebook2',
        nillable: false,
        createable: true,
        updateable: false,
      },
      {
        name: 'Product2Id',
        type: 'reference',
        referenceTo: ['Product2'],
        relationshipName: 'Product2',
        nillable: false,
        createable: true,
        updateable: false,
      },
      { name: 'UnitPrice', type: 'currency', nillable: false, createable: true, updateable: true },
      {
        name: 'IsActive',
        type: 'boolean',
        nillable: false,
        createable: true,
        updateable: true,
        defaultedOnCreate: true,
      },
      {
        name: 'Name',
        type: 'string',
        length: 255,
        nillable: true,
        createable: false,
        updateable: false,
      },
    ],
  },
  {
    name: 'Order',
    label: 'Order',
    keyPrefix: '801',
    custom: false,
    fields: [
      ...system(),
      owner(),
      {
        // Required; only updated while the order is Draft (Object Reference: Order, AccountId).
        name: 'AccountId',
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Account',
        nillable: false,
        createable: true,
        updateable: true,
      },
      { name: 'EffectiveDate', type: 'date', nillable: false, createable: true, updateable: true },
      {
        name: 'Status',
        type: 'picklist',
        nillable: false,
        createable: true,
        updateable: true,
        restrictedPicklist: true,
        picklistValues: [{ value: 'Draft', defaultValue: true }, { value: 'Activated' }],
      },
      {
        name: 'Pricebook2Id',
        type: 'reference',
        referenceTo: ['Pricebook2'],
        relationshipName: 'Pricebook2',
        nillable: true,
        createable: true,
        updateable: true,
      },
      {
        name: 'OrderNumber',
        type: 'string',
        length: 30,
        nillable: false,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
        autoNumber: true,
        idLookup: true,
      },
      {
        name: 'TotalAmount',
        type: 'currency',
        nillable: false,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
      },
      text('Name', 80),
      text('OrderReferenceNumber', 80),
      { name: 'Type', type: 'picklist', nillable: true, createable: true, updateable: true },
      {
        name: 'Description',
        type: 'textarea',
        length: 32000,
        nillable: true,
        createable: true,
        updateable: true,
      },
      {
        name: 'ActivatedDate',
        type: 'datetime',
        nillable: true,
        createable: false,
        updateable: false,
      },
    ],
  },
  {
    name: 'OrderItem',
    label: 'Order Product',
    keyPrefix: '802',
    custom: false,
    fields: [
      ...system(),
      {
        // Master-detail: required, set on create only (Object Reference: OrderItem).
        name: 'OrderId',
        type: 'reference',
        referenceTo: ['Order'],
        relationshipName: 'Order',
        childRelationshipName: 'OrderItems',
        cascadeDelete: true,
        nillable: false,
        createable: true,
        updateable: false,
      },
      {
        name: 'PricebookEntryId',
        type: 'reference',
        referenceTo: ['PricebookEntry'],
        relationshipName: 'PricebookEntry',
        nillable: false,
        createable: true,
        updateable: false,
      },
      {
        // Filled from the price book entry.
        name: 'Product2Id',
        type: 'reference',
        referenceTo: ['Product2'],
        relationshipName: 'Product2',
        nillable: true,
        createable: true,
        updateable: false,
      },
      { name: 'Quantity', type: 'double', nillable: false, createable: true, updateable: true },
      { name: 'UnitPrice', type: 'currency', nillable: false, createable: true, updateable: true },
      {
        name: 'ListPrice',
        type: 'currency',
        nillable: true,
        createable: false,
        updateable: false,
      },
      {
        name: 'TotalPrice',
        type: 'currency',
        nillable: true,
        createable: false,
        updateable: false,
      },
      {
        name: 'OrderItemNumber',
        type: 'string',
        length: 30,
        nillable: false,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
        autoNumber: true,
      },
      text('Description', 255),
    ],
  },
];

/** Builds the model map: standard objects, then the caller's objects (merged into a standard one of the same name). */
export function buildModels(custom: EmulatorObject[] = []): Map<string, ObjectModel> {
  const byName = new Map<string, EmulatorObject>();
  for (const o of STANDARD_OBJECTS)
    byName.set(o.name.toLowerCase(), { ...o, fields: [...o.fields] });
  let customIndex = 0;
  for (const o of custom) {
    const existing = byName.get(o.name.toLowerCase());
    if (existing) {
      const names = new Set(existing.fields.map((f) => f.name.toLowerCase()));
      existing.fields.push(...o.fields.filter((f) => !names.has(f.name.toLowerCase())));
      continue;
    }
    const fields = [...o.fields];
    const have = new Set(fields.map((f) => f.name.toLowerCase()));
    for (const f of system()) if (!have.has(f.name.toLowerCase())) fields.unshift(f);
    if (!have.has('name')) fields.push(text('Name', 80));
    customIndex++;
    byName.set(o.name.toLowerCase(), {
      label: o.name.replace(/__c$/, '').replace(/_/g, ' '),
      custom: o.name.endsWith('__c'),
      ...o,
      keyPrefix: o.keyPrefix ?? `a0${String.fromCharCode(64 + customIndex)}`,
      fields,
    });
  }
  const models = new Map<string, ObjectModel>();
  for (const [key, describe] of byName) {
    const fields = new Map<string, EmulatorField>();
    const relationships = new Map<string, EmulatorField>();
    for (const f of describe.fields) {
      fields.set(f.name.toLowerCase(), f);
      if (f.type === 'reference' && f.relationshipName)
        relationships.set(f.relationshipName.toLowerCase(), f);
    }
    models.set(key, {
      name: describe.name,
      keyPrefix: describe.keyPrefix as string,
      describe,
      fields,
      relationships,
      children: new Map(),
    });
  }
  for (const child of models.values()) {
    for (const field of child.fields.values()) {
      if (field.type !== 'reference') continue;
      for (const target of field.referenceTo ?? []) {
        const parent = models.get(target.toLowerCase());
        if (!parent) continue;
        const name = childRelationshipName(child.name, field);
        if (!parent.children.has(name.toLowerCase()))
          parent.children.set(name.toLowerCase(), {
            relationshipName: name,
            childSObject: child.name,
            field,
          });
      }
    }
  }
  return models;
}

function plural(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

/**
 * The name a parent uses to query its children: a field's own `childRelationshipName`, else
 * Salesforce's convention: the plural of a standard child (`Contacts`, `Opportunities`), and
 * `…__r` for a custom lookup (`Invoices__r` for Invoice__c.Account__c).
 */
export function childRelationshipName(childObject: string, field: EmulatorField): string {
  const own = field.childRelationshipName;
  if (typeof own === 'string' && own !== '') return own;
  const base = childObject.replace(/__c$/i, '');
  return field.name.endsWith('__c') || childObject.endsWith('__c')
    ? `${plural(base)}__r`
    : plural(base);
}

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  long: 'xsd:long',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  base64: 'xsd:base64Binary',
  address: 'urn:address',
  location: 'urn:location',
  anyType: 'xsd:anyType',
};

const TEXT_TYPES = new Set([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
  'encryptedstring',
]);

/**
 * An object's describe answer: every top-level property Salesforce sends, the object's own
 * settings over the defaults, its fields in full and the relationships pointing at it.
 */
export function describeObject(model: ObjectModel, version: string): Record<string, unknown> {
  const { fields, label, ...extra } = model.describe;
  const base = `/services/data/v${version}/sobjects/${model.name}`;
  const name = label ?? model.name;
  return {
    actionOverrides: [],
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    compactLayoutable: true,
    createable: true,
    custom: model.name.endsWith('__c'),
    customSetting: false,
    deepCloneable: false,
    defaultImplementation: null,
    deletable: true,
    deprecatedAndHidden: false,
    extendedBy: null,
    extendsInterfaces: null,
    feedEnabled: false,
    hasSubtypes: false,
    implementedBy: null,
    implementsInterfaces: null,
    isInterface: false,
    isSubtype: false,
    label: name,
    labelPlural: plural(name),
    layoutable: true,
    listviewable: null,
    lookupLayoutable: null,
    mergeable: false,
    mruEnabled: false,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    queryable: true,
    recordTypeInfos: [],
    replicateable: true,
    retrieveable: true,
    searchLayoutable: true,
    searchable: true,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [],
    triggerable: true,
    undeletable: true,
    updateable: true,
    ...extra,
    name: model.name,
    keyPrefix: model.keyPrefix,
    fields: fields.map(describeField),
    childRelationships: [...model.children.values()].map((c) => ({
      cascadeDelete: false,
      childSObject: c.childSObject,
      deprecatedAndHidden: false,
      field: c.field.name,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName,
      restrictedDelete: false,
    })),
    urls: {
      compactLayouts: `${base}/describe/compactLayouts`,
      rowTemplate: `${base}/{ID}`,
      describe: `${base}/describe`,
      sobject: base,
    },
  };
}

/**
 * A field as describe returns it: every property Salesforce always sends (referenceTo and
 * picklistValues as arrays, relationshipName null, soapType, lengths, flags), filled from
 * the emulator's shorter definition.
 */
export function describeField(field: EmulatorField): Record<string, unknown> {
  const { childRelationshipName: _child, picklistValues, ...rest } = field;
  const type = field.type;
  const text = TEXT_TYPES.has(type);
  const length = field.length ?? (text ? 255 : type === 'id' || type === 'reference' ? 18 : 0);
  const numeric = SOAP_TYPES[type] === 'xsd:double';
  const sortable = type !== 'textarea' && type !== 'multipicklist' && type !== 'address';
  return {
    aggregatable: sortable,
    aiPredictionField: false,
    autoNumber: false,
    byteLength: text || type === 'id' || type === 'reference' ? length * 3 : 0,
    calculated: false,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: null,
    controllerName: null,
    createable: true,
    custom: field.name.endsWith('__c'),
    defaultValue: null,
    defaultValueFormula: null,
    defaultedOnCreate: false,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: type === 'int' ? 9 : 0,
    displayLocationInDecimal: false,
    encrypted: type === 'encryptedstring',
    externalId: false,
    extraTypeInfo: null,
    filterable: type !== 'textarea' || length <= 255,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: sortable && !numeric && type !== 'datetime',
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: false,
    inlineHelpText: null,
    label: field.name.replace(/__c$/, '').replace(/_/g, ' '),
    mask: null,
    maskType: null,
    nameField: field.name === 'Name',
    namePointing: false,
    nillable: true,
    permissionable: field.nillable !== false && field.name.endsWith('__c'),
    polymorphicForeignKey: (field.referenceTo?.length ?? 0) > 1,
    precision: numeric ? 18 : 0,
    queryByDistance: false,
    referenceTargetField: null,
    relationshipName: null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: false,
    scale: numeric ? 2 : 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[type] ?? 'xsd:string',
    sortable,
    unique: false,
    updateable: true,
    writeRequiresMasterRead: false,
    ...rest,
    length,
    referenceTo: field.referenceTo ?? [],
    picklistValues: (picklistValues ?? []).map((p) => ({
      active: p.active !== false,
      defaultValue: p.defaultValue === true,
      label: p.label ?? p.value,
      validFor: null,
      value: p.value,
    })),
  };
}

/** Required on create: createable, not nillable and not defaulted by the server. */
export function isRequired(field: EmulatorField): boolean {
  return (
    field.createable !== false &&
    field.nillable === false &&
    field.defaultedOnCreate !== true &&
    field.type !== 'boolean'
  );
}
