import { isUUID } from 'class-validator';
import { LeadStatus, leadStatuses } from '../leads.types';

/** Lead fields a file column can feed; `custom.<key>` feeds customFields[key]. */
export const importFields = [
  'name',
  'email',
  'phone',
  'company',
  'jobTitle',
  'source',
  'status',
  'tags',
  'score',
  'notes',
  'nicheId',
  // The person's consent per purpose (yes/no), recorded with the import as its source (GDPR's subject consent).
  'consentMarketingEmail',
  'consentAiProcessing',
] as const;
export type ImportField = (typeof importFields)[number];
export type ImportTarget = ImportField | `custom.${string}`;

const CUSTOM_KEY = /^custom\.([A-Za-z0-9_-]{1,64})$/;

export const isImportTarget = (target: string): target is ImportTarget =>
  (importFields as readonly string[]).includes(target) || CUSTOM_KEY.test(target);

/** Lower-case, without accents, spaces or punctuation: "E-mail" → "email", "Job title" → "jobtitle". */
export const normalizeHeader = (header: string): string =>
  header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** Header spellings (normalized) recognised without a mapping, English and French. */
const headerAliases: Record<ImportField, string[]> = {
  name: ['name', 'fullname', 'nom', 'nomcomplet', 'contact'],
  email: ['email', 'mail', 'emailaddress', 'courriel', 'adresseemail', 'adressemail'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'portable'],
  company: ['company', 'companyname', 'organization', 'organisation', 'entreprise', 'societe'],
  jobTitle: ['jobtitle', 'title', 'position', 'poste', 'fonction', 'titre'],
  source: ['source', 'origine'],
  status: ['status', 'statut'],
  tags: ['tags', 'tag', 'labels', 'etiquettes'],
  score: ['score'],
  notes: ['notes', 'note', 'comments', 'commentaires'],
  nicheId: ['nicheid', 'niche'],
  consentMarketingEmail: [
    'consentmarketingemail',
    'marketingemailconsent',
    'marketingconsent',
    'consentmarketing',
    'emailoptin',
    'optin',
    'consentementmarketing',
  ],
  consentAiProcessing: ['consentaiprocessing', 'aiprocessingconsent', 'aiconsent', 'consentai', 'consentementia'],
};
const fieldByAlias = new Map(
  Object.entries(headerAliases).flatMap(([field, aliases]) => aliases.map((a) => [a, field as ImportField])),
);

/**
 * Column index → target, from the header row. With a mapping only the mapped columns are read (its keys
 * are matched like headers, so "E-mail" also finds "email"); without one, headers are recognised by name
 * and `custom.<key>` headers feed custom fields. The first column wins when two feed the same target.
 */
export function resolveColumns(
  headers: string[],
  mapping: Record<string, string> | null,
): { columns: Array<ImportTarget | null>; missing: string[] } {
  const used = new Set<string>();
  const take = (target: ImportTarget | undefined) => {
    if (!target || used.has(target)) return null;
    used.add(target);
    return target;
  };
  if (mapping) {
    const byHeader = new Map(Object.entries(mapping).map(([h, t]) => [normalizeHeader(h), t as ImportTarget]));
    const columns = headers.map((h) => take(byHeader.get(normalizeHeader(h))));
    const present = new Set(headers.map(normalizeHeader));
    return { columns, missing: Object.keys(mapping).filter((h) => !present.has(normalizeHeader(h))) };
  }
  const columns = headers.map((header) => {
    const custom = /^custom\.(.+)$/i.exec(header.trim());
    if (custom && isImportTarget(`custom.${custom[1]}`)) return take(`custom.${custom[1]}`);
    return take(fieldByAlias.get(normalizeHeader(header)));
  });
  return { columns, missing: [] };
}

/** A valid row, in the shape of the staging table (null: the cell was empty). */
export interface ImportedLead {
  line: number;
  /** The name to insert: the given one, else derived from the e-mail or the company. */
  name: string;
  /** The name the file gave (null when derived): an update never overwrites a name with a derived one. */
  givenName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  jobTitle: string | null;
  source: string | null;
  status: LeadStatus | null;
  nicheId: string | null;
  tags: string[] | null;
  score: number | null;
  notes: string | null;
  customFields: Record<string, string> | null;
  /** Consent cells the file filled (an e-mail is then required: consent is kept per e-mail). */
  consent: { marketingEmail?: boolean; aiProcessing?: boolean } | null;
}

const YES = new Set(['yes', 'y', 'true', '1', 'granted', 'oui', 'o', 'vrai', 'x']);
const NO = new Set(['no', 'n', 'false', '0', 'withdrawn', 'refused', 'non', 'faux']);

