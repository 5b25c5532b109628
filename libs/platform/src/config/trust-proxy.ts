import { isIP } from 'node:net';
import { ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

/** Trusted proxy hops in front of the API (0: none), or the addresses/CIDRs of the trusted proxies. */
export type TrustProxySetting = number | string[];

/** Marks a value that could not be read, so the validator can name it. */
class InvalidTrustProxy {
  constructor(readonly raw: string) {}
}

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * `TRUST_PROXY`: a hop count, a list of proxy addresses/CIDRs, or the former booleans. `true` used to
 * trust the whole X-Forwarded-For chain (its leftmost, client-written entry became the address rate
 * limits keyed on); it now means one hop, the usual single reverse proxy, whose own view is kept.
 */
export function parseTrustProxy({ value }: { value: unknown }): TrustProxySetting | InvalidTrustProxy | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map(String);
  const raw = String(value).trim();
  const lower = raw.toLowerCase();
  if (['false', 'no', 'off'].includes(lower)) return 0;
  if (['true', 'yes', 'on'].includes(lower)) return 1;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.length && entries.every(isAddressOrCidr) ? entries : new InvalidTrustProxy(raw);
}

@ValidatorConstraint({ name: 'trustProxy' })
export class TrustProxyValid implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 10;
    return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && isAddressOrCidr(v));
  }

  defaultMessage(): string {
    return 'TRUST_PROXY must be a number of trusted proxy hops (0-10, true = 1, false = 0) or a comma-separated list of proxy IP addresses/CIDRs';
  }
}