export interface RowContext {
  /** Niche ids of the workspace, and its niche names lower-cased → id. */
  nicheIds: Set<string>;
  nicheNames: Map<string, string>;
}

// Local part of printable characters without spaces or specials, and a dotted domain of LDH labels with a
// TLD of letters: the addresses mail servers accept, checked in a fraction of validator's isEmail time.
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const isImportEmail = (email: string) => email.length <= 320 && email.indexOf('@') <= 64 && EMAIL.test(email);

/** Longest values the leads table takes (LeadEntity, CreateLeadDto). */
const maxLength = { name: 200, email: 320, phone: 50, company: 200, jobTitle: 200, source: 100, notes: 10000 };
const MAX_TAGS = 50;
const MAX_TAG_LENGTH = 50;
const MAX_CUSTOM_VALUE_LENGTH = 10000;

/** Validates one data row; answers the lead or every reason it was refused (joined with "; "). */
export function parseRow(
  values: string[],
  columns: Array<ImportTarget | null>,
  line: number,
  ctx: RowContext,
): { lead: ImportedLead } | { error: string } {
  const cell: Partial<Record<ImportField, string>> = {};
  let customFields: Record<string, string> | null = null;
  const errors: string[] = [];
  for (let i = 0; i < columns.length; i++) {
    const target = columns[i];
    if (!target) continue;
    const value = (values[i] ?? '').trim();
    if (!value) continue;
    if (target.startsWith('custom.')) {
      if (value.length > MAX_CUSTOM_VALUE_LENGTH) errors.push(`${target}: longer than ${MAX_CUSTOM_VALUE_LENGTH}`);
      (customFields ??= {})[target.slice(7)] = value;
    } else {
      cell[target as ImportField] = value;
    }
  }

  const text = (field: keyof typeof maxLength): string | null => {
    const value = cell[field as ImportField] ?? null;
    if (value !== null && value.length > maxLength[field]) {
      errors.push(`${field}: longer than ${maxLength[field]} characters`);
    }
    return value;
  };
  let email = text('email');
  if (email !== null) {
    email = email.toLowerCase();
    if (!isImportEmail(email)) errors.push('email: not a valid address');
  }
  const company = text('company');
  const givenName = text('name');
  const name = givenName ?? email ?? company;
  if (name === null) errors.push('name: required (or an email or company to derive it from)');

  let status: LeadStatus | null = null;
  if (cell.status !== undefined) {
    const value = cell.status.toLowerCase();
    if ((leadStatuses as string[]).includes(value)) status = value as LeadStatus;
    else errors.push(`status: must be one of ${leadStatuses.join(', ')}`);
  }
  let score: number | null = null;
  if (cell.score !== undefined) {
    score = /^\d{1,3}$/.test(cell.score) ? Number(cell.score) : NaN;
    if (!(score >= 0 && score <= 100)) errors.push('score: must be an integer from 0 to 100');
  }
  let tags: string[] | null = null;
  if (cell.tags !== undefined) {
    tags = [
      ...new Set(
        cell.tags
          .split(/[;,]/)
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    if (tags.length > MAX_TAGS) errors.push(`tags: more than ${MAX_TAGS}`);
    if (tags.some((t) => t.length > MAX_TAG_LENGTH)) errors.push(`tags: a tag is longer than ${MAX_TAG_LENGTH}`);
  }
  let nicheId: string | null = null;
  if (cell.nicheId !== undefined) {
    const byId = isUUID(cell.nicheId) && ctx.nicheIds.has(cell.nicheId.toLowerCase());
    nicheId = byId ? cell.nicheId.toLowerCase() : (ctx.nicheNames.get(cell.nicheId.toLowerCase()) ?? null);
    if (!nicheId) errors.push('nicheId: no such niche in the workspace');
  }

  let consent: ImportedLead['consent'] = null;
  for (const [field, purpose] of [
    ['consentMarketingEmail', 'marketingEmail'],
    ['consentAiProcessing', 'aiProcessing'],
  ] as const) {
    const value = cell[field]?.toLowerCase();
    if (value === undefined) continue;
    if (YES.has(value)) (consent ??= {})[purpose] = true;
    else if (NO.has(value)) (consent ??= {})[purpose] = false;
    else errors.push(`${field}: must be yes or no`);
  }
  if (consent && email === null) errors.push('email: required to record consent');

  const lead: ImportedLead = {
    line,
    name: (name ?? '').slice(0, maxLength.name),
    givenName,
    email,
    phone: text('phone'),
    company,
    jobTitle: text('jobTitle'),
    source: text('source'),
    status,
    nicheId,
    tags,
    score,
    notes: text('notes'),
    customFields,
    consent,
  };
  return errors.length ? { error: errors.join('; ') } : { lead };
}
